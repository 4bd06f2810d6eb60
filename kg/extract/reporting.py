"""The reporting-verb inventory: which words introduce a reported speech act, and its CAMEO code.

Other extractors (positions) may import this module read-only; its public API is the word
lists below, :func:`is_reporting_verb` (is this token a speech verb?), :func:`factuality`
(does the sentence report the act as made, denied or hypothetical?) and its yes/no form
:func:`is_asserted`, :func:`is_news_media` and :func:`cameo_of`.

Sources of the lists:

* Verbs of communication: Levin, "English Verb Classes and Alternations" (1993), classes
  37.1 (*transfer of a message*: explain, quote, cite), 37.2 (*tell*), 37.7 (*say* verbs:
  announce, declare, state, report), 37.8 (*complain* verbs), 37.9 (*advise* verbs: warn,
  caution), 33 (*judgment* verbs, only those realised by speech in wire copy: praise,
  condemn, criticise, accuse, blame).
* The reporting conventions of wire copy (Reuters/AP/AFP/Yonhap style): "X was quoted as
  saying", "according to X", "X said in a statement", "X tweeted", "X described Y as Z",
  "called for", "raised concerns", "made clear".
* CAMEO codes: Schrodt, "CAMEO Conflict and Mediation Event Observations Event and Actor
  Codebook", version 1.1b3 (2012), cue category 01 (MAKE PUBLIC STATEMENT): 010 make
  statement, 011 decline comment, 012 make pessimistic comment, 013 make optimistic comment,
  014 consider policy option, 015 acknowledge or claim responsibility, 016 deny
  responsibility, 017 engage in symbolic act, 018 make empathetic comment, 019 express accord.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Lemmas of verbs that report a speech act on their own ("said", "warned", "tweeted").
SPEECH_VERBS: frozenset[str] = frozenset("""
say tell state announce add warn urge stress emphasize emphasise clarify note insist deny
tweet retweet write report declare confirm explain acknowledge admit argue assert suggest predict
caution complain comment remark reply counter retort inform mention reiterate repeat
concede propose promise pledge vow threaten demand highlight underscore describe
paraphrase quote echo appeal advise affirm reaffirm allege brief testify
contend lament question dismiss reject condemn denounce criticize criticise accuse blame
praise hail welcome chastise berate rebuke slam blast lambast decry deplore curse
downplay cite signal hint voice express outline reveal disclose proclaim announce insist
""".split())

#: Lemmas that report speech only with a particular complement: "call for/on/X a hoax",
#: "raise concerns", "make clear", "issue a statement", "renew his denial", "take issue with".
CONDITIONAL_VERBS: frozenset[str] = frozenset("call raise make issue renew take press maintain claim continue "
                                                 "plead observe recall".split())

#: Every lemma :func:`is_reporting_verb` may accept.
REPORTING_VERBS: frozenset[str] = SPEECH_VERBS | CONDITIONAL_VERBS

#: Nouns naming a speech act or an expressed attitude ("raised concerns", "issued a statement").
SPEECH_NOUNS: frozenset[str] = frozenset("""
statement announcement remark remarks comment comments assertion claim declaration warning
denial pledge promise message tweet speech address readout criticism rebuke accusation
concern concerns issue question questions possibility objection objections doubt doubts hope
hopes view views position support opposition call calls demand demands appeal plea pleas
insistence condolence condolences gratitude thanks respect regret willingness readiness
intention desire confidence interview rhetoric
""".split())

# "raise" reports speech only with one of these objects ("raised concerns", not "raised taxes").
_RAISE_OBJECTS = frozenset("concern concerns issue question questions possibility objection "
                           "objections doubt doubts matter point prospect".split())

# Objects of "call" that make it naming oneself, not speech ("calls itself a democracy").
_REFLEXIVES = frozenset("itself himself herself themselves ourselves myself".split())

# "maintain" reports speech with one of these objects.
_BELIEF_NOUNS = frozenset("belief position view stance innocence claim denial insistence".split())

_MODALS = frozenset("would could might may should will can must shall 'll 'd wo ca".split())
#: Modals of ability: with a first-person subject the act is performed as it is uttered ("I can
#: tell you …", "we can state that …"); otherwise the act is only possible.
_ABILITY_MODALS = frozenset("can ca".split())
#: Heads whose infinitive complement is a speech act not made: "declined to comment", "refused
#: to condemn", "failed to mention", "reluctant to criticise"; also "has yet to confirm".
_REFUSAL_HEADS = frozenset("decline refuse fail reluctant unwilling".split())
#: Heads whose infinitive complement is a speech act intended, expected or attempted, not made
#: (yet): "is due … to reassure", "trying to blame", "plans to announce", "is expected to say".
_INTENT_HEADS = frozenset("expect due plan intend hope want seek aim try attempt going likely ready able "
                          "set schedule wish prepare".split())
_WH = frozenset("how whether if what why when who which".split())
#: Subordinators of a condition ("if Trump says …", "unless Moscow confirms …"); not "even if",
#: "as if".
_CONDITIONAL_MARKS = frozenset("if unless".split())
#: Tags of finite verbs with a tense of their own: such a conjunct does not share the modal of
#: the verb it is coordinated with ("Xi said the economy would become open … and welcomed U.S.
#: companies").
_FINITE = frozenset("VBD VBZ".split())
#: Tokens that separate a modal from a verb it is not the auxiliary of (a modal inside a
#: quotation the parser attached to the reporting verb after it).
_SEPARATORS = frozenset(',;:“”"‘’\'')

#: Cue -> status (``kg.model.STATUSES``) of a speech act the text does not report as made.
#: Negated and refused acts did not happen ("denied"); modal, future, intended and conditional
#: acts are expected or hypothetical, not facts ("planned": the nearest value of the status
#: vocabulary, whose ``gk:Planned`` reads "planned, scheduled or expected").
CUE_STATUS: dict[str, str] = {
    "negated": "denied", "refused": "denied",
    "modal": "planned", "intended": "planned", "conditional": "planned",
}

#: How much less confident an event is when the text does not report it as having happened
#: (a denied or hypothetical speech act or stance).
NOT_OCCURRED_PENALTY = 0.15


@dataclass(frozen=True)
class Factuality:
    """How a sentence reports a speech act.

    Attributes:
        status: "occurred", "denied" or "planned" (``kg.model.STATUSES``).
        cue: Why it is not "occurred": "negated", "refused", "modal", "intended" or
            "conditional" (keys of :data:`CUE_STATUS`); None for an occurred act.
    """

    status: str = "occurred"
    cue: str | None = None


#: Lemma -> CAMEO 01x code (default 010, "make statement").
_CAMEO: dict[str, str] = {
    **dict.fromkeys("warn caution lament threaten".split(), "012"),
    **dict.fromkeys("reassure hail welcome praise".split(), "013"),
    **dict.fromkeys("propose suggest".split(), "014"),
    **dict.fromkeys("acknowledge admit concede".split(), "015"),
    "deny": "016",
    "echo": "019",
}


def is_reporting_verb(tok) -> bool:
    """Whether a spaCy token is a verb reporting a speech act.

    Args:
        tok: A ``spacy.tokens.Token`` (needs POS tags, lemmas and a dependency parse).

    Returns:
        True for a verb whose lemma is in :data:`SPEECH_VERBS`, or a conditional verb used
        with its speech complement: "call for X" / "call on X" / "called X a hoax" / "what it
        called X" (not "called Abe to …", "a group called X", "call itself X"); "observed
        that", "recalled how" (not "observe a pause"); "raise concerns"; "make clear"; "issue a statement"; "renew a denial";
        "take issue with"; "press X to do Y". Adjectival participles ("the said report") and
        nouns are not reporting verbs.
    """
    if tok.pos_ not in ("VERB", "AUX") or tok.dep_ in ("amod", "compound"):
        return False
    if tok.head.pos_ in ("NOUN", "PROPN") and tok.i < tok.head.i and tok.dep_ in ("acl", "nmod", "dep"):
        return False  # "the UN's proposed ceasefire"
    lemma = tok.lemma_.lower()
    if lemma in SPEECH_VERBS:
        return True
    if lemma not in CONDITIONAL_VERBS:
        return False
    kids = list(tok.children)
    deps = {c.dep_ for c in kids}
    if lemma == "call":  # "called for talks", "called on Ankara to", "called X a hoax", "what it called X"
        preps = [c for c in kids if c.dep_ == "prep" and c.lower_ in ("for", "on", "upon")]
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if nxt is not None and nxt.lower_ in ("for", "on", "upon") and nxt not in preps:
            preps.append(nxt)
        if any(p.lower_ == "for" or not any(o.ent_type_ in ("DATE", "TIME") for o in p.children)
               and p.i == tok.i + 1 for p in preps):
            return True
        if tok.dep_ == "acl" and tok.tag_ != "VBG" or any(c.dep_ == "dobj" and c.lower_ in _REFLEXIVES
                                                           for c in kids):
            return False  # naming, not speech: "a think-tank called the …", "unable to call itself a democracy"
        # "called X to …" with no "on" is a phone call ("tried to call Abe to wave him off")
        return (bool(deps & {"oprd", "ccomp"}) or "xcomp" in deps and "dobj" not in deps or tok.dep_ == "relcl"
                and any(c.dep_ == "dobj" and c.lower_ in ("what", "which") for c in kids))
    if lemma in ("observe", "recall"):  # "observed that", "recalled how"; not "observe a pause", "recall the history"
        return not any(c.dep_ == "dobj" and c.lower_ not in ("what", "which") for c in kids)
    if lemma == "raise":
        return any(c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in _RAISE_OBJECTS for c in kids)
    if lemma == "make":  # "made clear (that) …"
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        return nxt is not None and nxt.lower_ == "clear"
    if lemma == "plead":  # "pleaded with the Russians to", "pleaded for"; not "pleaded guilty"
        return any(c.dep_ == "prep" and c.lower_ in ("with", "for") for c in kids) or "ccomp" in deps
    if lemma == "maintain":  # "maintained his belief that", "maintained that"; not "maintain ties"
        return "ccomp" in deps or any(c.dep_ == "dobj" and c.lemma_.lower() in _BELIEF_NOUNS for c in kids)
    if lemma == "claim":  # "claimed (that) …", "who the president had claimed"; not "claim a victory"
        return not any(c.dep_ == "dobj" and c.lemma_.lower() not in ("responsibility", "credit") for c in kids)
    if lemma == "continue":  # "…, the president continued."
        after = {c.dep_ for c in tok.rights}
        return not (after & {"dobj", "xcomp", "ccomp", "prep"}) and tok.i > 0 \
            and tok.doc[tok.i - 1].pos_ in ("NOUN", "PROPN", "PRON")
    if lemma in ("issue", "renew"):
        return any(c.dep_ == "dobj" and c.lemma_.lower() in SPEECH_NOUNS for c in kids)
    if lemma == "take":
        return any(c.dep_ == "dobj" and c.lower_ == "issue" for c in kids)
    if lemma == "press":
        return "xcomp" in deps or "ccomp" in deps
    return False


def factuality(verb, index=None) -> Factuality | None:
    """How the sentence reports the speech act of ``verb``: as made, denied or hypothetical.

    Args:
        verb: A spaCy token (a reporting verb), with POS tags, lemmas and a dependency parse.
        index: Optional ``EntityIndex``: a name tagged as a modal ("May told") is no modal.

    Returns:
        ``Factuality("denied", "negated")`` for a negated act ("has not condemned", "never
        said", "can neither confirm nor deny", "has yet to confirm"); ``("denied", "refused")``
        for a declined or failed one ("declined to comment", "refused to condemn");
        ``("planned", "modal")`` for a modal or future one ("would raise", "will explain",
        "could confirm"; not the performative "I can tell you"); ``("planned", "intended")``
        for an intended or expected one ("is due … to reassure", "trying to blame");
        ``("planned", "conditional")`` under "if"/"unless"; None for an act asked about ("was
        asked how he had responded": the text reports the question, not the act); else
        ``Factuality()`` (occurred). A denial cue wins over a modal one ("will not comment").
        Cues reach down xcomp/conj chains and infinitives, not across a finite conjunct
        ("would become … and welcomed").
    """
    tok, via_infinitive, cues = verb, False, set()
    for _ in range(6):
        own = tok.i == verb.i
        for child in tok.children:
            if own and _negation(child, tok):
                cues.add("negated")
            if (child.dep_ == "aux" and child.lower_ in _MODALS and _auxiliary_of(child, tok)
                    and not (index and index.key_at_token(child)) and not _performative(child, tok)):
                cues.add("modal")
            if child.dep_ == "mark" and child.lower_ in _CONDITIONAL_MARKS and not (
                    child.i > 0 and child.doc[child.i - 1].lower_ in ("even", "as")):
                cues.add("conditional")
        if own and tok.dep_ == "conj" and any(c.lower_ == "nor" for c in tok.head.children) \
                and any(_negation(c, tok.head) for c in tok.head.children):
            cues.add("negated")  # "can neither confirm nor deny"
        if via_infinitive:
            words = (tok.lemma_.lower(), tok.lower_)
            if any(c.lower_ == "yet" for c in tok.children):
                cues.add("negated")  # "has yet to confirm"
            elif any(w in _REFUSAL_HEADS for w in words):
                cues.add("refused")
            elif any(w in _INTENT_HEADS for w in words):
                cues.add("intended")
        if tok.lemma_.lower() == "ask" and not own and any(c.lower_ in _WH for c in verb.children):
            return None
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
        if tok.dep_ == "conj" and tok.tag_ in _FINITE:
            break  # a finite conjunct has its own tense and mood
        if tok.dep_ in ("xcomp", "advcl", "conj", "acomp", "ccomp", "acl") and tok.head.i != tok.i and (
                infinitive or tok.dep_ in ("conj", "acomp", "xcomp") or tok.head.lemma_.lower() == "ask"):
            via_infinitive = infinitive or (via_infinitive and tok.dep_ == "acomp")
            tok = tok.head
            continue
        break
    for cue in ("negated", "refused", "conditional", "modal", "intended"):
        if cue in cues:
            return Factuality(CUE_STATUS[cue], cue)
    return Factuality()


def is_asserted(verb, index=None) -> bool:
    """Whether the sentence reports the speech act of ``verb`` as made: :func:`factuality` gives
    status "occurred" (see there for the arguments)."""
    found = factuality(verb, index)
    return found is not None and found.status == "occurred"


def _negation(child, head) -> bool:
    """ "not"/"n't", "never", "neither" modifying ``head``."""
    return child.dep_ == "neg" or (child.dep_ in ("advmod", "preconj") and child.lower_ in ("never", "neither"))


def _auxiliary_of(aux, verb) -> bool:
    """Whether the modal ``aux`` belongs to ``verb``'s own clause: it comes before the verb with no
    comma or quotation mark between ("“It must be put into effect …”, Macron said": the parser
    may hang "must" on "said"). A modal always precedes its verb, in questions too."""
    if aux.i > verb.i:
        return False
    return not any(t.text in _SEPARATORS for t in aux.doc[aux.i + 1:verb.i])


def _performative(aux, verb) -> bool:
    """ "I can tell you …", "we can state that …": an ability modal with a first-person subject
    performs the act as it is uttered."""
    return aux.lower_ in _ABILITY_MODALS and not any(c.dep_ == "neg" for c in verb.children) and any(
        c.dep_ == "nsubj" and c.lower_ in ("i", "we") for c in verb.children)


def cameo_of(lemma: str, cue: str | None = None) -> str:
    """The CAMEO 01x code of a reporting verb lemma (010 unless the verb is more specific); 011
    (decline comment: "explicitly decline or refuse to comment") for an act the speaker refused
    (``cue`` "refused" of :func:`factuality`: "declined to comment", "refused to confirm")."""
    if cue == "refused":
        return "011"
    return _CAMEO.get(lemma.lower(), "010")


#: News organisations and media words: a body whose name is or contains one of these merely
#: relays others' words ("…, Al Jazeera reports", "RIA quoted Peskov as saying") and is
#: not itself a speaker. Lower-case; names of the international wire services and of the
#: state agencies wire copy cites most (from the agencies' own names).
NEWS_MEDIA: frozenset[str] = frozenset("""
reuters afp ap xinhua ria tass interfax yonhap kcna kctv cctv bbc cnn bloomberg npr cbs abc nbc
fox nhk kyodo jiji anadolu irna isna fars mehr tasnim wafa sana petra spa wam mena bernama
antara ptinews pti ani dpa efe ansa notimex prensa sputnik rt
""".split()) | frozenset({
    "agence france-presse", "associated press", "the associated press", "al jazeera",
    "new york times", "the new york times", "washington post", "the washington post",
    "the guardian", "guardian", "wall street journal", "the wall street journal", "financial times",
    "rodong sinmun", "korea herald", "the korea herald", "korea times", "the korea times",
    "global times", "people's daily", "china daily", "ria novosti", "itar-tass", "bloomberg news",
    "abc news", "cbs news", "nbc news", "fox news", "sky news", "voice of america", "radio free europe",
    "yonhap news agency", "xinhua news agency", "ria news agency", "kyodo news", "press tv",
})

#: Head words of a media outlet's description ("the RIA news agency", "state media").
MEDIA_WORDS: frozenset[str] = frozenset("""
agency media newspaper broadcaster television tv radio daily outlet outlets tabloid magazine
press news
""".split())


def is_news_media(label: str) -> bool:
    """Whether an actor label names a news organisation (see :data:`NEWS_MEDIA`)."""
    low = " ".join(label.lower().split())
    if low in NEWS_MEDIA:
        return True
    words = low.replace("’", "'").split()
    return bool(words) and (words[-1] in MEDIA_WORDS and words[-1] != "press"
                            or any(w in NEWS_MEDIA and len(w) > 3 for w in words))
