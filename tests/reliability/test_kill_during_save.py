"""Power cut during save: SIGKILL a process that keeps saving a large report, at random moments.

Every time, the file on disk must be the complete previous version or the complete new
one (never a mix, never truncated), and the .bak must load.  One child process saves in
a loop (alternating two versions) so each kill lands somewhere inside a save.
"""
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from model import storage

ROOT = Path(__file__).resolve().parents[2]
KILLS = 100
CHILD = r"""
import sys
sys.path.insert(0, sys.argv[2])
from bench.generate import large_report
from model import storage
report = large_report(50, 10)
versions = []
for n in range(2):
    report.basic.department = f"版本{n}"
    versions.append(storage.dumps(report).encode("utf-8"))
print("ready", flush=True)
n = 0
while True:
    storage.atomic_write(sys.argv[1], versions[n % 2])
    n += 1
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_sigkill_during_save_never_leaves_a_broken_file(tmp_path):
    path = tmp_path / "大报告.jxzp.json"
    rng = random.Random(20261124)
    seen = {"版本0": 0, "版本1": 0}
    for _ in range(KILLS):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(ROOT)], cwd=ROOT,
                                 stdout=subprocess.PIPE, text=True)
        watchdog = threading.Timer(120, child.kill)  # a hung child must fail the test, not hang CI
        watchdog.start()
        assert child.stdout.readline().strip() == "ready"
        watchdog.cancel()
        time.sleep(rng.uniform(0.0, 0.25))  # somewhere inside one of the saves
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=20)
        if not path.exists():
            continue  # killed before the very first save finished: nothing was ever promised
        report = storage.load(path)  # complete: raises StorageError on any truncation
        seen[report.basic.department] += 1
        backup = path.with_name(path.name + ".bak")
        if backup.exists():
            assert storage.load(backup).basic.department in seen
    leftovers = [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"]
    assert sum(seen.values()) >= KILLS * 0.8
    storage.atomic_write(path, path.read_bytes())  # the next good save clears what killed saves left
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []
    print(f"{KILLS} kills survived; versions on disk: {seen}; temp files left before the next save: {len(leftovers)}")
