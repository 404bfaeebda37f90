"""A case shared by the tests of `evne coverage` and of the API's coverage: every status of
CPR in Helse og mestring, and a desired competence below its level."""

import datetime

import pytest

from evne.competence.models import RecordStatus, Requirement
from evne.competence.models import RequirementKind as Kind
from tests.conftest import make_record

ON = datetime.date(2026, 6, 1)
DAY = datetime.timedelta(days=1)


def give(person, competence, **extra):
    return make_record(person, competence, ON - 200 * DAY, **extra)


@pytest.fixture
def health(municipality, catalog):
    """CPR is required in Helse og mestring (11 people); dementia care at level 3 is desired of
    the nurses there."""
    c, p = catalog.competences, municipality.people
    Requirement.objects.create(competence=c["HLR"], unit=municipality.units["H"])
    Requirement.objects.create(
        competence=c["DEMENS"],
        unit=municipality.units["H"],
        job_role=municipality.roles["nurse"],
        level=3,
        kind=Kind.DESIRED,
    )
    give(p["employee"], c["HLR"], expires=ON + 200 * DAY)  # met
    give(p["ha0"], c["HLR"], expires=ON + 200 * DAY)  # met
    give(p["ha1"], c["HLR"], expires=ON + 30 * DAY)  # expiring
    give(p["hb"], c["HLR"], status=RecordStatus.PENDING)  # pending
    give(p["leader"], c["HLR"], expires=ON - 10 * DAY)  # expired
    give(p["employee"], c["DEMENS"], level=2)  # below level
    return municipality
