"""Chinese input on fcitx desktops (统信UOS、麒麟 and most Linux desktops in China use fcitx).

The Qt that comes with the app (PySide6's) has input-method plugins for ibus and compose but none
for fcitx, and the desktop's own fcitx plugin cannot be borrowed: it is built against the desktop's
Qt and fails to load into ours (README “打包”).  fcitx5, though, also answers ibus clients through
the ibus portal it provides for sandboxed apps.  So when the desktop asks Qt for fcitx and no fcitx
plugin is there, the app asks for ibus through that portal instead.  Verified end to end with
fcitx5 5.0.21 and its pinyin engine: tests/ui/test_fcitx_input.py.

The variables are set only while the QApplication is made (Qt reads them when it loads the
plugin) and put back right after: programs the app starts (the file manager or WPS that opens an
export) must see the desktop's own settings, not ours.  ``application()`` does all of it.
"""
from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping
from pathlib import Path

FCITX = ("fcitx", "fcitx5")


def changes_for(env: MutableMapping[str, str], platform: str, fcitx_plugin: bool) -> dict[str, str]:
    """The environment changes that let this Qt use the desktop's fcitx (none if not needed)."""
    if not platform.startswith("linux") or fcitx_plugin:
        return {}
    module = env.get("QT_IM_MODULE", "").strip().lower()
    if module:
        asks_fcitx = module in FCITX
    else:  # no Qt setting: what the desktop set for X11 and GTK programs says which input method runs
        asks_fcitx = "fcitx" in env.get("XMODIFIERS", "").lower() or env.get("GTK_IM_MODULE", "").lower() in FCITX
    if not asks_fcitx:
        return {}
    changes = {"QT_IM_MODULE": "ibus"}
    if "IBUS_USE_PORTAL" not in env:
        changes["IBUS_USE_PORTAL"] = "1"
    return changes


def has_fcitx_plugin() -> bool:
    """Whether this Qt has an fcitx input-method plugin of its own."""
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.PluginsPath)) / "platforminputcontexts"
    return any(folder.glob("*fcitx*"))


def prepare(env: MutableMapping[str, str] = os.environ) -> dict[str, str | None]:
    """Apply ``changes_for`` to the environment; returns the values it replaced (None: was not set)."""
    changes = changes_for(env, sys.platform, has_fcitx_plugin())
    previous = {name: env.get(name) for name in changes}
    env.update(changes)
    return previous


def restore(previous: dict[str, str | None], env: MutableMapping[str, str] = os.environ) -> None:
    """Put back what ``prepare`` replaced."""
    for name, value in previous.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value


def application(argv: list[str]):
    """The QApplication, made with ``prepare``'s settings in force and the environment restored after."""
    from PySide6.QtWidgets import QApplication

    replaced = prepare()
    try:
        return QApplication(argv)
    finally:
        restore(replaced)
