"""When the desktop runs fcitx, the bundled Qt (no fcitx plugin) is pointed at fcitx5's ibus portal."""
import sys

import pytest

from ui.input_method import changes_for, has_fcitx_plugin


@pytest.mark.parametrize("env", [
    {"QT_IM_MODULE": "fcitx"},
    {"QT_IM_MODULE": "fcitx5", "XMODIFIERS": "@im=fcitx"},
    {"QT_IM_MODULE": " FCITX "},
    {"XMODIFIERS": "@im=fcitx"},  # no Qt setting: the X11 one tells
    {"GTK_IM_MODULE": "fcitx"},
])
def test_fcitx_desktop_gets_ibus_through_the_portal(env):
    assert changes_for(env, "linux", fcitx_plugin=False) == {"QT_IM_MODULE": "ibus", "IBUS_USE_PORTAL": "1"}


@pytest.mark.parametrize("env, platform, plugin", [
    ({"QT_IM_MODULE": "fcitx"}, "linux", True),  # a Qt that has its own fcitx plugin keeps it
    ({"QT_IM_MODULE": "fcitx"}, "win32", False),  # Windows: Qt talks to the system's input methods itself
    ({"QT_IM_MODULE": "ibus"}, "linux", False),  # an ibus desktop is left alone
    ({"QT_IM_MODULE": "compose", "XMODIFIERS": "@im=fcitx"}, "linux", False),  # an explicit choice wins
    ({}, "linux", False),
])
def test_other_setups_are_left_alone(env, platform, plugin):
    assert changes_for(env, platform, fcitx_plugin=plugin) == {}


def test_a_portal_setting_of_the_clerk_is_kept():
    env = {"QT_IM_MODULE": "fcitx", "IBUS_USE_PORTAL": "0"}
    assert changes_for(env, "linux", fcitx_plugin=False) == {"QT_IM_MODULE": "ibus"}


def test_the_bundled_qt_has_no_fcitx_plugin():
    assert has_fcitx_plugin() is False  # why this module exists (PySide6 ships ibus and compose only)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fcitx desktops are Linux")
def test_prepare_then_restore_leaves_the_environment_as_it_was():
    from ui.input_method import prepare, restore

    env = {"QT_IM_MODULE": "fcitx", "XMODIFIERS": "@im=fcitx"}
    replaced = prepare(env)
    assert env == {"QT_IM_MODULE": "ibus", "XMODIFIERS": "@im=fcitx", "IBUS_USE_PORTAL": "1"}
    restore(replaced, env)
    assert env == {"QT_IM_MODULE": "fcitx", "XMODIFIERS": "@im=fcitx"}
