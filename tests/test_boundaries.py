"""The folder rules: ``kg`` never imports Flask, ``service`` never imports spaCy."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module ``path`` imports (anywhere in the file, lazily or not)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def python_files(folder: str) -> list[Path]:
    files = sorted((REPO / folder).rglob("*.py"))
    assert files, folder
    return files


@pytest.mark.parametrize("path", python_files("kg"), ids=lambda p: str(p.relative_to(REPO)))
def test_kg_never_imports_flask(path):
    names = imported_modules(path)
    assert not names & {"flask", "werkzeug"}, f"{path} imports {names & {'flask', 'werkzeug'}}"
    if path != REPO / "kg" / "cli.py":  # only the CLI starts the service (lazily, in `kg serve`)
        assert "service" not in names, f"{path} imports the service package"


@pytest.mark.parametrize("path", python_files("service"), ids=lambda p: str(p.relative_to(REPO)))
def test_service_never_imports_spacy(path):
    assert "spacy" not in imported_modules(path)


def test_importing_the_app_does_not_load_spacy():
    script = ("import sys\nimport service.app\nfrom service.app import create_app\n"
              "app = create_app({'STORE': 'memory'})\n"
              "app.test_client().get('/sparql?query=ASK%20%7B%7D')\n"
              "print(sorted(m for m in sys.modules if m == 'spacy' or m.startswith('spacy.')))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "[]"


def test_importing_the_cli_does_not_load_flask_or_spacy():
    script = ("import sys\nimport kg.cli\n"
              "print(sorted(m for m in ('flask', 'spacy', 'service') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("folder, rule", [("kg", "never imports flask"), ("service", "never imports spacy")])
def test_folder_readme_states_the_rule(folder, rule):
    text = (REPO / folder / "README.md").read_text(encoding="utf-8").lower()
    assert rule in text.replace("`", "")
