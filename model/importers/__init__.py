"""Importers: data from outside the report (决算 tables, last year's report) into a Report."""
