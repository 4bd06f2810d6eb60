"""Shared test helpers: where the read-only shared data lives.

``SHARED`` is ``../shared`` next to the repository; tests that need it use the
``shared_dir`` fixture (or ``SHARED`` at collection time) and skip when it is absent.
"""

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """The shared data folder; skips the test when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"shared data folder {SHARED} is absent")
    return SHARED
