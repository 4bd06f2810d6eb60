"""Dependency-parse helpers of the stance rules (:mod:`kg.extract.positions`).

Each function reads a spaCy token (POS tags, lemmas and a dependency parse, spaCy's
ClearNLP-style labels: nsubj, dobj, xcomp, ccomp, pcomp, acl, relcl, neg, ...) and answers
one syntactic question: the object of a verb, whether it is negated or hypothetical, the
verb governing a stance noun, the text of a phrase. Offsets are spaCy token indices; text
spans are character-exact slices of the Doc.
"""

from __future__ import annotations

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
    """ "would reject if…": a conditional or modal clause (lower confidence)."""
    for t in [tok, *tok.ancestors][:3]:
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in t.children):
            return True
        if any(c.dep_ == "aux" and c.lower_ in ("would", "could", "might", "may") for c in t.children):
            return True
    return False


def object_of(tok, prep=None):
    """The target of a verb: the object of its phrasal preposition ("call for"), else the direct
    object, else a preposition's object, else its clause."""
    if prep is not None and prep.dep_ == "prep":
        g = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None)
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
    return None


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
    for cand in (low[:-1], low[:-2], low[:-1] + "e" if low.endswith("ed") else ""):
        if cand and cand in lex.VERBS and cand.startswith(lemma[:3]):
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


def demand_cameo(obj) -> str:
    """CAMEO 10x by what is demanded: 106 withdrawal, 107 ceasefire, 108 talks, else 100."""
    words = {t.lemma_.lower() for t in obj.subtree}
    if words & {"ceasefire", "truce"}:
        return "107"
    if words & {"talk", "negotiation", "negotiate", "dialogue", "meeting", "meet", "summit"}:
        return "108"
    if words & {"withdraw", "withdrawal", "pullout", "pull"}:
        return "106"
    return "100"


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
