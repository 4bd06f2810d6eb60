"""Checks on candidate actor mentions, by kind of error (used by :mod:`kg.extract.entities`).

Each function reads a spaCy ``Doc`` (tokens with POS tags and a dependency parse) and a token
span ``[ts, te)``, or the article body and a character span ``[start, end)`` (0-based, end
exclusive). Rules (ours, from the errors seen in real pages and the conventions of wire copy):

* **Hyphenated given names** ("Moon Jae-in", "Lee Myung-bak"): spaCy's tokenizer splits the
  hyphen, and its NER often stops before it ("Moon Jae"). The lower-case syllable after a
  hyphen glued to the last word of a two-word name belongs to the name. A capitalised part
  does not ("the Lee-Xi summit" names two people), nor a participle ("Putin-sponsored").
* **Malformed spans**: a hashtag or handle ("#APEChottie", "@POTUS") is no name; a span that
  starts or ends inside a word of the body was cut from text glued together by a bad page
  extraction ("Reuters.comTrump"); a word that runs an acronym the gazetteer knows into
  lower-case letters ("APEChottie": APEC + "hottie") is glued text, not a name, but a
  camel-case name whose capitals are no known acronym is ("JPMorgan"), as is any name the
  gazetteer knows.
* **Event names** ("Gyeongju APEC Summit", "Munich Security Conference", "Eastern Economic
  Forum"): a name whose last word names an event is the event, not an actor. The geokg actor
  types (``kg.model.ACTOR_TYPES``) have no event type, so such a span is no actor mention; a
  name the gazetteer knows keeps the gazetteer's type, and a standing body named "Conference
  on …" does not end in the event word.
* **Companies and places named like people** ("Jollibee, a chain that …", "an outlet of
  Jollibee", "the Black Sea resort of Sochi"): a name spaCy tags PERSON whose apposition is a
  business or organisation noun, or which is the of-object of a noun such as "outlet",
  "branch" or "subsidiary", is an organisation; with a place noun ("resort", "city",
  "province"), a place.
* **One name, one type** (applied in ``kg.extract.entities``): a name a context rule typed, or a
  name tagged as a place, is not a person at its other mentions in the article ("The Hurriyet
  report", "Sochi will be the sixth meeting" after "the resort of Sochi"), unless it is the
  short name of a person the article names in full.
* **Two names run together** ("Ja’afari accused de Mistura" tagged as one PERSON): a person
  span breaks at a lower-case word that is no name particle ("de", "bin", "van", "al"). An
  organisation span with commas is a list of names, unless it is one name listing its fields
  ("Ministry of Trade, Industry and Resources").
"""

from __future__ import annotations

import re

#: Last words of event names.
EVENT_HEADS = frozenset("""
summit summits forum conference games olympics paralympics festival expo exposition fair cup
championship championships tournament
""".split())

#: Apposition heads that say a name is an organisation ("Jollibee, a chain that …").
ORGANISATION_NOUNS = frozenset("""
chain company firm brand retailer restaurant bank lender insurer manufacturer maker producer
conglomerate giant operator airline carrier startup start-up supplier distributor exporter
importer developer publisher broadcaster network newspaper channel website platform app
organisation organization foundation charity group association federation union club team
university school hospital institute
""".split())

#: Nouns whose of-object is an organisation ("an outlet of Jollibee", "a subsidiary of …").
BRANCH_NOUNS = frozenset("""
outlet outlets branch branches store stores shop shops subsidiary subsidiaries franchise
factory factories plant plants headquarters shareholder shareholders shares stake
""".split())

#: Apposition or of-phrase heads that say a name is a place ("the Black Sea resort of Sochi").
PLACE_NOUNS = frozenset("""
city town village resort port harbour harbor province region district county prefecture island
peninsula valley capital suburb neighbourhood neighborhood
""".split())

#: Lower-case words that are part of personal names ("Staffan de Mistura", "Mohammed bin Salman").
NAME_PARTICLES = frozenset("de da di du dos das del della van von der den ter bin ibn ben bint al el le la "
                           "y af zu".split())

_HYPHENS = ("-", "‐", "‑")
# An upper-case run followed by lower-case letters inside one word: "APEChottie", "JPMorgan".
_GLUED = re.compile(r"(?<![A-Za-z])([A-Z]{2,})[a-z]{3,}")


def extend_hyphenated(doc, ts: int, te: int) -> int:
    """The end of a name span extended over a glued lower-case hyphen part ("Moon Jae" + "-in").

    Only a name of two words or more is extended (family name and first syllable of the given
    name), and only by a syllable: at most 5 letters, not an English participle ("Putin-
    sponsored", "Saudi-led" are adjectives).

    Args:
        doc: The spaCy Doc.
        ts: Start token index of the name span.
        te: Exclusive end token index of the name span.

    Returns:
        The new exclusive end token index (``te`` when nothing follows).
    """
    if te - ts < 2 or te + 1 >= len(doc):
        return te
    part = doc[te + 1]
    if (doc[te].text in _HYPHENS and not doc[te - 1].whitespace_ and not doc[te].whitespace_
            and part.is_alpha and part.text[:1].islower() and len(part) <= 5
            and not part.lower_.endswith(("ed", "ing"))):
        return te + 2
    return te


def is_malformed(body: str, start: int, end: int, gaz) -> bool:
    """Whether the character span ``body[start:end]`` is no name (rules in the module docstring).

    Args:
        body: The article body.
        start: 0-based character offset of the span.
        end: Exclusive end offset.
        gaz: A ``kg.gazetteer.Gazetteer`` (``lookup_names``), which tells a known acronym.

    Returns:
        True for a hashtag or handle, a span cut inside a word, a span across a bracket
        ("(File Photo - Xinhua)Seoul": a caption glued to the next line), or a word gluing a
        known acronym to lower-case text (:func:`is_glued`).
    """
    if start > 0 and (body[start - 1] in "#@" or body[start - 1].isalnum()):
        return True
    if end < len(body) and body[end].isalnum():
        return True
    text = body[start:end]
    return is_glued(text, gaz) or any(c in text for c in "()[]{}<>|")  # "Xinhua)Seoul"


def is_glued(text: str, gaz) -> bool:
    """Whether ``text`` has a word that runs an acronym the gazetteer knows into lower-case letters.

    "APEChottie" (APEC + "hottie") and "NATOSummit" (NATO + "Summit") are glued page text;
    "JPMorgan" is a name: neither its upper-case run ("JPM") nor that run but its last letter
    (the capital of a camel-case word: "JP") is a name of the gazetteer. A text the gazetteer
    knows as a whole ("NADBank", the North American Development Bank) is never glued.

    Args:
        text: A candidate name.
        gaz: A ``kg.gazetteer.Gazetteer`` (``lookup_names``: labels and aliases, not demonyms).
    """
    runs = [m.group(1) for m in _GLUED.finditer(text)]
    if not runs or gaz.lookup_names(text):
        return False
    return any(gaz.lookup_names(r) for run in runs for r in (run, run[:-1]) if len(r) >= 2)


def is_event_name(doc, ts: int, te: int) -> bool:
    """Whether the token span names an event: its last word is one of :data:`EVENT_HEADS`,
    capitalised as part of the name ("Gyeongju APEC Summit", not "summit")."""
    last = doc[te - 1]
    return te - ts > 1 and last.text[:1].isupper() and last.lower_ in EVENT_HEADS


def is_enumerated_name(doc, ts: int, te: int) -> bool:
    """Whether an organisation span with commas is one name that lists its fields ("Ministry of
    Trade, Industry and Resources", "Department of Health, Education and Welfare"): an "of"
    before the first comma and an "and" after the last; not a list of names ("Tusk, Zelenskiy")."""
    commas = [t.i for t in doc[ts:te] if t.text == ","]
    if not commas:
        return False
    return (any(t.lower_ == "of" for t in doc[ts:commas[0]])
            and any(t.lower_ in ("and", "&") for t in doc[commas[-1]:te]))


def name_breaks(doc, ts: int, te: int) -> list[int]:
    """Token indices inside a person-tagged span that cannot be part of a name: lower-case words
    other than :data:`NAME_PARTICLES` ("Ja’afari accused de Mistura": "accused"), where the
    span is two names (or a name and junk) run together."""
    return [t.i for t in doc[ts + 1:te - 1] if t.is_alpha and t.text[:1].islower()
            and t.lower_ not in NAME_PARTICLES]


def names_place(doc, ts: int, te: int) -> bool:
    """Whether context makes the (person-tagged) token span a place: an apposition with a head in
    :data:`PLACE_NOUNS` ("Sochi, a Black Sea resort"), or the of-object of such a noun ("the Black
    Sea resort of Sochi")."""
    return _described_as(doc[te - 1], PLACE_NOUNS, PLACE_NOUNS, ts)


def names_organisation(doc, ts: int, te: int) -> bool:
    """Whether context makes the (person-tagged) token span an organisation: an apposition with
    a head in :data:`ORGANISATION_NOUNS`, or the of-object of a noun in :data:`BRANCH_NOUNS`."""
    return _described_as(doc[te - 1], ORGANISATION_NOUNS, BRANCH_NOUNS, ts)


def _described_as(head, appositions: frozenset[str], owners: frozenset[str], ts: int) -> bool:
    """``head`` (the last token of a name starting at token ``ts``) has an apposition or a
    common-noun modifier in ``appositions`` ("Jollibee, a chain"), follows such a singular noun
    it is in apposition to ("the Turkish newspaper Hurriyet"; not "the conglomerates — Samsung
    Chairman Lee …"), or is the of-object of a noun in ``owners``."""
    if any(c.dep_ in ("appos", "compound", "nmod") and c.pos_ == "NOUN" and c.lemma_.lower() in appositions
           for c in head.children):
        return True
    noun = head.head
    if (head.dep_ == "appos" and noun.i == ts - 1 and noun.tag_ == "NN"
            and noun.lemma_.lower() in appositions):
        return True  # "the Turkish newspaper Hurriyet" (the name in apposition to the noun)
    prep = head.head
    return (head.dep_ == "pobj" and prep.lower_ == "of" and prep.head.i != prep.i
            and prep.head.lower_ in owners)
