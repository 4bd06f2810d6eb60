"""CAMEO codes of demands (10x) and appeals (02x) by what is demanded.

Source: Schrodt, "CAMEO Conflict and Mediation Event Observations Event and Actor Codebook",
version 1.1b3 (2012), cue categories 02 (APPEAL) and 10 (DEMAND), which run in parallel (02x
is the appeal, 10x the demand, of the same thing):

====  ====  =============================================================
10x   02x   what is demanded
====  ====  =============================================================
100   020   not specified below
1032  0232  military aid
1033  0233  humanitarian aid
103   023   material aid, not specified below
1034  0234  military protection or peacekeeping
1041  0241  change in leadership
105   025   that the target yields, not specified below
1053  0253  release of persons or property
1054  0254  easing of economic sanctions, boycott, or embargo
1055  0255  that the target allows international involvement (non-mediation)
1056  0256  de-escalation of military engagement (ceasefire, withdrawal)
106   026   meeting, negotiation
107   027   settling of dispute
108   028   mediation
====  ====  =============================================================

The 1.1b3 numbering is the one of ``CAMEO2PLOVER-2021.txt`` (``kg.plover``): 1051-1056 are
DEMAND ``yield``, 106-108 DEMAND ``meet``. GDELT's event-code list numbers 106 "Demand
withdrawal", 107 "Demand ceasefire", 108 "Demand meeting, negotiation" and 105 "Demand
mediation"; those are not the codebook's codes and are not used here.

The word lists (lemmas) are ours, by kind of demanded thing, from the wording of wire copy
("called for a ceasefire", "urged Kyiv to pull its troops", "called for a halt to sanctions").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Words that name a de-escalation by themselves.
DEESCALATION = frozenset("ceasefire cease-fire truce armistice de-escalation deescalation de-escalate "
                         "demilitarization demilitarisation demilitarize demilitarise".split())
#: Words of a withdrawal, a de-escalation when what withdraws is armed (:data:`MILITARY`).
WITHDRAWAL = frozenset("withdraw withdrawal pullout pullback pull retreat".split())
#: Armed forces and their means.
MILITARY = frozenset("troop force army soldier military unit fighter militia militant jihadist weapon "
                     "missile tank warship navy".split())
#: Fighting, whose end, pause or halt is a de-escalation.
FIGHTING = frozenset("fighting fight war hostility attack strike airstrike offensive bombing bombardment "
                     "shelling violence assault incursion invasion aggression combat clash escalation "
                     "operation".split())
#: Words of ending or pausing something (with ``kg.extract.stance_lexicon.REVERSAL_NOUNS`` and
#: ``REVERSAL_VERBS``, which the caller's ``ended`` flag stands for).
ENDING = frozenset("halt end stop cessation suspension pause lifting lift ease easing relief cease "
                   "removal repeal".split())
#: Economic sanctions, boycotts and embargoes.
SANCTIONS = frozenset("sanction embargo boycott blockade".split())
#: People or property whose release is demanded.
RELEASED = frozenset("prisoner hostage detainee captive abductee journalist activist citizen national "
                     "people person crew sailor fisherman ship vessel".split())
MEDIATION = frozenset("mediation mediate mediator".split())
MEETING = frozenset("talk negotiation negotiate dialogue meeting meet summit consultation".split())
SETTLEMENT = frozenset("settlement settle compromise solution".split())
PEACE_DEALS = frozenset("deal agreement accord treaty plan".split())
LEADERSHIP = frozenset("resign resignation ouster oust removal impeachment".split())
AID = frozenset("aid assistance".split())
PEACEKEEPING = frozenset("peacekeeper peacekeeping protection".split())
INVOLVEMENT = frozenset("investigation inquiry probe inspector inspection observer monitor".split())


def demand_cameo(tokens: Iterable, head=None, *, appeal: bool = False, ended: bool = False) -> str:
    """The CAMEO code of a demand (10x) or appeal (02x) from what it asks for.

    Args:
        tokens: spaCy tokens of the demanded thing (the target phrase: "a ceasefire in Idlib",
            "Kyiv to pull its troops from the region", "a halt to what it called brutal sanctions").
        head: Optional head token of that phrase; it and its modifiers are read first ("talks
            on a ceasefire" asks for talks: 106; "humanitarian aid": 1033).
        appeal: True for an appeal ("urged", "called on", "appealed"): the 02x code of the
            same thing.
        ended: True when the demand is that the target end ("called for a halt to sanctions",
            "urged Pyongyang to cease provocations", "demanded an end to the talks"): a demand
            that the target yield (105) unless what is to end is sanctions (1054), fighting
            (1056) or a leader's rule ("committed to Assad's removal": 1041); the head is not
            read first (its word is the ending).

    Returns:
        A code of the module docstring's table, as a string of digits ("1056", "026", "100").
    """
    toks = list(tokens)
    code = None
    if head is not None and not ended:
        mods = [head, *(c for c in head.children if c.dep_ in ("amod", "compound", "nmod"))]
        own = _words(mods)
        code = _classify(own, "", ended=False) if not own & (ENDING | WITHDRAWAL) else None
    if code is None:
        code = _classify(_words(toks), " ".join(t.lower_ for t in toks), ended=ended) or "100"
    return "02" + code[2:] if appeal else code


def _words(toks: list) -> set[str]:
    """Lemmas and lower-case forms of ``toks``, plus the hyphenated words spaCy splits ("cease-fire")."""
    words = {t.lemma_.lower() for t in toks} | {t.lower_ for t in toks}
    text = "".join(t.text_with_ws for t in sorted(toks, key=lambda t: t.i)).lower()
    return words | set(_HYPHENATED.findall(text))


_HYPHENATED = re.compile(r"[a-z]+(?:-[a-z]+)+")


def _classify(words: set[str], text: str, *, ended: bool) -> str | None:
    """The 10x code of a set of words (lemmas and lower-case forms) and their text, or None when
    nothing fits and no ending is asked for. ``ended`` (the caller's flag): only sanctions (1054),
    fighting (1056) and a leader's rule (1041) are told apart from any other ending (105)."""
    ending = ended or bool(words & ENDING)
    if words & SANCTIONS and ending:
        return "1054"
    if ending and words & FIGHTING:
        return "1056"
    if ended:
        return "1041" if words & LEADERSHIP else "105"
    if words & DEESCALATION or (words & WITHDRAWAL and words & MILITARY):
        return "1056"
    if "release" in words and words & RELEASED or "free" in words and words & RELEASED:
        return "1053"
    if words & MEDIATION:
        return "108"
    if words & MEETING:
        return "106"
    if words & SETTLEMENT or ("peace" in words and words & PEACE_DEALS):
        return "107"
    if words & LEADERSHIP or any(p in text for p in ("step down", "stand down", "step aside", "stand aside")):
        return "1041"
    if words & AID:
        if "humanitarian" in words:
            return "1033"
        return "1032" if words & MILITARY else "103"
    if words & PEACEKEEPING:
        return "1034"
    if words & INVOLVEMENT and ("international" in words or "allow" in words):
        return "1055"
    return "105" if ending else None
