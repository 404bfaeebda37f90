"""Importers of competence files: the catalog, requirements and records."""
