"""``kg gazetteer refresh``: the command line of :func:`kg.gazetteer.refresh.refresh`.

It writes the refreshed gazetteer (default :data:`kg.gazetteer.refresh.DEFAULT_OUT`, in the geokg
user data folder; never the shipped file) and prints the exact ``KG_GAZETTEER`` value and
``kg link --gazetteer`` command that make ingest, ``POST /articles`` and ``kg link`` use it.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from kg import settings
from kg.errors import GazetteerError
from kg.gazetteer.refresh import DEFAULT_OUT, refresh


def usage_hint(out: Path) -> str:
    """The lines telling the user how to use the gazetteer written to ``out``.

    Returns:
        Text naming ``KG_GAZETTEER=<absolute path>`` (or saying it already names the file) and the
        ``kg link --gazetteer <absolute path>`` command, ending with a newline.
    """
    path = Path(out).expanduser().resolve()
    quoted = shlex.quote(str(path))
    configured = str(settings.get("gazetteer") or "").strip()
    if configured and Path(configured).expanduser().resolve() == path:
        use = f"KG_GAZETTEER already names {quoted}: ingest and POST /articles use it from now on.\n"
    else:
        use = (f"To link new articles with it (kg ingest, POST /articles, kg evaluate), set\n"
               f"  export KG_GAZETTEER={quoted}\n")
    return use + f"To re-link the stored graphs with it:\n  kg link --gazetteer {quoted}\n"


@click.command("refresh")
@click.option("--endpoint", metavar="URL", default=None,
              help=f"{settings.SETTINGS_BY_NAME['wikidata_endpoint'].help} [env KG_WIKIDATA_ENDPOINT]")
@click.option("--contact", metavar="EMAIL_OR_URL", default=None,
              help=f"{settings.SETTINGS_BY_NAME['wikidata_contact'].help} [env KG_WIKIDATA_CONTACT]")
@click.option("--qid", "qids", metavar="Q…", multiple=True, help="Refresh only this item (repeatable).")
@click.option("--gazetteer", "gaz_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Gazetteer to update (default: the KG_GAZETTEER one, else the shipped one).")
@click.option("-o", "--out", "--output", "out", type=click.Path(path_type=Path, dir_okay=False),
              default=DEFAULT_OUT, show_default=True,
              help="File to write; point KG_GAZETTEER at it to use it.")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="New build date; no term may start after it (default: today).")
@click.option("--batch-size", type=click.IntRange(1, 500), default=50, show_default=True, help="Items per query.")
@click.option("--min-interval", type=float, default=1.0, show_default=True, help="Seconds between requests.")
def main(endpoint: str | None, contact: str | None, qids: tuple[str, ...], gaz_path: Path | None, out: Path,
         as_of, batch_size: int, min_interval: float) -> None:
    """Update the gazetteer's offices, ended terms and aliases from Wikidata (SPARQL).

    Writes OUT and a change summary <stem>.changes.json beside it, then prints the
    KG_GAZETTEER value and `kg link --gazetteer` command that use it. Wikidata's public
    endpoint needs --contact (or KG_WIKIDATA_CONTACT) for the User-Agent.
    Exit codes: 0 written, 1 endpoint, input or validation error (message on stderr).
    """
    try:
        stats = refresh(endpoint, gaz_path, out, qids=list(qids) or None, batch_size=batch_size, contact=contact,
                        min_interval=min_interval, as_of=as_of.date() if as_of else None)
    except GazetteerError as exc:
        raise click.ClickException(str(exc)) from None
    for c in stats.changes:
        click.echo(f"{c.kind:12s} {c.qid:11s} {c.label}: {c.detail}")
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(stats.counts().items())) or "no changes"
    click.echo(f"{counts}; {stats.requests} requests ({stats.retries} retries) -> {stats.out}, summary {stats.summary}")
    click.echo(usage_hint(stats.out), nl=False)
