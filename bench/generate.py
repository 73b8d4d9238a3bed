"""A generated large report: the shilong sample plus N projects × M indicator rows."""
from decimal import Decimal

from model import storage
from model.paths import samples_dir
from model.report import FundsRow, Override, Project, ProjectIndicator


def large_report(projects: int = 50, rows: int = 10):
    report = storage.load(samples_dir() / "shilong_2020.jxzp.json")  # 41 department indicators answered
    kinds = [("output", "数量指标", "≥{n}人", "{m}人"), ("output", "质量指标", "合格", "合格"),
             ("output", "时效指标", "2020年底", "2020年底"), ("output", "成本指标", "{n}万元", "{m}万元"),
             ("outcome", "社会效益指标", "提高", "提高"), ("satisfaction", "服务对象满意度指标", "≥95%", "{s}%")]
    for p in range(projects):
        budget = Decimal(100000 + 1000 * p)
        project = Project(name=f"生成项目{p + 1}", authority="测试局", implementer="测试局",
                          funds_current=FundsRow(budget, budget, budget * Decimal("0.9")))
        weights = [Decimal(50) / (rows - 2)] * (rows - 2) + [Decimal(30), Decimal(10)]
        for r in range(rows):
            level1, level2, target, actual = kinds[min(r % 4, 3)] if r < rows - 2 else kinds[4 + (r - rows + 2)]
            row = ProjectIndicator(level1=level1, level2=level2, name=f"指标{r + 1}",
                                   target=target.format(n=100 + r, m=90 + r, s=93), actual=actual.format(n=100 + r, m=90 + r, s=93),
                                   weight=weights[r].quantize(Decimal("0.01")))
            if r == 0 and p % 5 == 0:
                row.override = Override(Decimal(2), "生成的人工评分")
            project.indicators.append(row)
        report.projects.append(project)
    return report
