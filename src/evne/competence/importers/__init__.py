"""Importers of competence files: the catalog, requirements and records."""

from evne.competence.importers import (
    catalog,  # noqa: F401 - registers `evne import catalog`
    records,  # noqa: F401 - registers `evne import records`
    requirements,  # noqa: F401 - registers `evne import requirements`
)
