"""The patterns and thresholds :mod:`kg.extract.noise` finds page noise with.

What goes in: nothing (constants only). What comes out: compiled :mod:`re` patterns, each
matching one kind of page furniture in an article body or one line of it (datelines and
the wire header before them, editor's notes, bylines and sign-offs, photo captions and
credits, related-story link lists and their metadata lines, subscription and cookie
banners), and the line-shape thresholds (final punctuation, closing characters, headline
length in words, how many lines the lead search looks at). The rules that apply them, and
the offsets they report, are in :mod:`kg.extract.noise`; these names are internal to it.

Every pattern is by kind of page furniture, written from the layouts of the wire services
and sites of the development corpus (Reuters, Yonhap, AP, Guardian, Al Jazeera, TIME, NPR,
Korea Herald, Geneva Solutions pages), never from one article's wording.
"""

from __future__ import annotations

import re

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_CITY = r"[A-Z][A-Z.'’\-]{2,}(?:[ /][A-Z][A-Z.'’\-]+)*"
_REGION = r",\s[A-Z][a-z]+\.?(?:\s[A-Z][a-z]+\.?)?"
_AGENCY = r"\([A-Z][^()\n]{1,29}\)"
_DASH = r"\s?(?:--|[-—–])\*{0,2}(?=\s)"

# A dateline at the start of the lead line: "KYIV, Feb 5 (Reuters) -", "(Reuters) -",
# "Feb 10 (Reuters) -", "COLORADO SPRINGS, Colo. (Reuters) -", "**ERBIL (Kurdistan24) —**",
# "BEIJING —", "KYIV, Ukraine —" (a city with no agency needs 4+ capitals and a dash).
_DATELINE_START = re.compile(
    rf"\*{{0,2}}(?:{_CITY}(?:{_REGION})?(?:,?\s{_MONTH}\s\d{{1,2}})?\s?{_AGENCY}"
    rf"|(?:{_MONTH}\s\d{{1,2}}\s)?{_AGENCY}"
    rf"|[A-Z][A-Z'’\-]{{3,}}(?:[ /][A-Z][A-Z'’\-]+)*(?:{_REGION})?(?:,\s{_MONTH}\s\d{{1,2}})?)"
    rf"{_DASH}\s*(?=[\"“A-Z0-9])")
# A Yonhap dateline after the wire header on the same line: "SEOUL, Jan. 4 (Yonhap) --".
_DATELINE_MID = re.compile(rf"{_CITY}(?:{_REGION})?,\s{_MONTH}\s\d{{1,2}}\s{_AGENCY}\s?--?\s*")

_WIRE_NOTE = r"\((?:LEAD|URGENT|\d+(?:st|nd|rd|th) LD|ATTN:[^()\n]*)\)"
_CORRECTION_NOTE = (r"\((?:This story (?:has been|was) (?:refiled|corrected|updated)|Refiles|Corrects|Recasts|"
                    r"Clarifies|Repeats|Updates with|Adds)\b[^()\n]*\)")
_EDITOR_NOTE = re.compile(rf"{_WIRE_NOTE}|{_CORRECTION_NOTE}")
_HEADER_BYLINE = re.compile(r"By\s+[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){0,3}\s*$")

_BANNER = re.compile("|".join((
    r"^Skip to (?:main )?content",
    r"^Exclusive news, data and analytics for financial market professionals",
    r"Learn more about\s*Refinitiv",
    r"newsletter is your essential guide",
    r"\bSign up here\.?$",
    r"^Our Standards:",
    r"^Follow [\w’' ]{1,40} coverage of\b",
    r"^24/7 coverage of breaking news",
    r"^notification-important|Get instant alerts and updates",
    r"^Your browser does not support the (?:audio|video) element",
    r"^Show me more content from\b",
    r"^Support (?:mission-driven|independent|our) journalism",
    r"\buse cookies\b|\bcookie identifiers\b|^We and our partners process data",
    r"\bis licensed under Creative Commons\b",
    r"^Enter your email address|Privacy Policy and Terms of (?:use|Service)",
    r"^(?:Subscribe (?:now|today|to our)|Sign up (?:for|to) (?:our|the) newsletter)\b",
    r"^Advertisement$",
)), re.I)

_BYLINE_LINE = re.compile(
    r"^(?:(?:Additional )?[Rr]eporting by|Writing by|Editing by|Compiled by|Reported by)\s"
    r"|^By\s+[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){0,3}(?:\s*(?:,|and|&)\s*[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){0,3})*$"
    r"|^Written [Bb]y\b"
    r"|^[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+\s*(?:\(END\))?$"
    r"|^_?[A-Z][^.!?\n]{1,100}\bcontributed (?:reporting )?to (?:this )?(?:report|article|story)\b")

_CAPTION_START = re.compile(r"^(?:Item \d+ of \d+\s|\*\*\[\d+/\d+\]\*\*\s)")
_CREDIT_END = re.compile("|".join((
    r"\b(?:Photograph|Photo|Picture|Image|Illustration)s?:\s*[^\n]{2,120}$",
    r"\[(?:File:\s*)?[^\[\]\n]{0,80}(?:Photo|Images?|Reuters|AFP|AP|EPA)\]$",
    r"\S\s?[—–]\s?(?:Getty Images|AFP|AP|Reuters|EPA|Bloomberg|Sipa|Anadolu)(?: via Getty Images)?$",
    r"\bvia REUTERS$|\bREUTERS/[^\n]{2,60}$|Purchase Licensing Rights, opens new tab$",
    r"\*{2,}\s?hide caption\s?\*{2,}$",
    r"\((?:Yonhap|Korea Herald DB|AP Photo|AFP|EPA|Xinhua|YNA|Getty Images)\)$",
)))
# A credit fused to the text after it ("… 2019. (Korea Herald DB)North Korea …") and the
# position markers only captions use ("Kim Jong-un (left) shakes hands").
_CREDIT_INLINE = re.compile(
    r"(?<=[.!?”\"] )\((?:Yonhap|Korea Herald DB|Korea Herald|Korea Times|AP Photo|AP|AFP|Reuters|EPA|"
    r"Xinhua|YNA|Getty Images|Newsis|Joint Press Corps)\)(?=[A-Z\"“]|$)", re.M)
_POSITION_MARKER = re.compile(r"\((?:left|right|center|centre|top|bottom|front|back|"
                              r"(?:second|third) from (?:left|right))\)")
_SIGN_OFF = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+\s*\(END\)|\(END\)$", re.M)
_CONTRIBUTED = re.compile(r"(?<=[.!?”\"] )[A-Z][\w .,'’&\-]{1,80}? contributed (?:reporting )?to "
                          r"(?:this )?(?:report|article|story)\.?$", re.M)

_LINK_LINE = re.compile(r"^(?:[*•\-]\s*)?\[[^\]\n]*\]\(\S*\)$|^[*•]\s*list \d+ of \d+|\S\s?Read more$")
_META_LINE = re.compile(r"^[A-Z][A-Za-z ]*?category(?=[A-Z·\s]|$)|·\s*\d+\s(?:mins?|hours?|days?) ago$")
_BULLET = re.compile(r"^[*•]\s+")
_TERMINAL = tuple(".!?:;")
_CLOSERS = "\"'”’)]*_ "
_LEAD_LINES = 6
_HEADLINE_WORDS = 25
