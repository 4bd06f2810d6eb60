"""PLOVER event type and mode of an event, from its CAMEO code, kind, trigger and meeting mode.

PLOVER (Political Language Ontology for Verifiable Event Records, Open Event Data Alliance)
keeps only CAMEO's two-digit cue categories as 16 event types and moves most of the 3- and
4-digit detail into a ``mode`` field. Sources (see ``docs/plover-cameo.md`` for the table):

- Event types and modes: the PLOVER codebook, "PLOVER: Political Language Ontology for
  Verifiable Event Records. Event, Actor and Data Interchange Specification", draft version
  0.7b1, Open Event Data Alliance, 2021, ``PLOVER_MANUAL.tex`` in
  https://github.com/openeventdata/PLOVER (Halterman, Schrodt, Bagozzi, Beger et al.).
- CAMEO code -> (type, mode): ``CAMEO2PLOVER-2021.txt`` in the same repository, the
  conversion table of CAMEO 1.1b3 codes (Schrodt 2012, "CAMEO Conflict and Mediation Event
  Observations Event and Actor Codebook", version 1.1b3) to PLOVER event and mode.

Decisions of ours, each documented in ``docs/plover-cameo.md``:

- CAMEO 01x (make public statement) and 02x (appeal) have no PLOVER type: PLOVER dropped
  both ("The CAMEO 01 and 02 categories dealing with comments have been eliminated"). A
  statement whose reporting verb is itself a PLOVER act ("accused", "demanded",
  "rejected", "threatened", "praised") takes that act's type: the CAMEO codebook codes a
  comment as 010 "only when [it does] not further imply appeals, agreements, support,
  apologies, demands, disapprovals, rejections, threats".
- Meetings are always CONSULT: a planned meeting (CAMEO 036, "express intent to meet") is a
  CONSULT with PLOVER's ``future`` context (the codebook's own example: "Members of the G-7
  will meet in Ottawa next month"); the graph records that context as ``gk:status
  gk:Planned``. A remote meeting has the CONSULT mode ``phone`` ("Consultation occurs via
  phone or some other remote medium").
- CAMEO 163 (impose embargo, boycott or sanctions) is SANCTION as in the codebook's
  SANCTION definition, where the 2021 table says COERCE.
- A position of kind ``urge`` is an appeal (CAMEO 02x), which PLOVER does not code.
"""

from __future__ import annotations

#: The 16 PLOVER event types of the codebook (draft 0.7b1), in its order.
PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "DEMAND",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)

#: CONSULT modes of the codebook (table "CONSULT modes"; ``host`` comes from the 2021 table).
CONSULT_MODES: tuple[str, ...] = ("visit", "third-party", "multilateral", "phone", "host")


def _rows(spec: str) -> dict[str, tuple[str, str | None]]:
    """Parse lines "TYPE mode: code code …" ("-" = no mode) into code -> (type, mode)."""
    table: dict[str, tuple[str, str | None]] = {}
    for line in spec.strip().splitlines():
        head, codes = line.split(":")
        kind, mode = head.split()
        for code in codes.split():
            table[code] = (kind, None if mode == "-" else mode)
    return table


#: CAMEO code -> (PLOVER type, PLOVER mode or None) for the CAMEO 03-20 codes, transcribed from
#: CAMEO2PLOVER-2021.txt (openeventdata/PLOVER; one line per code there, grouped here by type and
#: mode in the order of that file); 163 follows the codebook (SANCTION, not COERCE restrict).
CAMEO_TO_PLOVER: dict[str, tuple[str, str | None]] = _rows("""
AGREE -: 030 031 0311 0312 0313 0314 032 033 0331 0332 0333 0334 034 0341 0342 0343 0344 035
AGREE -: 0351 0352 0353 0354 0355 0356 036 037 038 039
CONSULT -: 040 045 046
CONSULT phone: 041
CONSULT visit: 042
CONSULT host: 043
CONSULT third-party: 044
SUPPORT -: 050 051 052 053 054 055 056 057
COOPERATE -: 060 061 062 063 064
AID -: 070 071 072 073 074 075
CONCEDE -: 080 081 0811 0812 082 083 0831 0832 0833 0834
RETREAT -: 084
RETREAT release: 0841
RETREAT return: 0842
RETREAT ease: 085 0813 0814
RETREAT access: 086 0861 0862 0863
RETREAT disarm: 087 0873 0874
RETREAT ceasefire: 0871
RETREAT withdraw: 0872
ACCUSE investigate: 090 091 092 093 094
DEMAND -: 100
DEMAND assist: 101 1011 1012 1013 1014 102 103 1031 1032 1033 1034
DEMAND change: 104 1041 1042 1043 1044 105
DEMAND yield: 1051 1052 1053 1054 1055 1056
DEMAND meet: 106 107 108
ACCUSE disapprove: 110 111 112 1121 1122 1123 1124 1125 113 114 115 116
REJECT -: 120
REJECT assist: 121 1211 1212 1213 1214 122 1221 1222 1223 1224
REJECT change: 123 1231 1232 1233 1234 124 1241 1242
REJECT yield: 1243 1244 1245 1246 128 129
REJECT meet: 125 126 127
THREATEN -: 130 131
THREATEN relations: 1311 1313 133 134 135 139
THREATEN restrict: 1312 1323 1324 1381
THREATEN ban: 132 1322
THREATEN political: 1321
THREATEN expel: 136
THREATEN violence: 137 138 1383 1384 1385
THREATEN territory: 1382
PROTEST -: 140
PROTEST demo: 141 1411 1412 1413 1414
PROTEST hunger: 142 1421 1422 1423 1424
PROTEST boycott: 143 1431 1432 1433 1434
PROTEST obstruct: 144 1441 1442 1443 1444
PROTEST riot: 145 1451 1452 1453 1454
MOBILIZE -: 150
MOBILIZE police: 151 153
MOBILIZE troops: 152 154
SANCTION -: 160 163
SANCTION withdraw: 161 164 165
SANCTION discontinue: 162 1621 1622 1623
SANCTION expel: 166 1661 1662 1663
COERCE -: 170
COERCE confiscate: 171 1711 192
ASSAULT destroy: 1712
COERCE restrict: 172 1721 191
COERCE ban: 1722
COERCE curfew: 1723
COERCE martial-law: 1724
COERCE arrest: 173
COERCE deport: 174
ASSAULT -: 175 180 1823 190 196
ASSAULT abduct: 181 184
ASSAULT beat: 182
ASSAULT sexual: 1821
ASSAULT torture: 1822
ASSAULT suicide-attack: 183 1831
ASSAULT explosives: 1832 1833
ASSAULT assassinate: 185 186
ASSAULT firearms: 193
ASSAULT heavy-weapons: 194 195
ASSAULT unconventional: 200 204 2041 2042
ASSAULT cleansing: 201 202 203
""")

#: Reporting-verb lemmas that are themselves a CAMEO act beyond 01x (codes of CAMEO 1.1b3:
#: 051 praise or endorse, 100 demand, 111 criticize or denounce, 112 accuse, 114 complain
#: officially, 120 reject, 130 threaten). Appeals ("urge", "call for": 02x), warnings and
#: denials (012, 016) and promises (ambiguous between 03x and 13x) are left out.
STATEMENT_VERB_CAMEO: dict[str, str] = {
    **dict.fromkeys("praise hail welcome commend".split(), "051"),
    "demand": "100",
    **dict.fromkeys("""condemn denounce criticize criticise chastise berate rebuke slam blast lambast
                    lambaste decry deplore curse""".split(), "111"),
    **dict.fromkeys("accuse blame allege".split(), "112"),
    "complain": "114",
    **dict.fromkeys("reject dismiss".split(), "120"),
    "threaten": "130",
}

#: Meeting trigger lemmas of a visit (CONSULT mode ``visit``: "Source actor is visiting,
#: recipient is hosting").
VISIT_WORDS = frozenset("visit trip tour".split())

#: Position kinds that are appeals (CAMEO 02x), not coded by PLOVER.
APPEAL_KINDS = frozenset({"urge"})


def _lemmas(word: str) -> list[str]:
    """Candidate lemmas of an inflected English verb form ("slammed" -> "slam", "decried" -> "decry")."""
    w = word.lower()
    out = [w]
    if w.endswith("ied") or w.endswith("ies"):
        out.append(w[:-3] + "y")
    if w.endswith("ing"):
        out += [w[:-3], w[:-3] + "e", w[:-4]]
    if w.endswith("ed"):
        out += [w[:-1], w[:-2], w[:-3]]  # welcome-d, reject-ed, slamm-ed
    if w.endswith("s"):
        out += [w[:-1], w[:-2]]  # praise-s, dismiss-es
    return out


def statement_cameo(trigger: str | None) -> str | None:
    """The CAMEO code a reporting verb carries beyond 01x ("accused" -> "112"), else None.

    Args:
        trigger: The statement's trigger text ("said", "accused", "according to").

    Returns:
        A code of :data:`STATEMENT_VERB_CAMEO`, or None for a plain comment.
    """
    if not trigger:
        return None
    words = trigger.split()
    for lemma in _lemmas(words[0]) if words else ():
        if lemma in STATEMENT_VERB_CAMEO:
            return STATEMENT_VERB_CAMEO[lemma]
    return None


def lookup(cameo: str | None) -> tuple[str | None, str | None]:
    """(PLOVER type, mode) of a CAMEO code from :data:`CAMEO_TO_PLOVER`.

    A 4-digit code missing from the table falls back to its 3-digit parent; 01x/02x and
    unknown codes give ``(None, None)``.
    """
    if not cameo:
        return None, None
    code = cameo.strip()
    if code in CAMEO_TO_PLOVER:
        return CAMEO_TO_PLOVER[code]
    if len(code) == 4 and code[:3] in CAMEO_TO_PLOVER:
        return CAMEO_TO_PLOVER[code[:3]]
    return None, None


def plover_of(kind: str, cameo: str, trigger: str | None = None,
              mode: str | None = None) -> tuple[str | None, str | None]:
    """The PLOVER event type and mode of one event.

    Args:
        kind: "meeting", "statement" or "position"; a position may add its stance kind
            after a colon ("position:urge").
        cameo: The event's CAMEO code (``Meeting/Statement/Position.cameo``).
        trigger: The trigger text (statements: the reporting verb; meetings: the meeting word).
        mode: ``Meeting.mode`` ("in_person", "remote" or None); ignored for other kinds.

    Returns:
        ``(type, mode)``: type is one of :data:`PLOVER_TYPES` or None when PLOVER has no
        type for the event (a plain statement, an appeal); mode is a PLOVER mode name or None.
        Meetings are always CONSULT, with mode "phone" when remote, else the mode of the
        CAMEO code ("visit" for 042); statements take the code of their reporting verb
        (:func:`statement_cameo`); positions of an appeal kind ("urge") have no type.
    """
    base, _, sub = kind.partition(":")
    base = base.strip().lower()
    if base == "meeting":
        _, cmode = lookup(cameo)
        if mode == "remote":
            return "CONSULT", "phone"
        words = trigger.lower().split() if trigger else []
        if any(lemma in VISIT_WORDS for w in words for lemma in _lemmas(w)):
            return "CONSULT", "visit"  # also a planned visit (CAMEO 036)
        return "CONSULT", cmode if cmode in CONSULT_MODES else None
    if base == "statement":
        return lookup(statement_cameo(trigger) or cameo)
    if base == "position" and sub.strip().lower() in APPEAL_KINDS:
        return None, None
    return lookup(cameo)
