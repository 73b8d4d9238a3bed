"""The wizard's steps: one module per step, named by its id in ``model.templates.SECTIONS`` (which also
gives their order and titles).  A step's module is imported and its page built on first visit, so the
window opens without building pages the clerk may never look at."""
from __future__ import annotations

import importlib


def page_class(step_id: str):
    """The page class of ``step_id`` (the class in ``ui/steps/<step_id>.py`` with that ``step_id``)."""
    module = importlib.import_module(f"{__name__}.{step_id}")
    return next(v for v in vars(module).values() if isinstance(v, type) and getattr(v, "step_id", None) == step_id)
