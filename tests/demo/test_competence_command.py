"""`evne demo` and competence: the starter catalog is loaded once, the summary counts what was
built, and --replace clears the competence data with the organisation but keeps the catalog."""

import re
from io import StringIO

from django.core.management import call_command

from evne.competence.models import (
    Competence,
    CompetenceRecord,
    RecordStatus,
    Requirement,
    StaffingTarget,
)
from evne.core.models import ImportBatch
from tests.demo.test_competence import competence_dump


def demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_the_demo_loads_the_starter_catalog(db):
    demo("--employees", "200", "--seed", "4")
    assert Competence.objects.filter(code__in=["HLR", "SYKEPLEIER", "DIG-10"]).count() == 3


def test_the_summary_counts_requirements_targets_and_records_by_status(db):
    output = demo("--employees", "200", "--seed", "4")
    line = next(line for line in output.splitlines() if line.startswith("Competence:"))
    numbers = [int(number) for number in re.findall(r"\d+", line)]
    records = CompetenceRecord.objects
    assert numbers == [
        Requirement.objects.count(),
        StaffingTarget.objects.count(),
        records.count(),
        records.filter(status=RecordStatus.VERIFIED).count(),
        records.filter(status=RecordStatus.PENDING).count(),
        records.filter(status=RecordStatus.REJECTED).count(),
    ]
    assert all(numbers)


def test_replace_clears_the_competence_data_with_the_organisation_and_keeps_the_catalog(db):
    demo("--employees", "200", "--seed", "4")
    catalog = set(Competence.objects.values_list("pk", "code"))
    # Keys may be handed out again after a deletion, so the old rows are marked instead.
    CompetenceRecord.objects.update(note="old")
    Requirement.objects.update(legal_basis="old")
    StaffingTarget.objects.update(note="old")

    demo("--employees", "150", "--seed", "5", "--replace")

    assert set(Competence.objects.values_list("pk", "code")) == catalog
    assert not CompetenceRecord.objects.filter(note="old").exists()
    assert not Requirement.objects.filter(legal_basis="old").exists()
    assert not StaffingTarget.objects.filter(note="old").exists()
    assert CompetenceRecord.objects.exists() and Requirement.objects.exists()
    assert StaffingTarget.objects.exists()


def test_replace_builds_the_same_competence_data_as_a_fresh_database(db):
    demo("--employees", "150", "--seed", "5", "--reference-date", "2025-03-01")
    fresh = competence_dump()
    demo("--employees", "150", "--seed", "5", "--reference-date", "2025-03-01", "--replace")
    assert competence_dump() == fresh


def test_if_empty_builds_no_competence_data_and_imports_nothing(db, django_assert_max_num_queries):
    demo("--employees", "200", "--seed", "4")
    records, batches = CompetenceRecord.objects.count(), ImportBatch.objects.count()
    with django_assert_max_num_queries(10):
        output = demo("--employees", "200", "--if-empty")
    assert "nothing was built" in output
    assert CompetenceRecord.objects.count() == records
    assert ImportBatch.objects.count() == batches
