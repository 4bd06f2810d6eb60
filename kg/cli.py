"""The ``kg`` command line (click). Each command only parses its options and calls a plain function.

Exit codes (the pySHACL convention): 0 success / conforms, 1 the command ran but
some input failed or does not conform, 2 usage error or fatal error (the store
cannot be opened, a malformed query...). Logging handlers are added here (and in
``service.app.create_app``) only, never in library code.

``kg serve`` imports ``service.app`` (Flask) lazily, inside the command: the rest
of ``kg`` never imports Flask (``tests/test_boundaries.py``).
"""

from __future__ import annotations

import errno
import logging
import sys
from pathlib import Path

import click

from kg import settings
from kg.errors import KGError

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def _help(name: str) -> str:
    setting = settings.SETTINGS_BY_NAME[name]
    return f"{setting.help} [env {setting.env}]"


def _fail(exc: KGError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(EXIT_ERROR)


def _store_option(ctx: click.Context, local: str | None) -> str:
    """The store location: the command's --store, else the global one, else the setting."""
    return str(settings.get("store", local or (ctx.obj or {}).get("store")))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", metavar="PATH", default=None, help=_help("store"))
@click.option("-v", "--verbose", count=True, help="Log more (-v info, -vv debug) to standard error.")
@click.version_option(package_name="geokg")
@click.pass_context
def main(ctx: click.Context, store: str | None, verbose: int) -> None:
    """geokg: news articles -> an RDF knowledge graph of meetings, statements and positions.

    Exit codes: 0 success, 1 some input failed / does not conform, 2 usage or fatal error.
    """
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = {"store": store}


# -- ingest ----------------------------------------------------------------------------------------
@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--quarantine", metavar="DIR", default=None, help=_help("quarantine"))
@click.option("--spacy-model", metavar="NAME", default=None, help=_help("spacy_model"))
@click.option("--store", "local_store", metavar="PATH", default=None, help="Store (overrides the global --store).")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], quarantine: str | None, spacy_model: str | None,
           local_store: str | None) -> None:
    """Read, extract, validate and store articles: files, folders (recursive) or glob patterns.

    Each article replaces its own named graph; an article whose graph does not
    conform to the SHACL shapes is quarantined (graph + report kept), not stored.

    Exit codes: 0 every input stored; 1 some input failed or was quarantined;
    2 usage or fatal error (e.g. the store is locked by a running `kg serve`).
    """
    try:
        text, code = run_ingest(list(paths), _store_option(ctx, local_store), quarantine, spacy_model)
    except KGError as exc:
        _fail(exc)
    click.echo(text, nl=False)
    sys.exit(code)


def run_ingest(paths: list[str], store_location: str, quarantine: str | None,
               spacy_model: str | None) -> tuple[str, int]:
    """Ingest ``paths`` into the store with a tqdm progress bar; return (report text, exit code).

    Raises:
        KGError: the store cannot be opened, or the spaCy model / gazetteer cannot be loaded.
    """
    from tqdm import tqdm

    from kg.pipeline import ingest as pipeline_ingest
    from kg.store import open_store

    def progress(items):
        return tqdm(items, desc="ingest", unit="file", file=sys.stderr, disable=None)

    with open_store(store_location) as store:
        report = pipeline_ingest(paths, store, spacy_model=spacy_model, quarantine=quarantine,
                                 progress=progress)
    return format_ingest_report(report)


def format_ingest_report(report) -> tuple[str, int]:
    """The lines ``kg ingest`` prints for an IngestReport, and the exit code (0 all stored, else 1)."""
    from kg.pipeline import count_phrase
    lines = [f"failed: {f.source}: {f.reason}" for f in report.failed]
    for q in report.quarantined:
        where = f" (report: {q.report_path})" if q.report_path else ""
        lines.append(f"quarantined: {q.source}: {q.reason}{where}")
    totals: dict[str, int] = {}
    for stored in report.stored:
        for key, value in stored.counts.items():
            totals[key] = totals.get(key, 0) + value
    counts = ", ".join(count_phrase(value, key) for key, value in totals.items())
    summary = f"stored {count_phrase(len(report.stored), 'articles')}" + (f" ({counts})" if counts else "")
    summary += f"; {len(report.failed)} failed; {len(report.quarantined)} quarantined"
    lines.append(summary)
    return "\n".join(lines) + "\n", EXIT_OK if report.ok else EXIT_FAILED


# -- serve -----------------------------------------------------------------------------------------
#: Settings of the service that `kg serve` takes as options (name -> click type); each becomes
#: ``--name-with-dashes`` and, when given, the app config key ``NAME`` (service.limits reads them).
SERVE_OPTIONS: dict[str, object] = {
    "update_enabled": bool, "query_timeout": float, "max_rows": int, "max_body_bytes": int,
    "cors_origins": str, "allow_service": bool, "query_workers": int, "access_log": bool,
}


def _serve_options(command):
    for name, kind in reversed(list(SERVE_OPTIONS.items())):
        flag = "--" + name.replace("_", "-")
        if kind is bool:
            command = click.option(f"{flag}/--no-{flag[2:]}", name, default=None, help=_help(name))(command)
        else:
            command = click.option(flag, name, type=kind, default=None, help=_help(name))(command)
    return command


@main.command()
@click.option("--host", default=None, help=_help("host"))
@click.option("--port", type=click.IntRange(0, 65535), default=None, help=_help("port"))
@click.option("--threads", type=int, default=None, help=_help("threads"))
@click.option("--store", "local_store", metavar="PATH", default=None, help="Store (overrides the global --store).")
@_serve_options
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, threads: int | None,
          local_store: str | None, **service: object) -> None:
    """Serve the SPARQL endpoint (/sparql, /store, /articles, /healthz, the query page) with waitress.

    The store is held open read-write while serving, so `kg ingest` into the same
    store fails until the server stops: ingest through the server instead
    (POST /articles, with --update-enabled and KG_UPDATE_TOKEN). `kg query`,
    `kg export` and `kg validate` open it read-only and may run alongside.
    Queries run in --query-workers processes that are killed at --query-timeout.
    One access-log line per request goes to standard error (--no-access-log: none).

    Exit codes: 0 stopped normally; 2 the store cannot be opened or the port is taken
    (the port is bound before the store is opened, so a taken port leaves no store behind).
    """
    options = {name.upper(): value for name, value in service.items() if value is not None}
    host, port = settings.get("host", host), settings.get("port", port)
    try:
        run_server(_store_option(ctx, local_store), host, port, settings.get("threads", threads), options)
    except KGError as exc:
        _fail(exc)
    except OSError as exc:  # the address cannot be bound: in use, not local, unknown host
        click.echo(f"error: cannot serve: {_bind_error(host, port, exc)}", err=True)
        sys.exit(EXIT_ERROR)


def _bind_error(host: str, port: int, exc: OSError) -> str:
    """A message naming ``host:port`` and why it cannot be bound (``exc`` from socket bind/getaddrinfo)."""
    address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    if exc.errno == errno.EADDRINUSE:
        return f"{address} is already in use (another server listens there); choose another --port or KG_PORT"
    if exc.errno == errno.EACCES:
        return f"{address}: permission denied (ports below 1024 need privileges); choose another --port"
    return f"{address} cannot be bound: {exc.strerror or exc}"


def run_server(store_location: str, host: str, port: int, threads: int, options: dict | None = None) -> None:
    """Bind ``host:port``, then open the store and serve it with waitress until SIGTERM/SIGINT
    (:func:`service.server.run_server`, imported here only when called: ``kg`` never imports Flask).

    Raises:
        OSError: ``host:port`` cannot be bound (taken, unknown host); no store was opened.
        kg.errors.StoreError: the store cannot be opened (e.g. locked by ``kg ingest``).
    """
    from service.server import run_server as serve_app

    serve_app(store_location, host, port, threads, options, announce=lambda line: click.echo(line, err=True))


# -- query -----------------------------------------------------------------------------------------
@main.command()
@click.argument("query_or_file", metavar="QUERY_OR_FILE")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv", "xml"]), default="table",
              show_default=True, help="Output: plain table, or a SPARQL results format (JSON-LD/RDF-XML for graphs).")
@click.pass_context
def query(ctx: click.Context, query_or_file: str, fmt: str) -> None:
    """Run a SPARQL query (a string, a file path, or - for stdin) over the union of all graphs.

    The store is opened read-only, so this works while `kg serve` runs.

    Exit codes: 0 the query ran; 2 malformed query, unreadable file or store error.
    """
    from kg.export import write_output

    try:
        data = run_query(_store_option(ctx, None), query_or_file, fmt)
    except KGError as exc:
        _fail(exc)
    write_output(data, None)


def run_query(store_location: str, query_or_file: str, fmt: str) -> bytes:
    """Open the store read-only, run the query, render it (see ``kg.export.query_output``)."""
    from kg.export import query_output, read_query_arg
    from kg.store import open_store

    sparql = read_query_arg(query_or_file)
    with open_store(store_location, read_only=True) as store:
        return query_output(store, sparql, fmt)


# -- export ----------------------------------------------------------------------------------------
@main.command()
@click.option("--graph", metavar="IRI_OR_ARTICLE_ID", default=None, help="One named graph (default: all).")
@click.option("--format", "fmt",
              type=click.Choice(["turtle", "trig", "nquads", "ntriples", "jsonld", "rdfxml", "csv", "jsonl"]),
              default=None, help="RDF: default turtle for one graph, trig for all. csv / jsonl: the event table, "
                                 "one row per event (of --graph, or of all articles).")
@click.option("-o", "--output", metavar="FILE", default=None, help="Write here instead of standard output.")
@click.pass_context
def export(ctx: click.Context, graph: str | None, fmt: str | None, output: str | None) -> None:
    """Write one article graph, the whole dataset, or the event table (store opened read-only).

    --format csv or jsonl writes the event table (kg.event_table): one row per
    meeting, statement and position with its type, CAMEO and PLOVER codes, date and
    precision, actors with QIDs and labels, stance, target, status, mode, place,
    confidence, canonical meeting, article URL, sentence and offsets.

    Exit codes: 0 written; 2 graph not in the store, a one-graph format for the
    whole dataset, or store error.
    """
    from kg.export import write_output

    try:
        data = run_export(_store_option(ctx, None), graph, fmt)
    except KGError as exc:
        _fail(exc)
    write_output(data, output)


def run_export(store_location: str, graph: str | None, fmt: str | None) -> bytes:
    """Open the store read-only and serialise (``kg.export.export_data``), or write the event
    table for csv/jsonl (``kg.event_table.export_events``)."""
    from kg.event_table import TABLE_FORMATS, export_events
    from kg.export import export_data, resolve_graph
    from kg.store import GraphNotFoundError, open_store

    with open_store(store_location, read_only=True) as store:
        if fmt in TABLE_FORMATS:
            iri = None
            if graph is not None:
                iri = str(resolve_graph(graph))
                if not store.has_graph(iri):
                    raise GraphNotFoundError(f"no graph <{iri}> in the store {store.location}")
            return export_events(store, fmt, iri)
        return export_data(store, graph, fmt)


# -- validate --------------------------------------------------------------------------------------
@main.command()
@click.pass_context
def validate(ctx: click.Context) -> None:
    """Validate every stored article graph against the SHACL shapes (store opened read-only).

    Exit codes (as pySHACL): 0 every graph conforms; 1 some graph does not
    (its report is printed); 2 error.
    """
    try:
        text, code = run_validate(_store_option(ctx, None))
    except KGError as exc:
        _fail(exc)
    click.echo(text, nl=False)
    sys.exit(code)


def run_validate(store_location: str) -> tuple[str, int]:
    """Validate each article graph with ``kg.validate.validate_dataset``; return (text, exit code).
    A remote store is read as one N-Quads export (within ``remote_timeout``): rdflib 7's
    SPARQLUpdateStore (``store.dataset``) sends its requests without a timeout."""
    from rdflib import Dataset

    from kg.remote_store import RemoteStore
    from kg.store import open_store
    from kg.validate import validate_dataset

    with open_store(store_location, read_only=True) as store:
        dataset = store.dataset
        if isinstance(store, RemoteStore):
            dataset = Dataset()
            dataset.parse(data=store.serialize("nquads"), format="nquads")
        results = validate_dataset(dataset)
    bad = [(iri, report) for iri, report in results if not report.conforms]
    lines = [f"does not conform: {iri}\n{report.text.rstrip()}\n" for iri, report in bad]
    lines.append(f"validated {len(results)} graph{'s' if len(results) != 1 else ''}: "
                 f"{len(results) - len(bad)} conform, {len(bad)} do not")
    return "\n".join(lines) + "\n", EXIT_FAILED if bad else EXIT_OK


# -- evaluate --------------------------------------------------------------------------------------
@main.command()
@click.argument("gold_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--store", "local_store", metavar="PATH", default=None,
              help="Evaluate this store (default: ingest the gold articles into a fresh in-memory store).")
@click.option("--details", is_flag=True, help="List false positives and negatives per article.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.pass_context
def evaluate(ctx: click.Context, gold_dir: Path, local_store: str | None, details: bool, as_json: bool) -> None:
    """Score extraction against the gold annotations (*.gold.json) of GOLD_DIR.

    Exit codes: 0 the evaluation ran; 2 unreadable gold, nothing to ingest, or store error.
    """
    from tqdm import tqdm

    from kg.evaluate import evaluate_cli

    location = local_store or (ctx.obj or {}).get("store")
    text, code = evaluate_cli(gold_dir, location, details, as_json=as_json,
                              progress=lambda items: tqdm(items, desc="ingest", file=sys.stderr, disable=None))
    click.echo(text, nl=False, err=code != EXIT_OK)
    sys.exit(code)


# -- gazetteer -------------------------------------------------------------------------------------
class LazyGroup(click.Group):
    """A group whose subcommands are imported only when used (``name -> "module:attribute"``)."""

    def __init__(self, *args, lazy: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.lazy:
            return super().get_command(ctx, name)
        import importlib

        module, attribute = self.lazy[name].split(":")
        return getattr(importlib.import_module(module), attribute)


@main.group(cls=LazyGroup, lazy={"build": "kg.gazetteer.build:main", "refresh": "kg.gazetteer.refresh_cli:main"})
def gazetteer() -> None:
    """The gazetteer of actors used for entity linking.

    `kg gazetteer build` (kg.gazetteer.build) writes it from the Wikidata extracts;
    `kg gazetteer refresh` (kg.gazetteer.refresh) updates offices and aliases from a Wikidata
    SPARQL endpoint into a file of its own; KG_GAZETTEER names the file ingest and `kg link`
    use (default: the shipped one). See their --help for options.

    Exit codes: 0 written, 1 validation or input error.
    """


# -- link ------------------------------------------------------------------------------------------
@main.command()
@click.option("--gazetteer", "gazetteer_path", metavar="FILE", default=None,
              help="Gazetteer file, e.g. one `kg gazetteer refresh` wrote (default: the gazetteer setting, "
                   "KG_GAZETTEER, else the shipped one).")
@click.option("--dry-run", is_flag=True, help="Report the links that would be added; write nothing.")
@click.option("--store", "local_store", metavar="PATH", default=None, help="Store (overrides the global --store).")
@click.pass_context
def link(ctx: click.Context, gazetteer_path: str | None, dry_run: bool, local_store: str | None) -> None:
    """Re-link the stored graph after a gazetteer refresh (kg.relink).

    Adds owl:sameAs wd:Q... to unlinked actors (local IRIs) that the gazetteer now links,
    without changing any IRI; each changed graph is SHACL-validated before it is written.

    Exit codes: 0 done; 1 some changed graph did not conform and was not written; 2 error.
    """
    from kg.relink import run_link

    try:
        text, code = run_link(_store_option(ctx, local_store), gazetteer_path, dry_run)
    except KGError as exc:
        _fail(exc)
    click.echo(text, nl=False)
    sys.exit(code)


if __name__ == "__main__":  # python -m kg.cli
    main()
