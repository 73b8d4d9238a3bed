"""Exports: read the model and write files (xlsx, pdf, docx). No Qt here."""
