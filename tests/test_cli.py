"""The command line as a clerk or a script uses it: Chinese messages, exit codes 0/1/2."""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "xingxian_2022.jxzp.json"


def run(*args, data_dir=None):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env["JXZP_DATA_DIR"] = str(data_dir) if data_dir else tempfile.mkdtemp(prefix="jxzp-cli-test-")  # never the repo
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT)


def test_templates_lists_the_bundled_ones():
    out = run("templates")
    assert out.returncode == 0
    for tid in ("mof-project-2020", "henan-dept-2020", "hunan-dept"):
        assert tid in out.stdout


def test_score_text_and_json():
    out = run("score", SAMPLE)
    assert out.returncode == 0 and "83.73" in out.stdout and "按规则" in out.stdout
    data = json.loads(run("score", SAMPLE, "--json").stdout)
    assert [p["total"] for p in data["projects"]] == ["83.73", "99.00", "100.00", "95.00"]
    assert data["projects"][0]["rule_total"] == "87.16"


def test_check_exits_1_when_there_are_errors():
    out = run("check", SAMPLE)
    assert out.returncode == 1
    assert "[错误]" in out.stdout
    problems = json.loads(run("check", SAMPLE, "--json").stdout)
    assert {"severity", "code", "step", "location", "message", "action"} <= set(problems[0])


@pytest.mark.parametrize("content", [
    b"",
    SAMPLE.read_bytes()[:500],
    b'{"format": "jxzp-report", "schema_version": 1, "report": {"finance": {"initial_budget": "\xe5\x8d\x81\xe4\xb8\x87"}}}',
    b'{"format": "something-else"}',
])
def test_bad_report_files_exit_2_and_stay_untouched(tmp_path, content):
    path = tmp_path / "坏文件.jxzp.json"
    path.write_bytes(content)
    for cmd in ("score", "check"):
        out = run(cmd, path)
        assert out.returncode == 2
        assert out.stderr.startswith("错误：") and "Traceback" not in out.stderr
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["坏文件.jxzp.json"]


def test_bad_arguments_exit_2_in_chinese():
    for args in (["score"], ["frobnicate"], ["score", "a", "b"]):
        out = run(*args)
        assert out.returncode == 2 and "错误" in out.stderr


@pytest.mark.parametrize("mutate,needle", [
    (lambda ind: ind["rule"].update(kind="treshold"), "treshold"),
    (lambda ind: ind.update(weight=-2), "不小于 0"),
    (lambda ind: ind.update(weight="两分"), "不是数字"),
])
def test_broken_user_template_is_reported_not_crashed(tmp_path, mutate, needle):
    """A bad template of the clerk's is skipped with a warning naming its full path (issue 12, item 4):
    the bundled template of the same id stays, and every command still works."""
    doc = yaml.safe_load((ROOT / "resources/templates/henan-dept-2020.yaml").read_text(encoding="utf-8"))
    mutate(doc["indicators"][0]["children"][0]["children"][0])
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "henan-dept-2020.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    out = run("templates", data_dir=tmp_path)
    assert out.returncode == 0 and needle in out.stderr and str((folder / "henan-dept-2020.yaml").resolve()) in out.stderr
    assert "henan-dept-2020" in out.stdout  # the bundled one
    assert "Traceback" not in out.stderr
    shilong = ROOT / "resources" / "samples" / "shilong_2020.jxzp.json"  # a henan-dept-2020 report
    out = run("score", shilong, data_dir=tmp_path)
    assert out.returncode == 0 and "86.00" in out.stdout and needle in out.stderr


def test_smoke_opens_the_window_and_builds_every_step():
    out = run("--smoke")
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["window", "ok", "pages", "ok"]


def test_output_cut_short_by_a_pipe_is_no_error():
    """``main.py score … | head``: the reader stops early; no traceback, exit 0."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen([sys.executable, str(root / "main.py"), "score",
                             str(root / "resources/samples/xiangxi_2021.jxzp.json")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # as head does once it has its lines: here before the first one is written
    err = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=60) == 0 and "Traceback" not in err
