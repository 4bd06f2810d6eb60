"""Titles and name words that refer back to a person the article names.

"the Turkish president", "the secretary of state", "the UN human rights chief" and "Mattis"
(when only "Jim Mattis" was tagged) are resolved against what the article itself says about
its people: the roles the entities stage gave them (``Entity.roles``), titles written before a
name ("UN High Commissioner for Human Rights Volker Turk") and appositions ("the secretary of
state, Mike Pompeo" / "Mike Pompeo, the secretary of state"). Requires a spaCy Doc with a
dependency parse and the article's ``EntityIndex``. Rules are ours; title words are
``kg.extract.lexicon.TITLE_WORDS``.
"""

from __future__ import annotations

from kg.extract import lexicon

#: Title heads that say only "the head of": matched on their modifiers ("human rights chief").
GENERIC_TITLES = frozenset("chief head boss".split())
_RANKS = frozenset("top senior acting".split())
_SPELLING = {"defence": "defense", "counsellor": "counselor", "adviser": "advisor"}


def is_title_noun(tok) -> bool:
    """Whether ``tok`` heads a title ("president", "secretary", "chief")."""
    lemma = tok.lemma_.lower()
    return tok.pos_ in ("NOUN", "PROPN") and (lemma in lexicon.TITLE_HEADS or lemma in GENERIC_TITLES)


class Titles:
    """The titles an article gives its people.

    Args:
        doc: The article's spaCy Doc.
        index: Its ``EntityIndex``.
        names: ``name_words(index)``.
    """

    def __init__(self, doc, index, names: dict[str, str]) -> None:
        self.index = index
        self.titled = _titled_persons(doc, index, names)

    def person(self, tok, recent: list[str] = ()) -> str | None:
        """The person a title refers to: "the Turkish president" -> a person the article gives
        the title President with affiliation Turkey (a role, or an apposition "the secretary of
        state, Mike Pompeo"); the last one mentioned before ``tok``, else the first after it."""
        index = self.index
        words = title_words(tok)
        if tok.lemma_.lower() in GENERIC_TITLES:  # "the UN human rights chief": match the modifiers
            words = words - GENERIC_TITLES - _RANKS
            if not words:
                return None
        affs = title_affiliations(tok, index)
        if affs and not any(index.entity(a).type in ("Country", "GovernmentBody") for a in affs) and not any(
                linked & affs for _, _, linked, _ in self.titled):
            affs = set()  # "the Republican president": a party no title is linked to says nothing
        aff_states = {index.state_of(a) for a in affs} - {None}
        cands: list[tuple[str, int]] = []
        for key, title, linked, at in self.titled:
            if not words <= title or ("former" in title) != ("former" in words):
                continue  # "the president" is not the "former president"
            if affs and not (linked & affs or {index.state_of(k) for k in linked} & aff_states):
                continue
            cands.append((key, at))
        if not affs and len({key for key, _ in cands}) > 1:
            keys = {key for key, _ in cands}  # "the president continued": the president who just spoke
            spoke = [k for k in recent if k in keys]
            if spoke:
                return spoke[-1]
            # else the one the article is about: mentioned at least twice as often as any other
            counts = sorted(((len(index.entity(k).mentions), k) for k in keys), reverse=True)
            return counts[0][1] if counts[0][0] >= 2 * counts[1][0] else None
        before = [(at, key) for key, at in cands if at < tok.idx]
        after = [(at, key) for key, at in cands if at > tok.idx]
        if before:
            return max(before)[1]
        return min(after)[1] if after else None


def title_words(tok) -> set[str]:
    """The title words of a title noun phrase: "the US secretary of state" -> {secretary, state}."""
    words = {_SPELLING.get(tok.lemma_.lower(), tok.lemma_.lower())}
    for t in tok.subtree:
        if t.i == tok.i or t.lower_ not in lexicon.TITLE_WORDS:
            continue
        if t.dep_ in ("compound", "amod") or (t.dep_ == "pobj" and t.head.lower_ in ("of", "for")):
            words.add(_SPELLING.get(t.lower_, t.lower_))
    return words


def title_affiliations(tok, index) -> set[str]:
    """Keys of the actors a title's left modifiers name: "the U.S. ambassador to London" -> {US}."""
    return {k for left in tok.lefts for t in left.subtree
            for k in [index.key_at_token(t)] if k and index.entity(k).type != "Person"}


def _titled_persons(doc, index, names: dict[str, str]) -> list[tuple[str, set[str], set[str], int]]:
    """(person key, title words, affiliation keys, offset) for every title the article gives a
    person: its roles, and appositions ("the secretary of state, Mike Pompeo" / "Mike Pompeo,
    the secretary of state")."""
    out = []
    for ent in index.entities.values():
        if ent.type != "Person":
            continue
        for role in ent.roles:
            words = {_SPELLING.get(w, w) for w in role.title.lower().split()}
            linked = {k for k in (role.of_key, ent.affiliation_key) if k}
            out.extend((ent.key, words, linked, m.start) for m in ent.mentions)
    for tok in doc:  # "UN High Commissioner for Human Rights Volker Turk"
        key = index.key_at_token(tok)
        if (not key or index.entity(key).type != "Person") and tok.pos_ == "PROPN":
            key = names.get(tok.text)
        if not key or index.entity(key).type != "Person" or index.key_at_token(tok.head) == key:
            continue
        left = [t for c in tok.lefts for t in c.subtree if index.key_at_token(t) != key]
        words = {_SPELLING.get(t.lower_, t.lower_) for t in left if t.lower_ in lexicon.TITLE_WORDS}
        if words & lexicon.TITLE_HEADS:
            affs = {k for t in left for k in [index.key_at_token(t)] if k and index.entity(k).type != "Person"}
            out.append((key, words, affs, tok.idx))
    for tok in doc:
        if tok.dep_ != "appos":
            continue
        pairs = [(tok, tok.head), (tok.head, tok)]  # (name, title) either way round
        for name, title in pairs:
            key = index.key_at_token(name) or (names.get(name.text) if name.pos_ == "PROPN" else None)
            if key and index.entity(key).type == "Person" and title.lemma_.lower() in lexicon.TITLE_HEADS:
                affs = title_affiliations(title, index)
                out.append((key, title_words(title), affs, name.idx))
    return out


def name_words(index) -> dict[str, str]:
    """Name word -> person key, for words of exactly one person's names ("Mattis" -> Jim Mattis)."""
    owners: dict[str, set[str]] = {}
    for ent in index.entities.values():
        if ent.type != "Person":
            continue
        for name in {ent.label, *(m.text for m in ent.mentions)}:
            for word in name.split():
                if len(word) > 1 and word[:1].isupper() and word.lower() not in lexicon.TITLE_WORDS:
                    owners.setdefault(word, set()).add(ent.key)
    return {w: next(iter(keys)) for w, keys in owners.items() if len(keys) == 1}
