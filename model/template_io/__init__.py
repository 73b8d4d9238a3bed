"""Templates in and out: 评分标准 wordings ↔ rules (``criteria``), YAML (``yaml_io``), the Excel
indicator table bureaus issue (``excel``).

An imported or edited template is a plain dict in the YAML layout of ``resources/templates/``;
``model.templates.from_data`` validates it exactly as a template file is validated on load.
"""
