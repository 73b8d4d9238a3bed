"""Templates are validated on load; a broken one names its file and indicator in Chinese."""
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
