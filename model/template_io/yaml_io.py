"""Templates as YAML: read a template's data, validate an edited copy, write it into the user templates folder.

A template being copied or edited is its raw data (the dict of the YAML file).  ``validate`` runs the
very checks ``model.templates.load_template`` runs on a file, so what passes here loads at start-up.
"""
from __future__ import annotations

import copy
import re
import tempfile
from pathlib import Path

from .. import storage, templates
from ..paths import user_templates_dir
from ..templates import Template, TemplateError

# load_template's advice is about a file on disk; in 模板管理 the clerk corrects the copy on screen
_FILE_ADVICE = "请修正该文件或删除它后重启软件。"
EDIT_ADVICE = "请改正后再保存。"


def raw_data(tpl: Template) -> dict:
    """A fresh copy of the data of a loaded template (its file was checked by loading it)."""
    import yaml

    try:
        data = yaml.safe_load(Path(tpl.path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise TemplateError(f"无法读取模板文件“{Path(tpl.path).name}”：{e}。请重新安装本软件或删除该自定义模板。") from None
    return copy.deepcopy(data)


def dump(raw: dict) -> str:
    import yaml

    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=1000)


def validate(raw: dict, name: str = "模板") -> Template:
    """The template this data makes, checked as a file is on load; TemplateError names the indicator."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{_file_stem(name)}.yaml"
        path.write_text(dump(raw), encoding="utf-8")
        try:
            tpl = templates.load_template(path)
        except TemplateError as e:
            raise TemplateError(str(e).replace(_FILE_ADVICE, EDIT_ADVICE)) from None
    return tpl


def _file_stem(text: str) -> str:
    """A file name from an id: characters Windows refuses become “_”."""
    stem = re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("._") or "模板"
    return stem[:80]


def check_new_id(tid: str, replacing: str = "") -> None:
    """A saved template's id must not be another template's (``replacing``: the file being overwritten)."""
    if not tid.strip():
        raise TemplateError("请填写模板编号（例如 hunan-dept-2024-某县），编号用于在报告中找到模板。")
    for other in templates.available().values():
        if other.id == tid and Path(other.path).resolve() != Path(replacing or "/nonexistent").resolve():
            raise TemplateError(f"模板编号“{tid}”已被模板“{other.title}”使用，请换一个编号。")


def save_user_template(raw: dict, folder: Path | None = None, replacing: str = "") -> Path:
    """Validate, then write atomically into the user templates folder as ``<id>.yaml``; returns the path."""
    tid = str(raw.get("id", "")).strip()
    check_new_id(tid, replacing)
    validate(raw, tid)
    folder = Path(folder) if folder is not None else user_templates_dir()
    path = Path(replacing) if replacing else folder / f"{_file_stem(tid)}.yaml"
    write_atomic(path, dump(raw))
    templates.reload()  # listed (and usable by reports) from now on
    return path


def write_atomic(path: Path, text: str) -> None:
    """``storage.atomic_write`` (old file or new one, Windows' names and busy files handled), into a folder
    made when missing; its message as a TemplateError."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        storage.atomic_write(path, text.encode("utf-8"), backup=False)
    except OSError as e:
        raise TemplateError(f"无法写入“{path}”：{e.strerror or e}。请检查文件夹是否可写、磁盘是否已满，或另选位置。") from None
    except storage.StorageError as e:
        raise TemplateError(str(e)) from None


def load_file(path: str | Path) -> dict:
    """The data of a template file a clerk chose to import, checked as any template file is."""
    tpl = templates.load_template(path)
    return raw_data(tpl)
