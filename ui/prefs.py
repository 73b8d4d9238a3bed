"""The clerk's settings (``settings.ini`` in the user data folder) and the choices of the window's
layout that are remembered there: panels shown or collapsed, the project list folded, where the
clerk dragged a splitter."""
from __future__ import annotations

from PySide6.QtCore import QSettings

from model.paths import user_data_dir


def settings() -> QSettings:
    return QSettings(str(user_data_dir() / "settings.ini"), QSettings.IniFormat)


def flag(key: str, default: bool) -> bool:
    """A remembered on/off choice (QSettings gives INI values back as text)."""
    value = settings().value(key, default)
    return value if isinstance(value, bool) else str(value).lower() in ("true", "1")


def set_flag(key: str, value: bool) -> None:
    settings().setValue(key, bool(value))


def remember_splitter(splitter, key: str) -> None:
    """Put ``splitter`` where the clerk last dragged it, and remember each new drag."""
    saved = settings().value(key)
    if saved is not None:
        splitter.restoreState(saved)
    splitter.splitterMoved.connect(lambda *_: settings().setValue(key, splitter.saveState()))
