"""The settings table is documented: README.md's configuration table is generated from kg.settings.SETTINGS.

``kg.settings.markdown_table()`` renders SETTINGS (name, CLI option, environment variable,
default, help); ``docs/settings-table.md`` holds that text and README.md carries it between
``<!-- settings-table -->`` and ``<!-- /settings-table -->``. Regenerate both with
``python -m kg.settings > docs/settings-table.md`` and paste it into the README.
"""

from __future__ import annotations

import re

import click
import pytest

from conftest import REPO
from kg import settings

BEGIN, END = "<!-- settings-table -->", "<!-- /settings-table -->"
REGENERATE = "regenerate with `python -m kg.settings > docs/settings-table.md` and paste it into README.md"


def readme_table() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert BEGIN in text and END in text, f"README.md lacks the {BEGIN} ... {END} block"
    return text.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n") + "\n"


def test_every_setting_is_documented_in_the_readme():
    rows = {m.group(1) for m in re.finditer(r"^\| `([a-z_]+)` \|", readme_table(), re.MULTILINE)}
    missing = [s.name for s in settings.SETTINGS if s.name not in rows]
    assert not missing, f"settings missing from README.md's configuration table: {missing}; {REGENERATE}"
    unknown = sorted(rows - set(settings.SETTINGS_BY_NAME))
    assert not unknown, f"README.md documents settings that do not exist: {unknown}; {REGENERATE}"


def test_readme_table_is_the_generated_one():
    assert readme_table() == settings.markdown_table(), f"README.md's settings table is out of date; {REGENERATE}"


def test_docs_settings_table_is_the_generated_one():
    path = REPO / "docs" / "settings-table.md"
    assert path.read_text(encoding="utf-8") == settings.markdown_table(), f"{path} is out of date; {REGENERATE}"


def test_table_rows_name_the_environment_variable_and_default():
    table = settings.markdown_table()
    assert "| `query_timeout` | `kg serve --query-timeout` | `KG_QUERY_TIMEOUT` | `30.0` |" in table
    assert "| `store` | `kg --store` | `KG_STORE` | `<user data dir>/geokg/store` |" in table
    assert len(table.splitlines()) == 2 + len(settings.SETTINGS)


@pytest.mark.parametrize("setting", [s for s in settings.SETTINGS if s.cli], ids=lambda s: s.name)
def test_the_documented_cli_option_exists(setting):
    from kg.cli import main

    words = setting.cli.split()
    assert words[0] == "kg" and words[-1].startswith("--"), setting.cli
    command: click.Command = main
    ctx = click.Context(main)
    for name in words[1:-1]:
        assert isinstance(command, click.Group), setting.cli
        command = command.get_command(ctx, name)
        assert command is not None, f"{setting.cli}: no command {name!r}"
    options = {opt for param in command.params for opt in param.opts + param.secondary_opts}
    assert words[-1] in options, f"{setting.cli}: {words[-1]} is not an option of {' '.join(words[:-1])}"
