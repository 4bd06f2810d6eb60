"""Dependency-parse helpers of the stance rules (:mod:`kg.extract.positions`).

Each function reads a spaCy token (POS tags, lemmas and a dependency parse, spaCy's
ClearNLP-style labels: nsubj, dobj, xcomp, ccomp, pcomp, acl, relcl, neg, ...) and answers
one syntactic question: the object of a verb, whether it is negated, denied or
hypothetical, the verb governing a stance noun, the text of a phrase. ``speech_stance``
reads what a speaker's clause says (a negated claim, a commitment, its valence). Offsets are
spaCy token indices; text spans are character-exact slices of the Doc.
"""

from __future__ import annotations

from kg.extract import reporting
from kg.extract import stance_lexicon as lex

#: Prepositions whose object is a stance's target ("support for", "criticism of").
TARGET_PREPS = ("for", "of", "to", "against", "on", "with", "over", "about", "toward", "towards", "in")
#: Longest target text kept, in characters.
MAX_TARGET_CHARS = 200

_TERMINAL = (".", "!", "?", "”", '"', "’", ":", "'")


def is_prose(body: str, sent) -> bool:
    """Whether a sentence is running text: headlines, captions and bylines caught in the body
    ("Russia demands Ukraine give up land; Kyiv refuses") are lines without final punctuation,
    unless they end in an attribution ("…,” he said"). A sentence the parser cut inside a
    line is prose."""
    text = sent.text.rstrip()
    if text.endswith(_TERMINAL) or body[sent.end:sent.end + 1] not in ("", "\n"):
        return True
    tail = text.lower().split()[-3:]
    return any(w.strip(",") in ("said", "says", "told", "added", "wrote", "tweeted") for w in tail)


def negated(tok) -> bool:
    """ "did not support", "never renounced", "will neither watch … nor participate"."""
    if any(c.dep_ == "neg" or (c.dep_ in ("advmod", "preconj") and c.lower_ in ("never", "neither"))
           for c in tok.children):
        return True
    return tok.dep_ == "conj" and any(c.lower_ == "nor" for c in tok.head.children) and negated(tok.head)


def is_hypothetical(tok) -> bool:
    """ "would reject if…", "could support", "might welcome": a conditional or modal clause.

    "would"/"could" in the complement of a reporting verb are the reported "will"/"can"
    ("Turkey said it would not allow…", "both leaders agreed they could not accept…"), not a
    hypothesis; "even if" is concessive.
    """
    chain = [tok, *tok.ancestors][:3]
    reported = any(t.dep_ == "ccomp" and reporting.is_reporting_verb(t.head) for t in chain)
    for t in chain:
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") and not _after_even(c) for c in t.children):
            return True
        modals = lex.HYPOTHETICAL_MODALS - (lex.BACKSHIFTED_MODALS if reported else set())
        if any(c.dep_ == "aux" and c.lower_ in modals for c in t.children):
            return True
    return False


def _after_even(mark) -> bool:
    """ "even if it criticises…": concessive, not conditional."""
    return mark.i > 0 and mark.doc[mark.i - 1].lower_ == "even"


def is_denied(tok) -> bool:
    """ "The official denied that Trump had expressed concern…", "dismissed reports that X
    backed…": the trigger lies in the complement of a verb of denial."""
    child = tok
    while child.dep_ in ("dobj", "pobj", "attr", "nsubjpass", "prep") and child.head.i != child.i:
        child = child.head  # a stance noun: from its governing verb ("denied that X had expressed concern")
    for anc in list(child.ancestors)[:4]:
        if child.dep_ in ("ccomp", "xcomp", "pcomp") and anc.lemma_.lower() in lex.DENIAL_VERBS and anc.i < child.i:
            return True
        if child.dep_ not in ("ccomp", "xcomp", "conj", "pcomp", "prep", "acl"):
            return False
        child = anc
    return False


def object_of(tok, prep=None):
    """The target of a verb: the object of its phrasal preposition ("call for"), else the direct
    object, else a preposition's object, else its clause."""
    if prep is not None and prep.dep_ == "prep":
        g = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None)
        if g is not None:
            return g
    if prep is not None and prep.dep_ in ("prt", "advmod"):  # "hit back at comments": the particle's preposition
        after = next((c for c in tok.children if c.dep_ == "prep" and c.i > prep.i), None)
        g = next((g for g in after.children if g.dep_ in ("pobj", "pcomp")), None) if after is not None else None
        if g is not None:
            return g
    for c in tok.children:
        if c.dep_ in ("dobj", "attr"):
            return c
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in TARGET_PREPS:
            g = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if g is not None:
                return g
    for c in tok.children:
        if c.dep_ in ("xcomp", "ccomp"):
            return c
    for c in tok.children:  # "upheld and stuck to the policy": a coordinated verb sharing the subject
        if c.dep_ == "conj" and c.pos_ == "VERB" and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children):
            if (g := object_of(c)) is not None:
                return g
    return None


def predicate_span(tok):
    """Tokens of a verb's own predicate: the verb and what follows it in its subtree, without
    subject, auxiliaries, negation, marker and punctuation: the action a refusal refuses
    ("would not negotiate under blackmail" -> "negotiate under blackmail"); empty for a token
    that is not a verb."""
    if tok.pos_ not in ("VERB", "AUX"):
        return []
    skip: set[int] = set()
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass", "csubj", "aux", "auxpass", "neg", "punct", "mark", "preconj", "cc"):
            skip.update(t.i for t in c.subtree)
    return sorted((t for t in tok.subtree if t.i >= tok.i and t.i not in skip), key=lambda t: t.i)


def passive_subject(tok):
    """The subject of a passive verb when it names something ("any official visit … would not be
    welcomed"), not a pronoun; else None."""
    subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
    return subj if subj is not None and subj.pos_ != "PRON" else None


def object_span(tok, prep=None):
    """Tokens of the object phrase: dobj through a following xcomp ("urged Turkey to de-escalate")."""
    obj = object_of(tok, prep)
    if obj is None:
        return ()
    toks = list(obj.subtree)
    if obj.dep_ == "dobj":
        for c in tok.children:
            if c.dep_ in ("xcomp", "ccomp") and c.i > obj.i:
                toks += list(c.subtree)
    return sorted(toks, key=lambda t: t.i)


def clause_span(tok):
    return sorted((t for t in tok.subtree if t.dep_ not in ("mark",)), key=lambda t: t.i)


def passive(tok) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)


def verb_lemma(tok, lemma: str) -> str:
    """The lemma, repaired where the tagger's lemmatiser fails on a stance verb ("hopes" -> "hop")."""
    if lemma in lex.VERBS or lemma in lex.CAUSATIVE or any(k[0] == lemma for k in lex.PHRASAL):
        return lemma
    low = tok.lower_
    ing = (low[:-3], low[:-3] + "e") if low.endswith("ing") else ()
    for cand in (low[:-1], low[:-2], low[:-1] + "e" if low.endswith("ed") else "", *ing):
        if cand and (cand in lex.VERBS or cand in lex.IRREALIS_VERBS) and cand.startswith(lemma[:3]):
            return cand
    return lemma


def reversal(verb, obj):
    """ "called for a halt to sanctions", "urged Pyongyang to cease provocations": the thing a
    demand wants ended, or None."""
    if obj is not None and obj.lemma_.lower() in lex.REVERSAL_NOUNS:
        return of_object(obj) or obj
    for c in verb.children:
        if c.dep_ in ("xcomp", "ccomp") and c.lemma_.lower() in lex.REVERSAL_VERBS:
            return next((g for g in c.children if g.dep_ == "dobj"), c)
    return None


def pobj(prep):
    """The object of a preposition (pobj or pcomp), or None."""
    return next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None)


def of_object(tok):
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("of", "to", "on"):
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def governing_verb(tok):
    """The verb a noun is the object of ("expressed concern", "sparked outrage … with a rebuke",
    "confirmed its position of support")."""
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN" and head.head.dep_ in ("dobj", "pobj"):
        return governing_verb(head.head)
    if tok.dep_ in ("dobj", "nsubjpass", "attr"):
        return head if head.pos_ in ("VERB", "AUX") else None
    if tok.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("with", "of", "in"):
        verb = head.head
        return verb if verb.pos_ in ("VERB", "AUX") else None
    if tok.dep_ == "conj":
        return governing_verb(head)
    return None


def contrast(obj):
    """ "a long-term peace, not a short-term ceasefire" -> the negated alternative."""
    if obj is None:
        return None
    doc = obj.doc
    for c in obj.subtree:
        if c.i == obj.i or c.dep_ not in ("appos", "conj", "dobj", "npadvmod"):
            continue
        if any(t.lower_ == "not" for t in doc[obj.i + 1:c.left_edge.i + 1]):
            return c
    return None


def span_text(tokens) -> str:
    toks = sorted(tokens, key=lambda t: t.i)
    while toks and (toks[0].is_punct or toks[0].dep_ in ("mark", "cc") or toks[0].lower_ in ("to", "that")):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].is_space):
        toks = toks[:-1]
    if not toks:
        return ""
    doc = toks[0].doc
    text = doc[toks[0].i: toks[-1].i + 1].text.strip().strip("“”\"'‘’ ,")
    return " ".join(text.split())[:MAX_TARGET_CHARS]


def content_tokens(span, verb) -> list:
    """The tokens of what a speech act in sentence ``span`` says: the complement clause of the
    reporting verb ``verb``, else the sentence without the verb, its subject, auxiliaries and
    attached punctuation (a quote sentence whose speaker is elsewhere: all of it)."""
    if not reporting.is_reporting_verb(verb) and verb.lower_ != "according":
        return list(span)  # a quote sentence attributed to the speaker of another sentence
    comp = next((c for c in verb.children if c.dep_ in ("ccomp", "xcomp")), None)
    if comp is not None:
        return sorted(comp.subtree, key=lambda t: t.i)
    skip = {verb.i}
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "neg", "punct", "npadvmod", "agent"):
            skip.update(t.i for t in c.subtree)
    return [t for t in span if t.i not in skip]


NEGATORS = frozenset("not n't n’t never no nothing nobody none neither nor".split())


def negation_in(tokens) -> bool:
    """Whether a clause negates what it says: a negated verb ("did not offer", "Don't
    overburden", "would never accept") or a negated object ("showed no flexibility", "has no
    constitutional authority"). Not negations: a negated subject ("No proposals have been
    made" reports an absence), idioms of emphasis and of reporting ("not only", "no doubt",
    "gave no details": ``stance_lexicon.NEGATION_IDIOM_HEADS``), and a clause bounded by
    "until"/"unless" ("won't leave until Isis is gone" states a
    condition)."""
    toks = list(tokens)
    if any(t.lower_ in ("until", "unless") for t in toks):
        return False
    inside = {t.i for t in toks}
    for t in toks:
        low = t.lower_
        if not _main_predication(t, inside):
            continue  # "discussions that were not covered": a negation inside a modifier
        if t.dep_ == "neg" or low in ("never", "neither", "nor"):
            if t.head.lower_ in ("only", "just", "merely") or t.head.pos_ not in ("VERB", "AUX", "ADJ"):
                continue
            return True
        if low in ("no", "none", "nothing", "nobody") and t.head.lemma_.lower() not in lex.NEGATION_IDIOM_HEADS:
            if t.dep_ == "det" and t.head.dep_ in ("dobj", "attr", "pobj"):
                return True
            if t.dep_ in ("dobj", "attr"):
                return True
    return False


def nominal_verb(tok) -> bool:
    """A token tagged as a verb in a noun's place: an object or subject with a possessor or a
    determiner before it ("rejected Erdoğan’s calls for a ceasefire", "the calls for")."""
    if tok.dep_ not in ("dobj", "pobj", "nsubj", "nsubjpass", "attr"):
        return False
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    return prev is not None and (prev.tag_ == "POS" or prev.lower_ in ("’s", "'s") or prev.dep_ in ("det", "poss"))


def possessor(tok):
    """The possessor of a noun: its ``poss`` child, or the name right before a possessive
    ending the parser left dangling ("Erdoğan ’s calls" with "Erdoğan" as a sibling)."""
    poss = next((c for c in tok.children if c.dep_ == "poss"), None)
    if poss is not None:
        return poss
    prev = tok.doc[tok.i - 1] if tok.i > 1 else None
    if prev is not None and prev.lower_ in ("’s", "'s") and prev.head.i == tok.i - 2:
        return prev.head
    return None


def _main_predication(tok, inside: set[int]) -> bool:
    """Whether ``tok`` belongs to the main predication of the clause made of the tokens
    ``inside``: no relative clause, adverbial clause or noun modifier lies between it and the
    clause's root (an object's determiner still counts: "showed no flexibility")."""
    t = tok
    while t.head.i != t.i and t.head.i in inside:
        if t.dep_ in ("relcl", "acl", "advcl", "pcomp", "csubj", "appos"):
            return False
        t = t.head
    return True


def speech_stance(content: str, tokens, own=None) -> tuple[lex.StanceEntry, float] | None:
    """The stance a named speaker's words take, when they take one (rule 7 of
    :mod:`kg.extract.positions`).

    Three kinds of reported words take a stance (ours, from the conventions of wire copy):
    words of clear evaluative tone (VADER valence of the words without names: "United",
    "Democratic Party" evaluate nothing); a negated claim ("the American side did not offer
    any alternatives", "Don't overburden Iraq", "has no constitutional authority"), which
    in reported political speech is a complaint or refusal (oppose, unless clearly
    positive); and a commitment of the speaker's own side ("we will maintain…", "Seoul will
    explain its position"), which supports the course it announces.

    Args:
        content: The reported words (used when ``tokens`` is empty).
        tokens: Their spaCy tokens in the evidence sentence (``stance_syntax.content_tokens``).
        own: ``own(subject_token) -> bool``: whether a subject is the speaker or its state.

    Returns:
        ``(entry, strength)``: the stance, kind and CAMEO code (``stance_lexicon.SPEECH_*``)
        and a strength in [0, 1]; None for words without a stance (a report of fact).
    """
    words = [t.text for t in tokens if t.pos_ != "PROPN" and t.ent_type_ not in _NAME_ENTS]
    v = lex.valence(" ".join(words)) if tokens else lex.valence(content)
    if negation_in(tokens) and v < lex.NEGATED_POSITIVE_MIN:
        return lex.SPEECH_COMPLAINT, max(abs(v), lex.SENTIMENT_THRESHOLD)
    if abs(v) >= lex.SENTIMENT_THRESHOLD:
        return (lex.SPEECH_PRAISE if v > 0 else lex.SPEECH_CRITICISM), abs(v)
    if _commitment(tokens, own):
        return lex.SPEECH_COMMITMENT, lex.SENTIMENT_THRESHOLD
    return None


_NAME_ENTS = frozenset("GPE NORP ORG PERSON FAC LOC".split())
_FUTURE = frozenset("will 'll ’ll would shall going".split())


def _commitment(tokens, own=None) -> bool:
    """ "We will maintain…", "we're going to withdraw", "Seoul will explain": a future or
    modal clause whose subject is the speaker's own side."""
    for t in tokens:
        if t.lower_ in _FUTURE and t.dep_ in ("aux", "ROOT", "conj", "ccomp", "xcomp"):
            verb = t.head if t.dep_ == "aux" else t
            if is_hypothetical(verb) and t.lower_ != "would":
                continue  # "if somebody is looking to…, we're going to know it": a condition
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and (subj.lower_ in ("we", "i") or (own is not None and own(subj))):
                return True
    return False
