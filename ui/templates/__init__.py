"""模板管理: list, view, copy and edit, import and export templates (文件 → 模板…)."""
