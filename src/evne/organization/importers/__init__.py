"""Importers of the payroll system's exports: people with their positions, and units."""

from evne.organization.importers.people import PeopleImporter
from evne.organization.importers.units import UnitsImporter

__all__ = ["PeopleImporter", "UnitsImporter"]
