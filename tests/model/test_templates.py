"""Templates are validated on load; a broken one names its file and indicator in Chinese."""
import json
from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml

from model import templates
from model.paths import templates_dir
from model.templates import TemplateError

GOOD = yaml.safe_load((templates_dir() / "henan-dept-2020.yaml").read_text(encoding="utf-8"))


def _write(tmp_path: Path, doc: dict, name="broken.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def _first_indicator(doc):
    return doc["indicators"][0]["children"][0]["children"][0]


def test_all_bundled_templates_load():
    found = templates.load_all()
    assert {"mof-project-2020", "henan-dept-2020", "hunan-dept"} <= set(found)
    for tpl in found.values():
        if tpl.kind == "dept":
            assert sum(l1.weight for l1 in tpl.tree) == 100
            assert templates.project_form(tpl) is not None


def test_unknown_rule_kind_names_file_and_indicator(tmp_path):
    doc = yaml.safe_load(yaml.safe_dump(GOOD))
    _first_indicator(doc)["rule"]["kind"] = "treshold"
    with pytest.raises(TemplateError) as e:
        templates.load_template(_write(tmp_path, doc))
    msg = str(e.value)
    assert "broken.yaml" in msg and _first_indicator(GOOD)["name"] in msg and "treshold" in msg


def test_weights_not_adding_up_to_parent(tmp_path):
    doc = yaml.safe_load(yaml.safe_dump(GOOD))
    _first_indicator(doc)["weight"] = 3
    with pytest.raises(TemplateError, match="不一致"):
        templates.load_template(_write(tmp_path, doc))


def test_level1_weights_must_sum_to_100(tmp_path):
    doc = yaml.safe_load(yaml.safe_dump(GOOD))
    doc["indicators"] = doc["indicators"][:-1]
    with pytest.raises(TemplateError, match="应为 100"):
        templates.load_template(_write(tmp_path, doc))


def test_negative_weight_is_refused(tmp_path):
    doc = yaml.safe_load(yaml.safe_dump(GOOD))
    _first_indicator(doc)["weight"] = -2
    with pytest.raises(TemplateError, match="不小于 0"):
        templates.load_template(_write(tmp_path, doc))


def test_grade_bands_must_cover_zero_to_hundred(tmp_path):
    doc = yaml.safe_load(yaml.safe_dump(GOOD))
    doc["grade_bands"] = [{"grade": "优", "min": 90}, {"grade": "良", "min": 80}]
    with pytest.raises(TemplateError, match="覆盖 0–100"):
        templates.load_template(_write(tmp_path, doc))


@pytest.mark.parametrize("rule,needle", [
    ({"kind": "threshold", "op": "=>", "target": 5}, "比较符"),
    ({"kind": "bands", "bands": [{"min": 90, "score": "full"}]}, "最后一档"),
    ({"kind": "checklist", "items": []}, "items"),
    ({"kind": "per_item"}, "points"),
    ({"kind": "levels", "levels": [{"label": "有", "score": 9}]}, "分数"),
])
def test_bad_rule_parameters(tmp_path, rule, needle):
    doc = yaml.safe_load(yaml.safe_dump(GOOD))
    _first_indicator(doc)["rule"] = rule
    with pytest.raises(TemplateError, match=needle):
        templates.load_template(_write(tmp_path, doc))


def test_unknown_metric(tmp_path):
    doc = yaml.safe_load(yaml.safe_dump(GOOD))
    _first_indicator(doc)["metric"] = "budget_exec_rate"
    with pytest.raises(TemplateError, match="budget_exec_rate"):
        templates.load_template(_write(tmp_path, doc))


def test_unparseable_yaml(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="x.yaml"):
        templates.load_template(path)


def test_missing_project_template_reference(tmp_path):
    doc = yaml.safe_load(yaml.safe_dump(GOOD))
    doc["project_template"] = "nowhere"
    _write(tmp_path, doc, "a.yaml")
    with pytest.raises(TemplateError, match="nowhere"):
        templates.load_all(tmp_path)


def test_grade_lookup_uses_the_bands():
    tpl = templates.get("henan-dept-2020")
    assert [tpl.grade(D(x)) for x in ("90", "89.99", "80", "60", "59.99", "0")] == ["优", "良", "良", "中", "差", "差"]


def _no_yaml(monkeypatch):
    def refuse(data, name):
        raise AssertionError(f"{name} parsed again")

    monkeypatch.setattr(templates, "_parse_yaml", refuse)


def test_parsed_templates_are_cached_by_content(tmp_path, monkeypatch):
    cache_file = tmp_path / "cache" / "templates.json"
    cache = templates.ParsedCache(cache_file)
    first = templates.load_all(templates_dir(), cache=cache)
    cache.save()
    assert cache_file.exists()
    _no_yaml(monkeypatch)  # a later start reads every bundled template from the cache
    again = templates.load_all(templates_dir(), cache=templates.ParsedCache(cache_file))
    assert again.keys() == first.keys()
    for tid, tpl in first.items():
        assert again[tid].tree == tpl.tree and again[tid].grade_bands == tpl.grade_bands
        assert again[tid].project == tpl.project


def test_an_edited_template_is_parsed_again(tmp_path, monkeypatch):
    cache_file = tmp_path / "templates.json"
    path = _write(tmp_path, GOOD, "mine.yaml")
    cache = templates.ParsedCache(cache_file)
    templates.load_template(path, cache)
    cache.save()
    doc = yaml.safe_load(yaml.safe_dump(GOOD))
    doc["title"] = "改过的标题"
    _write(tmp_path, doc, "mine.yaml")
    assert templates.load_template(path, templates.ParsedCache(cache_file)).title == "改过的标题"
    _no_yaml(monkeypatch)
    with pytest.raises(AssertionError):  # the old bytes' entry is not used for new bytes
        templates.load_template(_write(tmp_path, dict(doc, title="又改了"), "mine.yaml"),
                                templates.ParsedCache(cache_file))


@pytest.mark.parametrize("damage", [b"{not json", b"[1, 2]", b"\xff\xfe"])
def test_a_damaged_cache_only_means_parsing_again(tmp_path, damage):
    cache_file = tmp_path / "templates.json"
    cache_file.write_bytes(damage)
    cache = templates.ParsedCache(cache_file)
    assert templates.load_template(templates_dir() / "henan-dept-2020.yaml", cache).id == "henan-dept-2020"
    cache.save()
    assert templates.ParsedCache(cache_file).parse((templates_dir() / "henan-dept-2020.yaml").read_bytes(), "x")


def test_an_unwritable_cache_is_ignored(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    cache = templates.ParsedCache(blocker / "cache" / "templates.json")  # its folder cannot be made
    assert templates.load_template(templates_dir() / "mof-project-2020.yaml", cache).kind == "project"
    cache.save()
    assert cache.dirty and not list(tmp_path.glob("**/*.tmp"))


def test_what_json_would_change_is_not_cached(tmp_path):
    cache = templates.ParsedCache(tmp_path / "templates.json")
    assert cache.parse("1: 一\n2: 二\n".encode(), "keys.yaml") == {1: "一", 2: "二"}  # int keys: JSON makes them strings
    assert not cache.entries


def test_old_versions_of_a_template_leave_the_cache(tmp_path):
    cache_file = tmp_path / "templates.json"
    path = tmp_path / "mine.yaml"
    for title in ("第一版", "第二版", "第三版"):
        _write(tmp_path, dict(GOOD, title=title), "mine.yaml")
        cache = templates.ParsedCache(cache_file)
        assert templates.load_template(path, cache).title == title
        cache.save()
    kept = json.loads(cache_file.read_text(encoding="utf-8"))["entries"]
    kept = [entry for entry in kept.values() if "title" in entry]  # (the 复核 defaults are kept too)
    assert len(kept) == 1 and kept[0]["title"] == "第三版"
