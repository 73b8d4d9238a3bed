"""The Qt wizard: shows and edits the model, nothing else."""
