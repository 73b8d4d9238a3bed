"""Shared test setup: headless Qt, the repo on sys.path, sample loading."""
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "resources" / "samples"


@pytest.fixture
def sample():
    """Load a bundled sample by name, e.g. sample("xingxian_2022")."""
    from model import storage

    return lambda name: storage.load(SAMPLES / f"{name}.jxzp.json")
