"""kg.readers on the seed, the dev corpus and small hand-written fixtures."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import SHARED
from kg.errors import ReadError
from kg.readers import (article_id, iter_inputs, read_bytes, read_bytes_report, read_path,
                        read_path_report)

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
DEV = SHARED / "corpus" / "dev"
SEED = SHARED / "seeds" / "000_e90bf088404a620c.txt"
DEV_FILES = sorted(DEV.glob("*.txt")) if DEV.is_dir() else []

needs_corpus = pytest.mark.skipif(not DEV_FILES or not SEED.is_file(),
                                  reason=f"the shared corpus is absent ({DEV} not found)")


def _header(path: Path) -> dict[str, str]:
    header = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            break
        key, _, value = line.partition(":")
        header[key.strip().lower()] = value.strip()
    return header


# --- the seed -------------------------------------------------------------------------------

@needs_corpus
@pytest.mark.corpus
def test_seed_article():
    (article,) = read_path(SEED)
    assert article.source_format == "seed"
    assert article.headline == ("Putin, Xi Discuss Strengthening Ties, Potential US Engagement "
                                "After Trump Inauguration")
    assert article.publisher == "AFP"
    assert article.published == date(2025, 1, 22)
    assert article.author == "Michelle Larsen"
    assert article.url == SEED.resolve().as_uri()
    assert article.body.startswith("Russian President Vladimir Putin and Chinese President Xi")
    assert article.body.endswith("Ukraine has maintained its readiness to negotiate.")
    assert "Written By" not in article.body and "Source: AFP" not in article.body
    assert "Published" not in article.body and "Michelle Larsen" not in article.body
    # the body is the file's text between header and footer, paragraph breaks kept
    raw = SEED.read_text(encoding="utf-8")
    assert article.body in raw
    assert article.body.count("\n\n") == 7  # eight paragraphs


@pytest.mark.parametrize(("text", "headline", "published", "publisher", "author", "body"), [
    # title once, no category line, "Published:" with a colon, footer on two lines
    ("Putin and Xi hold talks\n\nSource: Reuters\nPublished: 22 January 2025\n\nPara one.\n\n"
     "Para two.\n\nWritten by Jane Doe\n",
     "Putin and Xi hold talks", date(2025, 1, 22), "Reuters", "Jane Doe", "Para one.\n\nPara two."),
    # category line, title twice, no Source line, bullet and space before "Published"
    ("World Politics\nPutin and Xi hold talks\nPutin and Xi hold talks\n\u2022 Published January 22, "
     "2025\nPara one.\nWritten By\nJane Doe\n",
     "Putin and Xi hold talks", date(2025, 1, 22), None, "Jane Doe", "Para one."),
])
def test_seed_layout_variants(tmp_path, text, headline, published, publisher, author, body):
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    (article,) = read_path(path)
    assert article.source_format == "seed"
    assert (article.headline, article.published, article.publisher, article.author, article.body) \
        == (headline, published, publisher, author, body)


def test_a_published_word_in_plain_text_is_not_a_header(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("Some headline\nPublished reports say the talks failed.\nMore text.\n")
    (article,) = read_path(path)
    assert article.source_format == "text"
    assert article.body == "Published reports say the talks failed.\nMore text."


# --- the dev corpus ---------------------------------------------------------------------------

@needs_corpus
@pytest.mark.corpus
@pytest.mark.parametrize("path", DEV_FILES, ids=lambda p: p.name[:3])
def test_every_dev_article_reads(path):
    header = _header(path)
    gold = json.loads(path.with_name(path.name[:-4] + ".gold.json").read_text(encoding="utf-8"))
    (article,) = read_path(path)
    assert article.source_format == "corpus"
    assert article.url == path.resolve().as_uri() and article.url.endswith(path.name)
    if header["title"] != "unknown":
        assert article.headline == header["title"]
    else:  # derived from the body's first sentence
        assert article.headline and article.body.startswith(article.headline.rstrip("…"))
    expected = None if gold["published"] is None else date.fromisoformat(gold["published"])
    assert article.published == expected
    assert header["published"] == (gold["published"] or "unknown")
    assert article.publisher == (None if header["source"] == "unknown" else header["source"])
    # the body is the text after the header's blank line, as in the file
    raw = path.read_text(encoding="utf-8")
    assert raw.split("\n\n", 1)[1].rstrip() == article.body


@needs_corpus
@pytest.mark.corpus
def test_every_eval_article_reads():
    paths = sorted((SHARED / "corpus" / "eval").glob("*.txt"))
    assert paths
    for path in paths:
        header = _header(path)
        (article,) = read_path(path)
        assert article.source_format == "corpus" and article.headline, path.name
        expected = None if header["published"] == "unknown" else date.fromisoformat(header["published"])
        assert article.published == expected, path.name


@needs_corpus
@pytest.mark.corpus
def test_gold_evidence_is_in_the_bodies():
    exact = spaced = total = 0
    missing = []
    for gold_path in sorted(DEV.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        path = (gold_path.parent / gold["article"]).resolve()
        if not path.is_file():  # the seed's gold points into ../../seeds
            path = gold_path.with_name(gold_path.name.replace(".gold.json", ".txt"))
        body = read_path(path)[0].body
        flat = " ".join(body.split())
        for kind in ("meetings", "statements", "positions"):
            for item in gold[kind]:
                total += 1
                if item["evidence"] in body:
                    exact += 1
                elif " ".join(item["evidence"].split()) in flat:
                    spaced += 1  # gold collapsed a double space of the body
                else:
                    missing.append((path.name, item["evidence"]))
    assert missing == []
    assert total > 600
    # measured: 645 of 654 exact substrings, 9 match once whitespace runs are collapsed
    assert exact / total > 0.97


@needs_corpus
@pytest.mark.corpus
def test_article_id_is_stable_and_distinct():
    first = read_path(DEV_FILES[0])[0]
    again = read_path(DEV_FILES[0])[0]
    other = read_path(DEV_FILES[1])[0]
    assert first.article_id == again.article_id
    assert first.article_id != other.article_id
    ids = {read_path(p)[0].article_id for p in DEV_FILES}
    assert len(ids) == len(DEV_FILES)
    # no http URL: the id comes from the text, so an upload of the same bytes has the same id
    (uploaded,) = read_bytes(DEV_FILES[0].read_bytes(), "upload.txt", "text/plain")
    assert uploaded.article_id == first.article_id
    assert uploaded.url.startswith("urn:geokg:upload:")


def test_article_id_rules():
    a = article_id("https://Example.org/news/1#top", "Headline", "Body")
    assert a == article_id("https://example.org/news/1", "Other headline", "Other body")
    assert len(a) == 16 and int(a, 16) >= 0
    b = article_id("file:///tmp/a.txt", "Headline", "Some  body\ntext")
    assert b == article_id("file:///elsewhere/b.txt", "Headline", "Some body text")
    assert b != article_id("file:///tmp/a.txt", "Headline", "Some other body")


# --- bad files ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "reason"), [
    ("empty.txt", "empty file"),
    ("binary.txt", "binary data (contains NUL bytes), not text"),
    ("latin1.txt", "not UTF-8 text"),
    ("header_only.txt", "no body (header only)"),
    ("notafeed.rss", "not an RSS or Atom feed"),
])
def test_bad_files_give_read_error(name, reason):
    path = FIXTURES / name
    with pytest.raises(ReadError) as info:
        read_path(path)
    assert info.value.source == str(path)
    assert info.value.reason.startswith(reason)
    assert name in str(info.value)
    articles, errors = read_path_report(path)
    assert articles == [] and len(errors) == 1


def test_missing_file_and_directory():
    with pytest.raises(ReadError, match="no such file or directory"):
        read_path(FIXTURES / "missing.txt")
    with pytest.raises(ReadError, match="is a directory"):
        read_path(FIXTURES)


# --- other formats ------------------------------------------------------------------------------

def test_plain_text():
    (article,) = read_path(FIXTURES / "plain.txt")
    assert article.source_format == "text"
    assert article.headline == "Ukraine, Russia end second round of peace talks"
    assert article.body == ("Ukraine and Russia ended a second round of peace talks on Thursday "
                            "with an agreement on a prisoner swap.\n\nBoth sides agreed to meet again.")
    assert article.published is None and article.publisher is None


def test_crlf_becomes_lf(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"A headline\r\n\r\nFirst paragraph.\r\n\r\nSecond paragraph.\r\n")
    (article,) = read_path(path)
    assert article.body == "First paragraph.\n\nSecond paragraph."


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_text_with_a_byte_order_mark_is_decoded(tmp_path, encoding):
    # Windows Notepad's "Unicode" is UTF-16 LE with a BOM; every other byte of ASCII text is NUL.
    text = (FIXTURES / "plain.txt").read_text(encoding="utf-8").replace("\n", "\r\n")
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # Python writes no BOM for an explicit byte order
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff", b"\xef\xbb")
    path = tmp_path / f"plain-{encoding}.txt"
    path.write_bytes(data)
    (article,) = read_path(path)
    assert article.headline == "Ukraine, Russia end second round of peace talks"
    assert article.body == ("Ukraine and Russia ended a second round of peace talks on Thursday "
                            "with an agreement on a prisoner swap.\n\nBoth sides agreed to meet again.")
    assert "\ufeff" not in article.headline
    # The BOM wins over a declared charset (WHATWG Encoding, BOM sniffing).
    assert read_bytes(data, "upload.txt", "text/plain; charset=utf-8")[0].body == article.body


def test_binary_and_empty_text_behind_a_byte_order_mark_are_refused(tmp_path):
    with pytest.raises(ReadError, match="binary data"):
        read_bytes(b"\xff\xfe" + "Headline\n\nBody".encode("utf-16-le") + b"\x00\x00", "x.txt")
    with pytest.raises(ReadError, match="not UTF-16 text"):
        read_bytes(b"\xff\xfeA\x00\x00\xd8", "x.txt")  # a lone high surrogate
    with pytest.raises(ReadError, match="empty body"):
        read_bytes(" \n".encode("utf-16"), "request body", "text/plain")
    with pytest.raises(ReadError, match="binary data \\(contains NUL bytes\\)"):
        read_path(FIXTURES / "binary.txt")


def test_html_page():
    (article,) = read_path(FIXTURES / "article.html")
    assert article.source_format == "html"
    assert article.headline == "Lee and Xi agree to resume strategic dialogue"
    assert article.url == "https://news.example.org/world/2026/01/05/lee-xi-strategic-dialogue"
    assert article.published == date(2026, 1, 5)
    assert article.author == "Kim Min-ji"
    assert article.publisher == "Example Herald"
    assert article.body.startswith("South Korean President Lee Jae Myung and Chinese President")
    assert article.body.endswith("the Chinese foreign ministry said in a statement.")
    assert article.body.count("\n\n") == 3  # four paragraphs
    for boilerplate in ("cookie", "Subscribe", "Home", "Related articles", "Lee departs for",
                        "Photo by Yonhap", "All rights reserved", "Privacy", "By Kim"):
        assert boilerplate not in article.body, boilerplate


def test_jsonl_bad_line_keeps_good_lines():
    path = FIXTURES / "articles.jsonl"
    articles, errors = read_path_report(path)
    assert [a.headline[:24] for a in articles] == [
        "North Korea calls for a ", "Kremlin: U.S. to blame f", "BEIJING (Reuters) - Taiw"]
    assert len(errors) == 1
    assert errors[0].source == f"{path}:4" and errors[0].reason.startswith("invalid JSON")
    first, second, third = articles
    assert first.url == "https://example.org/news/2017/11/03/north-korea-sanctions"
    assert first.published == date(2017, 11, 3) and first.publisher == "Reuters"
    assert first.author == "Stephanie Nebehay"
    assert second.url == path.resolve().as_uri() + "#line-2"
    assert "\n\nTrump and Putin met briefly" in second.body
    assert third.published == date(2017, 11, 9) and third.publisher is None
    assert len({a.article_id for a in articles}) == 3
    with pytest.raises(ReadError, match="invalid JSON"):
        read_path(path)


def test_json_object_and_array(tmp_path):
    (article,) = read_path(FIXTURES / "single.json")
    assert article.headline.startswith("Kremlin: U.S. to blame")
    array = tmp_path / "two.json"
    array.write_text(json.dumps([{"title": "One", "text": "First body."}, {"title": "Two"}]))
    articles, errors = read_path_report(array)
    assert [a.body for a in articles] == ["First body."]
    assert errors[0].source == f"{array}[1]" and "no text" in errors[0].reason


def test_rss_feed():
    articles, errors = read_path_report(FIXTURES / "rss.xml")
    assert [a.headline for a in articles] == [
        "Putin, Xi Discuss Strengthening Ties, Potential US Engagement After Trump Inauguration",
        "Regarding the conflict in Ukraine"]
    first = articles[0]
    assert first.source_format == "feed" and first.publisher == "Example World News"
    assert first.url == "https://news.example.org/world/2025/01/22/putin-xi-video-call"
    assert first.author == "Michelle Larsen"
    # pubDate "Wed, 22 Jan 2025 06:15:00 +0800": the local date, not the UTC one (Jan 21)
    assert first.published == date(2025, 1, 22)
    # content:encoded (longer than the description) converted from HTML, caption dropped
    assert first.body == (
        "Russian President Vladimir Putin and Chinese President Xi Jinping held a wide-ranging "
        "video conference on Tuesday, focusing on strengthening bilateral relations.\n\n"
        "The call, which lasted over an hour and a half, took place just a day after Trump’s "
        "swearing-in ceremony as the 47th president of the United States.")
    assert "“ready for dialogue with the new US administration”" in articles[1].body
    # the image-only entry is reported, not read
    assert len(errors) == 1 and errors[0].source.endswith("rss.xml#entry-2")
    assert errors[0].reason == "feed entry has no text"


def test_atom_feed():
    path = FIXTURES / "atom.xml"
    first, second = read_path(path)
    assert first.headline == "Lee departs for Beijing for summit talks with Xi Jinping"
    assert first.url == "https://korea.example.net/2026/01/04/lee-departs-beijing"
    assert first.published == date(2026, 1, 4)  # <published>, not <updated>
    assert first.author == "Kim Eun-jung" and first.publisher == "Example Korea Desk"
    assert first.body == ("President Lee Jae Myung departed for China on Sunday for summit talks "
                          "with Chinese President Xi Jinping.\n\nLee will hold talks with Xi on Monday.")
    assert second.url == path.resolve().as_uri() + "#entry-2"  # no link
    assert second.published == date(2026, 1, 4)  # from <updated>
    assert second.body.startswith("The Office of National Security held an emergency meeting")


# --- HTTP bodies -------------------------------------------------------------------------------

def test_read_bytes_media_types():
    html = (FIXTURES / "article.html").read_bytes()
    (page,) = read_bytes(html, "page", "text/html; charset=utf-8")
    assert page.url.startswith("https://news.example.org/")
    lines = (FIXTURES / "articles.jsonl").read_bytes()
    articles, errors = read_bytes_report(lines, "request body", "application/x-ndjson")
    assert len(articles) == 3 and errors[0].source == "request body:4"
    assert articles[1].url.startswith("urn:geokg:upload:") and articles[1].url.endswith("#line-2")
    (from_json,) = read_bytes((FIXTURES / "single.json").read_bytes(), "x", "application/json")
    assert from_json.headline.startswith("Kremlin")
    # no media type: chosen by name, then by content
    assert read_bytes(html, "upload")[0].source_format == "html"
    assert len(read_bytes_report((FIXTURES / "rss.xml").read_bytes(), "feed")[0]) == 2
    latin = "Héadline\n\nBödy text.".encode("latin-1")
    assert read_bytes(latin, "x.txt", "text/plain; charset=iso-8859-1")[0].body == "Bödy text."


def test_read_bytes_errors():
    with pytest.raises(ReadError, match="unsupported media type 'image/png'"):
        read_bytes(b"\x89PNG", "photo.png", "image/png")
    with pytest.raises(ReadError, match="empty body"):
        read_bytes(b"  \n", "request body", "text/plain")
    with pytest.raises(ReadError, match="not UTF-8"):
        read_bytes("Titre\n\nErdo\u011fan".encode("cp1254"), "request body", "text/plain")


# --- inputs --------------------------------------------------------------------------------------

@needs_corpus
@pytest.mark.corpus
def test_iter_inputs_on_the_corpus():
    files = list(iter_inputs([str(DEV)]))
    assert files == DEV_FILES  # the .txt files, no .gold.json, sorted
    pattern = list(iter_inputs([str(DEV / "00*.txt"), str(DEV_FILES[0]), str(DEV)]))
    assert pattern == DEV_FILES  # duplicates removed


def test_iter_inputs_walks_and_skips(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("a.txt", "sub/b.html", "sub/c.jsonl", "d.rss", "e.atom", "f.xml", "g.json",
                 "a.gold.json", ".secret.txt", ".hidden/h.txt", "notes.md", "img.png"):
        (tmp_path / name).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_inputs([str(tmp_path)])]
    assert found == ["a.txt", "d.rss", "e.atom", "f.xml", "g.json", "sub/b.html", "sub/c.jsonl"]
    # a file named explicitly is kept whatever its extension
    assert list(iter_inputs([str(tmp_path / "notes.md")])) == [tmp_path / "notes.md"]
    with pytest.raises(ReadError) as info:
        list(iter_inputs([str(tmp_path / "a.txt"), str(tmp_path / "nope.txt")]))
    assert info.value.source == str(tmp_path / "nope.txt")
    assert info.value.reason == "no such file or directory"
    with pytest.raises(ReadError, match="no file matches the pattern"):
        iter_inputs([str(tmp_path / "*.nothing")])


def test_reading_a_copy_elsewhere_keeps_the_id(tmp_path):
    copy = tmp_path / "plain copy.txt"
    shutil.copy(FIXTURES / "plain.txt", copy)
    original, moved = read_path(FIXTURES / "plain.txt")[0], read_path(copy)[0]
    assert original.article_id == moved.article_id
    assert moved.url == copy.resolve().as_uri() and "%20" in moved.url
