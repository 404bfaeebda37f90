"""`evne import records` and `evne export records`: verified records from a file, matched by
person, competence and date obtained, with renewals, all or nothing, and a round trip."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from evne.competence.models import CompetenceRecord, RecordSource, RecordStatus
from evne.core.exports import export_bytes
from evne.core.imports.pipeline import IMPORTERS, Options, apply_import, plan_import
from evne.core.imports.problems import ImportProblems
from evne.core.models import ImportBatch, ImportChange
from evne.core.visibility import ADMINISTRATOR, visibility_for
from tests.competence.test_recording import make_record
from tests.organization.importing import csv_bytes

HEADERS = ["Ansattnr", "Kompetansekode", "Nivå", "Oppnådd", "Utløper", "Studiepoeng"]
TODAY = datetime.date(2025, 6, 1)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in English, the source language."""
    with translation.override("en"):
        yield


def import_records(rows, headers=HEADERS, user=None, **options):
    data = csv_bytes(rows, headers=headers, encoding="utf-8")
    return apply_import(
        "records", data, "records.csv", user=user, options=Options(today=TODAY, **options)
    )


def preview(rows, headers=HEADERS, **options):
    data = csv_bytes(rows, headers=headers, encoding="utf-8")
    return plan_import("records", data, "records.csv", options=Options(today=TODAY, **options))


def problems_of(rows, **options) -> list[tuple]:
    with pytest.raises(ImportProblems) as raised:
        import_records(rows, **options)
    return [
        (problem.row, problem.column, problem.value, str(problem.message))
        for problem in raised.value.problems
    ]


def records():
    return sorted(
        CompetenceRecord.objects.values_list(
            "person__employee_number",
            "competence__code",
            "level",
            "obtained_on",
            "expires_on",
            "credits",
            "status",
            "superseded_by__obtained_on",
        )
    )


def test_imported_records_are_verified_with_import_as_source(municipality, catalog):
    batch = import_records(
        [
            ["1002", "HLR", "", "15.03.2025", "", ""],
            ["1002", "DEMENS", "3", "01.09.2023", "", "15"],
            ["ha000", "SYKEPLEIER", "", "2010-06-20", "", ""],
        ],
        user=municipality.users["hr"],
    )
    assert batch.counts == {"records": {"create": 3, "update": 0}}
    assert records() == [
        ("1002", "DEMENS", 3, datetime.date(2023, 9, 1), None, Decimal("15.0"), "verified", None),
        ("1002", "HLR", None, datetime.date(2025, 3, 15), datetime.date(2026, 3, 15), None,
         "verified", None),
        ("ha000", "SYKEPLEIER", None, datetime.date(2010, 6, 20), None, None, "verified", None),
    ]  # fmt: skip
    record = CompetenceRecord.objects.get(competence__code="HLR")
    assert record.source == RecordSource.IMPORT
    assert record.decided_by == municipality.users["hr"]
    assert record.created_by == municipality.users["hr"]
    assert record.decided_at is not None
    changes = ImportChange.objects.filter(batch=batch)
    assert sorted(changes.values_list("object_repr", "action", "row")) == [
        ("1002 DEMENS 01.09.2023", "create", 3),
        ("1002 HLR 15.03.2025", "create", 2),
        ("ha000 SYKEPLEIER 20.06.2010", "create", 4),
    ]


def test_on_the_command_line_no_one_is_named_as_verifier(municipality, catalog, tmp_path):
    path = tmp_path / "kompetanse.csv"
    path.write_bytes(csv_bytes([["1002", "HLR", "", "15.03.2025", "", ""]], headers=HEADERS))
    out = StringIO()
    call_command("import", "records", str(path), stdout=out)
    record = CompetenceRecord.objects.get()
    assert (record.status, record.decided_by) == (RecordStatus.VERIFIED, None)
    assert ImportBatch.objects.get().kind == "records"


def test_english_headers_names_and_level_names_are_read(municipality, catalog):
    import_records(
        [
            ["1002", "Cardiopulmonary resuscitation", "", "15.03.2025", "01.01.2026", ""],
            ["1002", "demensomsorg", "Advanced", "01.09.2023", "", "7.5"],
            ["1001", "Digital kompetanse", "Grunnleggende", "01.09.2023", "", ""],
        ],
        headers=["Employee number", "Competence", "Level", "Obtained", "Expires", "Credits"],
    )
    assert records() == [
        ("1001", "DIGITAL", 1, datetime.date(2023, 9, 1), None, None, "verified", None),
        ("1002", "DEMENS", 3, datetime.date(2023, 9, 1), None, Decimal("7.5"), "verified", None),
        ("1002", "HLR", None, datetime.date(2025, 3, 15), datetime.date(2026, 1, 1), None,
         "verified", None),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "header", ["Ansattnummer", "Kompetanse", "Oppnådd dato", "Utløpsdato", "Competence code"]
)
def test_every_documented_alias_is_recognised(header):
    importer = IMPORTERS["records"]
    assert any(header in field.aliases for field in importer.fields)


def test_every_problem_is_reported_at_once_and_nothing_is_written(municipality, catalog):
    twin = catalog.competences["DIGITAL"]
    twin.pk = None
    twin.code = "DIGITAL-2"
    twin.save()  # now two competences are called "Digital kompetanse"
    found = problems_of(
        [
            ["9999", "HLR", "", "01.01.2025", "", ""],
            ["1002", "UKJENT", "", "01.01.2025", "", ""],
            ["1002", "Digital kompetanse", "2", "01.01.2025", "", ""],
            ["1002", "DEMENS", "5", "01.01.2025", "", ""],
            ["1002", "DEMENS", "", "02.01.2025", "", ""],
            ["1002", "HLR", "2", "03.01.2025", "", ""],
            ["1002", "HLR", "", "31.02.2025", "", ""],
            ["1002", "HLR", "", "01.01.2030", "", ""],
            ["1002", "HLR", "", "01.01.2025", "01.12.2024", ""],
            ["1002", "HLR", "", "05.01.2025", "", ""],
            ["1002", "HLR", "", "05.01.2025", "", ""],
            ["1002", "LEGEMIDDEL", "", "01.01.2025", "", "7,25"],
            ["", "", "", "", "", "15"],
        ]
    )
    assert found == [
        (2, "Ansattnr", "9999", "No one in Evne has this employee number."),
        (3, "Kompetansekode", "UKJENT",
         "No competence has this code or name. Use the code from the catalog."),
        (4, "Kompetansekode", "Digital kompetanse",
         "Several competences are called this (DIGITAL, DIGITAL-2). Use the code."),
        (5, "Nivå", "5", "5 is not a level of Proficiency 1–4. The levels are: 1 Basic, "
         "2 Intermediate, 3 Advanced, 4 Expert."),
        (6, "Nivå", "",
         "Choose a level: Dementia care is registered on the scale Proficiency 1–4."),
        (7, "Nivå", "2", "Cardiopulmonary resuscitation has no levels: one has it or not. "
         "Leave the level empty."),
        (8, "Oppnådd", "31.02.2025", "This date does not exist."),
        (9, "Oppnådd", "01.01.2030", "The date obtained cannot be in the future."),
        (10, "Utløper", "01.12.2024", "The expiry date cannot be before the date obtained."),
        (12, "Oppnådd", "05.01.2025",
         "This record (employee, competence and date obtained) is also on row 11."),
        (13, "Studiepoeng", "7,25", "Write credits with at most one decimal, such as 7,5."),
        (14, "Ansattnr", "", "The employee number is missing."),
        (14, "Kompetansekode", "", "The competence is missing."),
        (14, "Oppnådd", "", "The date obtained is missing."),
    ]  # fmt: skip
    assert not CompetenceRecord.objects.exists()
    assert not ImportBatch.objects.exists()


def test_a_code_wins_over_a_name_and_case_does_not_matter(municipality, catalog):
    confusing = catalog.competences["LEGEMIDDEL"]
    confusing.name_en = "hlr"  # another competence named like HLR's code
    confusing.save()
    import_records([["1002", "hlr", "", "01.01.2025", "", ""]])
    assert CompetenceRecord.objects.get().competence.code == "HLR"


def test_a_second_import_changes_nothing(municipality, catalog):
    rows = [
        ["1002", "HLR", "", "15.03.2024", "", ""],
        ["1002", "HLR", "", "15.03.2025", "", ""],
        ["1002", "DEMENS", "2", "01.09.2023", "01.09.2033", "7,5"],
    ]
    import_records(rows)
    before = records()
    plan = preview(rows)
    assert plan.problems == []
    assert plan.counts == {"records": {"create": 0, "update": 0}}
    assert not plan.changes_anything
    batch = import_records(rows)
    assert batch.counts == {"records": {"create": 0, "update": 0}}
    assert records() == before


def test_changed_level_expiry_and_credits_update_the_record(municipality, catalog):
    import_records([["1002", "DEMENS", "2", "01.09.2023", "", "7,5"]])
    record = CompetenceRecord.objects.get()
    batch = import_records([["1002", "DEMENS", "3", "01.09.2023", "01.09.2030", "15"]])
    assert batch.counts == {"records": {"create": 0, "update": 1}}
    record.refresh_from_db()
    assert (record.level, record.expires_on, record.credits) == (
        3,
        datetime.date(2030, 9, 1),
        Decimal("15"),
    )
    change = ImportChange.objects.get(batch=batch)
    assert change.action == "update"
    assert change.changes == {
        "level": [2, 3],
        "expires_on": [None, "2030-09-01"],
        "credits": ["7.5", "15"],
    }


def test_a_newer_date_obtained_renews_the_current_record(municipality, catalog):
    m, c = municipality, catalog
    old = make_record(m.people["employee"], c.competences["HLR"], datetime.date(2024, 2, 1))
    batch = import_records([["1002", "HLR", "", "10.02.2025", "", ""]])
    assert batch.counts == {"records": {"create": 1, "update": 1}}
    new = CompetenceRecord.objects.exclude(pk=old.pk).get()
    old.refresh_from_db()
    assert old.superseded_by == new
    assert new.superseded_by is None
    change = ImportChange.objects.get(batch=batch, action="update")
    assert change.object_pk == str(old.pk)
    assert change.changes == {"superseded_by": [None, new.pk]}
    assert change.row == 2


def test_an_older_date_obtained_goes_to_the_history(municipality, catalog):
    m, c = municipality, catalog
    current = make_record(m.people["employee"], c.competences["HLR"], datetime.date(2025, 2, 1))
    batch = import_records([["1002", "HLR", "", "10.02.2023", "", ""]])
    assert batch.counts == {"records": {"create": 1, "update": 0}}
    older = CompetenceRecord.objects.exclude(pk=current.pk).get()
    assert older.superseded_by == current
    current.refresh_from_db()
    assert current.superseded_by is None


def test_a_file_with_a_whole_history_chains_the_renewals(municipality, catalog):
    import_records(
        [
            ["1002", "HLR", "", "10.02.2025", "", ""],
            ["1002", "HLR", "", "10.02.2023", "", ""],
            ["1002", "HLR", "", "10.02.2024", "", ""],
        ]
    )
    assert [row[-1] for row in records()] == [
        datetime.date(2024, 2, 10),
        datetime.date(2025, 2, 10),
        None,
    ]
    assert CompetenceRecord.objects.current().count() == 1


def test_a_pending_record_in_the_file_becomes_verified(municipality, catalog):
    m, c = municipality, catalog
    old = make_record(m.people["employee"], c.competences["HLR"], datetime.date(2023, 5, 1))
    pending = make_record(
        m.people["employee"], c.competences["HLR"], datetime.date(2025, 5, 1), "pending"
    )
    batch = import_records([["1002", "HLR", "", "01.05.2025", "", ""]], user=m.users["hr"])
    assert batch.counts == {"records": {"create": 0, "update": 2}}
    pending.refresh_from_db()
    old.refresh_from_db()
    assert (pending.status, pending.decided_by) == (RecordStatus.VERIFIED, m.users["hr"])
    assert old.superseded_by == pending


def test_other_competences_are_left_alone(municipality, catalog):
    m, c = municipality, catalog
    # Two current records of one competence (from before renewals were tracked) stay as they
    # are when the file says nothing new about that competence.
    first = make_record(m.people["employee"], c.competences["HLR"], datetime.date(2023, 5, 1))
    second = make_record(m.people["employee"], c.competences["HLR"], datetime.date(2024, 5, 1))
    import_records([["1002", "LEGEMIDDEL", "", "01.05.2025", "", ""]])
    for record in (first, second):
        record.refresh_from_db()
        assert record.superseded_by is None


def test_a_rejected_record_is_not_matched(municipality, catalog):
    m, c = municipality, catalog
    rejected = make_record(
        m.people["employee"], c.competences["HLR"], datetime.date(2025, 5, 1), "rejected"
    )
    batch = import_records([["1002", "HLR", "", "01.05.2025", "", ""]])
    assert batch.counts == {"records": {"create": 1, "update": 0}}
    rejected.refresh_from_db()
    assert rejected.status == RecordStatus.REJECTED


def test_hr_imports_only_people_of_their_own_organisation(municipality, catalog):
    m = municipality
    allowed = visibility_for(m.users["hr"]).import_roots()
    found = problems_of(
        [
            ["1002", "HLR", "", "01.05.2025", "", ""],
            ["gx000", "HLR", "", "01.05.2025", "", ""],
            ["gx000", "LEGEMIDDEL", "", "01.05.2025", "", ""],
            ["1003", "HLR", "", "01.05.2025", "", ""],  # left in 2021
        ],
        allowed_roots=allowed,
    )
    message = "This employee has no current position in the organisations you may import into."
    assert found == [(3, "Ansattnr", "gx000", message), (5, "Ansattnr", "1003", message)]
    assert not CompetenceRecord.objects.exists()
    batch = import_records([["1002", "HLR", "", "01.05.2025", "", ""]], allowed_roots=allowed)
    assert list(batch.roots.values_list("code", flat=True)) == ["K"]


def round_trip(file_format):
    table = IMPORTERS["records"].export_table(ADMINISTRATOR)
    data = export_bytes([table], file_format)
    return plan_import("records", data, f"records.{file_format}", options=Options(today=TODAY))


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(municipality, catalog, file_format):
    m, c = municipality, catalog
    import_records(
        [
            ["1002", "HLR", "", "15.03.2024", "", ""],
            ["1002", "HLR", "", "15.03.2025", "01.01.2026", ""],
            ["1002", "DEMENS", "2", "01.09.2023", "", "7,5"],
            ["ha000", "DIGITAL", "4", "01.09.2023", "", "30"],
            ["1001", "SYKEPLEIER", "", "20.06.2001", "", "180"],
        ]
    )
    make_record(m.people["employee"], c.competences["LEGEMIDDEL"], TODAY, "pending")
    plan = round_trip(file_format)
    assert plan.problems == []
    assert plan.counts == {"records": {"create": 0, "update": 0}}


def test_the_export_holds_current_verified_records_the_user_may_see(municipality, catalog):
    m, c = municipality, catalog
    import_records(
        [
            ["1002", "HLR", "", "15.03.2024", "", ""],
            ["1002", "HLR", "", "15.03.2025", "", ""],
            ["gx000", "DEMENS", "2", "01.09.2023", "", "7,5"],
        ]
    )
    make_record(m.people["employee"], c.competences["LEGEMIDDEL"], TODAY, "pending")
    importer = IMPORTERS["records"]
    assert importer.export_headers() == HEADERS
    hr_rows = list(importer.export_rows(visibility_for(m.users["hr"])))
    assert hr_rows == [
        ("1002", "HLR", None, datetime.date(2025, 3, 15), datetime.date(2026, 3, 15), None)
    ]
    outsider_rows = list(importer.export_rows(visibility_for(m.users["outsider"])))
    assert [row[:2] for row in outsider_rows] == [("gx000", "DEMENS")]
    assert importer.may_export(visibility_for(m.users["hr"]))
    assert not importer.may_export(visibility_for(m.users["leader"]))


def test_the_export_command_writes_a_file_the_import_reads(municipality, catalog, tmp_path):
    import_records([["1002", "HLR", "", "15.03.2025", "", ""]])
    path = tmp_path / "records.xlsx"
    call_command("export", "records", str(path), stdout=StringIO())
    plan = plan_import("records", path.read_bytes(), path.name, options=Options(today=TODAY))
    assert plan.counts == {"records": {"create": 0, "update": 0}}
