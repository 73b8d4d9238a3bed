"""The one place that knows where bundled resources live, frozen or from source."""
from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """``resources/`` beside the code, or inside a PyInstaller bundle."""
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def templates_dir() -> Path:
    return resources_dir() / "templates"


def samples_dir() -> Path:
    return resources_dir() / "samples"


def user_data_dir() -> Path:
    """Settings, autosave and the clerk's own templates; ``JXZP_DATA_DIR`` overrides (portable use, tests)."""
    import os

    override = os.environ.get("JXZP_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir as platform_dir

    return Path(platform_dir("jxzp", appauthor=False))


def user_templates_dir() -> Path:
    return user_data_dir() / "templates"
