"""The reporting-verb inventory: which words introduce a reported speech act, and its CAMEO code.

Other extractors (positions) may import this module read-only; its public API is the word
lists below, :func:`is_reporting_verb` (is this token a speech verb?), :func:`is_asserted`
(does the sentence report the act as made?), :func:`is_news_media` and :func:`cameo_of`.

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

#: Lemmas of verbs that report a speech act on their own ("said", "warned", "tweeted").
SPEECH_VERBS: frozenset[str] = frozenset("""
say tell state announce add warn urge stress emphasize emphasise clarify note insist deny
tweet retweet write report declare confirm explain acknowledge admit argue assert suggest predict
caution complain comment remark reply counter retort inform mention reiterate repeat
concede propose promise pledge vow threaten demand recall highlight underscore describe
paraphrase quote echo appeal advise affirm reaffirm allege brief testify
contend observe lament question dismiss reject condemn denounce criticize criticise accuse blame
praise hail welcome chastise berate rebuke slam blast lambast decry deplore curse
downplay cite signal hint voice express outline reveal disclose proclaim announce insist
""".split())

#: Lemmas that report speech only with a particular complement: "call for/on/X a hoax",
#: "raise concerns", "make clear", "issue a statement", "renew his denial", "take issue with".
CONDITIONAL_VERBS: frozenset[str] = frozenset("call raise make issue renew take press maintain claim continue "
                                                 "plead".split())

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

# "maintain" reports speech with one of these objects.
_BELIEF_NOUNS = frozenset("belief position view stance innocence claim denial insistence".split())

_MODALS = frozenset("would could might may should will can must shall 'll 'd wo ca".split())
_IRREALIS_HEADS = frozenset("expect due plan intend hope want seek aim try attempt going likely ready able "
                            "set schedule wish prepare decline refuse fail reluctant unwilling".split())
_WH = frozenset("how whether if what why when who which".split())

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
        called X"; "raise concerns"; "make clear"; "issue a statement"; "renew a denial";
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
        return (bool(deps & {"oprd", "ccomp", "xcomp"}) or tok.dep_ == "relcl"
                and any(c.dep_ == "dobj" and c.lower_ in ("what", "which") for c in kids))
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


def is_asserted(verb, index=None) -> bool:
    """Whether the sentence reports the speech act of ``verb`` as made.

    Args:
        verb: A spaCy token (a reporting verb).
        index: Optional ``EntityIndex``: a name tagged as a modal ("May told") is no modal.

    Returns:
        False when it is negated ("has not condemned"), modal or future ("would raise", "will
        explain"), intended or declined ("is due … to reassure", "trying to blame", "has yet to
        confirm", "declined to condemn"), or asked about ("was asked how he had responded");
        True otherwise. Modality reaches down conj/xcomp chains and infinitives.
    """
    tok, via_infinitive = verb, False
    for _ in range(6):
        for child in tok.children:
            if child.dep_ == "neg" and tok.i == verb.i:
                return False
            if child.dep_ == "aux" and child.lower_ in _MODALS and not (index and index.key_at_token(child)):
                return False
        if via_infinitive and (tok.lemma_.lower() in _IRREALIS_HEADS or tok.lower_ in _IRREALIS_HEADS
                               or any(c.lower_ == "yet" for c in tok.children)):  # "has yet to confirm"
            return False
        if tok.lemma_.lower() == "ask" and tok.i != verb.i and any(c.lower_ in _WH for c in verb.children):
            return False
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
        if tok.dep_ in ("xcomp", "advcl", "conj", "acomp", "ccomp", "acl") and tok.head.i != tok.i and (
                infinitive or tok.dep_ in ("conj", "acomp", "xcomp") or tok.head.lemma_.lower() == "ask"):
            via_infinitive = infinitive or (via_infinitive and tok.dep_ == "acomp")
            tok = tok.head
            continue
        break
    return True


def cameo_of(lemma: str) -> str:
    """The CAMEO 01x code of a reporting verb lemma (010 unless the verb is more specific)."""
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
