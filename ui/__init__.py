"""The Qt wizard: shows and edits the model, nothing else."""
from model.version import __version__  # noqa: F401  (帮助→关于)
