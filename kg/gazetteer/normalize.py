"""Name normalisation shared by the gazetteer build, its index and the linker.

``key(text)`` maps every spelling of a name that should match to the same string:

- Unicode NFKD, combining marks dropped ("Erdoğan" == "Erdogan", "Nicolás" == "Nicolas"),
  plus the letters NFKD leaves alone (ı ø ł đ ß æ œ) mapped by hand;
- case folded;
- dots and apostrophes (straight, curly, modifier letters) removed ("U.S." == "US",
  "Ja’afari" == "Jaafari", "People's" == "Peoples");
- hyphens, slashes, commas, parentheses and other punctuation read as spaces
  ("Kim Jong-un" == "Kim Jong Un"); "&" read as "and";
- whitespace collapsed; one leading "the " dropped ("The Gambia" == "Gambia").

``is_abbreviation(name)`` tells the index which names are acronyms ("US", "U.N.", "NATO"):
those only match a text written in capitals, so a pronoun or a common word ("us", "Who")
is not read as a country or an organisation.
"""

from __future__ import annotations

import re
import unicodedata

_EXTRA = str.maketrans({
    "ı": "i", "İ": "I", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
    "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ð": "d", "þ": "th",
})
_DROP = re.compile(r"[.'’‘`´ʻʼ]")
_SPACE = re.compile(r"[^0-9a-z]+")
_QID = re.compile(r"^Q[1-9][0-9]*$")


def fold(text: str) -> str:
    """Return ``text`` without diacritics, case folded (no punctuation handling)."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.translate(_EXTRA))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.casefold()


def key(text: str) -> str:
    """Return the match key of a name (see the module docstring); "" for no letters."""
    text = fold(text).replace("&", " and ")
    text = _DROP.sub("", text)
    text = _SPACE.sub(" ", text).strip()
    if text.startswith("the "):
        text = text[4:]
    return text


def tokens(text: str) -> list[str]:
    """Return the key of ``text`` split into tokens."""
    k = key(text)
    return k.split() if k else []


def is_abbreviation(name: str) -> bool:
    """True for an acronym: 2-6 letters once dots and spaces are removed, all upper case."""
    letters = re.sub(r"[.\s]", "", name)
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


def all_lower(text: str) -> bool:
    """True when ``text`` has letters and none of them is upper case."""
    return any(c.isalpha() for c in text) and not any(c.isupper() for c in text)


def is_bare_qid(text: str) -> bool:
    """True when ``text`` is a Wikidata id and not a name ("Q27146606")."""
    return bool(_QID.match(text.strip()))
