"""Benchmark geokg's SPARQL endpoint against Oxigraph server and rdflib-endpoint (issue 5, section 6).

Steps: (1) ingest the corpus once with ``kg ingest`` and export it as N-Quads; (2) replicate it to
``--triples`` quads, one named graph per article copy (graph, article, event, mention and evidence
IRIs rewritten per copy; actors and roles shared); (3) load the same file into three servers, each
its own process on 127.0.0.1 and a free port; (4) run the queries in ``benchmarks/queries/*.rq``
over HTTP against each server, alternating servers each round, checking row counts agree; (5) print
(and optionally write) a Markdown table of median / p95 latency, geometric-mean ratios and the RSS
of each server's process tree; (6) stop the servers by PID.

Usage:
    /work/venv/bin/python benchmarks/run.py --triples 1000000 --rounds 10 --out benchmarks/results/X.md
"""

from __future__ import annotations

import argparse
import glob
import logging
import math
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import requests

log = logging.getLogger("benchmarks.run")

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"  # ../shared beside the repository
VENV_BIN = Path(sys.executable).parent
# Per-copy IRI rewrite: these id/ namespaces are keyed by the 16-hex article id.
_PER_ARTICLE = re.compile(r"(https://w3id\.org/geokg/id/(?:graph|article|event|mention|evidence)/)([0-9a-f]{16})")
ACCEPT = "application/sparql-results+json"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_data(work: Path, triples: int, corpus: list[str]) -> tuple[Path, int, int]:
    """Ingest the corpus (cached in ``work``) and write ``data-{triples}.nq``.

    Args:
        work: working directory (kept between runs; the ingest is reused if present).
        triples: target number of quads (the last copy is cut to reach it exactly... or just above).
        corpus: inputs passed to ``kg ingest``.

    Returns:
        (path of the N-Quads file, number of quads written, number of article copies).
    """
    base_nq = work / "base.nq"
    if not base_nq.exists():
        store = work / "ingest-store"
        shutil.rmtree(store, ignore_errors=True)
        t = time.perf_counter()
        subprocess.run([str(VENV_BIN / "kg"), "--store", str(store), "ingest", *corpus], check=False)
        subprocess.run([str(VENV_BIN / "kg"), "--store", str(store), "export", "--format", "nquads",
                        "-o", str(base_nq)], check=True)
        log.info("ingest + export: %.1f s", time.perf_counter() - t)
    lines = [ln for ln in base_nq.read_text(encoding="utf-8").splitlines() if ln.strip()]
    if not lines:
        base_nq.unlink()
        raise SystemExit(f"error: ingesting {len(corpus)} inputs stored nothing to export; see the messages above")
    # Lines the per-copy rewrite leaves unchanged (the shared actors graph, canonical nodes) are the
    # same quad in every copy: written once, so the quad count below is the number of distinct quads.
    per_copy = [ln for ln in lines if _PER_ARTICLE.search(ln)]
    copies = 1 + max(0, math.ceil((triples - len(lines)) / max(1, len(per_copy))))
    out = work / f"data-{triples}.nq"
    if not out.exists():
        with out.open("w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
            for k in range(1, copies):
                sub = rf"\g<1>\g<2>c{k}"
                f.write("\n".join(_PER_ARTICLE.sub(sub, ln) for ln in per_copy) + "\n")
    return out, len(lines) + (copies - 1) * len(per_copy), copies


def _wait_http(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            r = requests.post(url, data={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": ACCEPT}, timeout=5)
            if r.status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} not up after {timeout} s")


def tree_rss(pid: int) -> int:
    """RSS in bytes of a process and all its descendants (psutil)."""
    p = psutil.Process(pid)
    total = 0
    for q in [p, *p.children(recursive=True)]:
        try:
            total += q.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


class Server:
    """One server process: name, query URL, Popen, load seconds."""

    def __init__(self, name: str, url: str, proc: subprocess.Popen, load_s: float, logf) -> None:
        self.name, self.url, self.proc, self.load_s, self.logf = name, url, proc, load_s, logf
        self.rss = 0

    def stop(self) -> None:
        for q in psutil.Process(self.proc.pid).children(recursive=True):
            try:
                q.terminate()
            except psutil.NoSuchProcess:
                pass
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.logf.close()


def start_geokg(data: Path, work: Path, workers: int | None) -> Server:
    import pyoxigraph as ox

    d = work / "geokg-store"
    shutil.rmtree(d, ignore_errors=True)
    t = time.perf_counter()
    store = ox.Store(str(d))
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    port = _free_port()
    cmd = [str(VENV_BIN / "kg"), "--store", str(d), "serve", "--host", "127.0.0.1", "--port", str(port),
           "--max-rows", "0", "--query-timeout", "300", "--no-access-log"]
    if workers is not None:
        cmd += ["--query-workers", str(workers)]
    logf = open(work / "geokg.log", "w")
    proc = subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/sparql"
    _wait_http(url, proc, 120)
    return Server("geokg", url, proc, time.perf_counter() - t, logf)


def start_oxigraph(data: Path, work: Path) -> Server:
    d = work / "oxigraph-store"
    shutil.rmtree(d, ignore_errors=True)
    t = time.perf_counter()
    subprocess.run([str(VENV_BIN / "oxigraph"), "load", "--location", str(d), "--file", str(data)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = _free_port()
    logf = open(work / "oxigraph.log", "w")
    proc = subprocess.Popen([str(VENV_BIN / "oxigraph"), "serve-read-only", "--location", str(d),
                             "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=logf, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/query"
    _wait_http(url, proc, 60)
    return Server("oxigraph", url, proc, time.perf_counter() - t, logf)


def start_rdflib(data: Path, work: Path, load_timeout: float) -> Server:
    port = _free_port()
    t = time.perf_counter()
    logf = open(work / "rdflib-endpoint.log", "w")
    # rdflib-endpoint's own CLI: Dataset(store="default", default_union=True), g.parse(file), uvicorn.
    proc = subprocess.Popen([str(VENV_BIN / "rdflib-endpoint"), "serve", str(data), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=logf, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    _wait_http(url, proc, load_timeout)
    return Server("rdflib-endpoint", url, proc, time.perf_counter() - t, logf)


def run_query(server: Server, text: str, timeout: float) -> tuple[float, int]:
    """POST one query (form-encoded, SPARQL 1.1 Protocol); return (seconds, rows)."""
    t = time.perf_counter()
    r = requests.post(server.url, data={"query": text}, headers={"Accept": ACCEPT}, timeout=timeout)
    body = r.content
    dt = time.perf_counter() - t
    r.raise_for_status()
    import json

    rows = len(json.loads(body)["results"]["bindings"])
    return dt, rows


def p95(xs: list[float]) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, math.ceil(0.95 * len(s)) - 1)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="target number of quads (default 1M)")
    ap.add_argument("--rounds", type=int, default=10, help="timed rounds per query and server")
    ap.add_argument("--warmup", type=int, default=1, help="untimed rounds first")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "geokg-bench",
                    help="working directory (ingest cache, stores, logs)")
    ap.add_argument("--servers", default="geokg,oxigraph,rdflib-endpoint")
    ap.add_argument("--query-workers", type=int, default=None, help="pass --query-workers to kg serve")
    ap.add_argument("--request-timeout", type=float, default=300.0, help="seconds per HTTP request")
    ap.add_argument("--load-timeout", type=float, default=1800.0, help="seconds rdflib-endpoint may take to load")
    ap.add_argument("--out", type=Path, default=None, help="also write the Markdown table here")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    args.work.mkdir(parents=True, exist_ok=True)
    corpus = sorted(glob.glob(str(SHARED / "corpus/dev/*.txt")) + glob.glob(str(SHARED / "corpus/eval/*.txt")))
    if not corpus:
        raise SystemExit(f"error: no corpus articles under {SHARED / 'corpus'} (the benchmark needs ../shared)")
    corpus.append(str(SHARED / "seeds"))
    data, nquads, copies = build_data(args.work, args.triples, corpus)
    log.info("data: %s, %d quads, %d copies of the corpus", data, nquads, copies)

    queries = {Path(p).stem: Path(p).read_text(encoding="utf-8") for p in sorted(glob.glob(str(HERE / "queries/*.rq")))}
    servers: list[Server] = []
    try:
        for name in args.servers.split(","):
            log.info("loading %s ...", name)
            if name == "geokg":
                s = start_geokg(data, args.work, args.query_workers)
            elif name == "oxigraph":
                s = start_oxigraph(data, args.work)
            elif name == "rdflib-endpoint":
                s = start_rdflib(data, args.work, args.load_timeout)
            else:
                raise SystemExit(f"unknown server {name}")
            servers.append(s)
            log.info("%s up at %s after %.1f s", name, s.url, s.load_s)

        times: dict[tuple[str, str], list[float]] = {}
        rows: dict[tuple[str, str], set[int]] = {}
        for rnd in range(args.warmup + args.rounds):
            order = servers[rnd % len(servers):] + servers[:rnd % len(servers)]  # alternate who goes first
            for qn, qt in queries.items():
                for s in order:
                    dt, n = run_query(s, qt, args.request_timeout)
                    rows.setdefault((qn, s.name), set()).add(n)
                    if rnd >= args.warmup:
                        times.setdefault((qn, s.name), []).append(dt)
            log.info("round %d/%d done", rnd + 1, args.warmup + args.rounds)
        for s in servers:  # after loading and the query mix (peak working set of a warm server)
            s.rss = tree_rss(s.proc.pid)
    finally:
        for s in servers:
            s.stop()

    report = render(args, servers, queries, times, rows, nquads, copies)
    print(report)
    if args.out:
        args.out.write_text(report, encoding="utf-8")
    return 0


def render(args, servers, queries, times, rows, nquads, copies) -> str:
    names = [s.name for s in servers]
    out = [f"Command: `/work/venv/bin/python benchmarks/run.py {' '.join(sys.argv[1:])}`", "",
           f"Data: {nquads:,} quads ({copies} copies of the ingested corpus, one named graph per article copy); "
           f"{args.rounds} timed rounds after {args.warmup} warm-up, servers alternated each round. "
           f"Times in ms (median / p95), client-side wall time of one HTTP POST incl. JSON download.", "",
           "| query | rows | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    disagree = []
    for qn in queries:
        counts = {n: sorted(rows[(qn, n)]) for n in names}
        flat = {tuple(v) for v in counts.values()}
        if len(flat) > 1:
            disagree.append(f"- {qn}: " + ", ".join(f"{n}={v}" for n, v in counts.items()))
        cells = []
        for n in names:
            ts = times[(qn, n)]
            cells.append(f"{statistics.median(ts) * 1000:.1f} / {p95(ts) * 1000:.1f}")
        out.append(f"| {qn} | {'/'.join(str(v[0]) for v in counts.values()) if len(flat) > 1 else counts[names[0]][0]} | "
                   + " | ".join(cells) + " |")
    out.append("")

    def gmean_ratio(a: str, b: str) -> float:
        logs = [math.log(statistics.median(times[(q, a)]) / statistics.median(times[(q, b)])) for q in queries]
        return math.exp(sum(logs) / len(logs))

    if "geokg" in names:
        for other in names:
            if other != "geokg":
                out.append(f"- geometric mean of median ratios geokg/{other}: **{gmean_ratio('geokg', other):.2f}×**")
    if "oxigraph" in names and "rdflib-endpoint" in names:
        out.append(f"- geometric mean rdflib-endpoint/oxigraph: {gmean_ratio('rdflib-endpoint', 'oxigraph'):.1f}×")
    out.append("- memory (RSS of the server process tree, after the query mix): "
               + ", ".join(f"{s.name} {s.rss / 2**20:.0f} MiB" for s in servers))
    out.append("- load time (to first answer): " + ", ".join(f"{s.name} {s.load_s:.0f} s" for s in servers))
    out.append("- row-count disagreements: " + ("none" if not disagree else ""))
    out.extend(disagree)
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
