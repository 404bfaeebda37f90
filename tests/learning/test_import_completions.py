"""`evne import completions`: completions from another learning platform's export count exactly
like completions made in Evne; every problem is reported at once and nothing is written; a second
import changes nothing."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from evne.analysis.engine import Status, coverage_for
from evne.competence.models import CompetenceRecord, Requirement
from evne.core.exports import Table, export_bytes
from evne.core.imports.pipeline import IMPORTERS, Options, apply_import, plan_import
from evne.core.imports.problems import ImportProblems
from evne.core.models import ImportBatch, ImportChange
from evne.core.visibility import visibility_for
from evne.learning.completions import complete_course
from evne.learning.models import Completion, CompletionSource, Course, CourseKind
from evne.organization.models import Person
from tests.organization.importing import csv_bytes

HEADERS = ["Ansattnr", "Kurskode", "Gjennomført", "Resultat"]
TODAY = datetime.date(2026, 6, 1)
DAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in English, the source language."""
    with translation.override("en"):
        yield


def import_completions(rows, headers=HEADERS, user=None, filename="fullfort.csv", **options):
    data = csv_bytes(rows, headers=headers, encoding="utf-8")
    return apply_import(
        "completions", data, filename, user=user, options=Options(today=TODAY, **options)
    )


def problems_of(rows, headers=HEADERS, **options) -> list[tuple]:
    with pytest.raises(ImportProblems) as raised:
        import_completions(rows, headers=headers, **options)
    return [
        (problem.row, problem.column, problem.value, str(problem.message))
        for problem in raised.value.problems
    ]


def nothing_written():
    return not (
        Completion.objects.exists()
        or CompetenceRecord.objects.exists()
        or ImportBatch.objects.exists()
    )


# Import equivalence


def test_an_imported_completion_grants_what_attending_a_session_grants(
    municipality, catalog, courses
):
    m, cpr = municipality, courses.courses["cpr"]
    batch = import_completions([["hae000", "HLR-KURS", "02.03.2026", "Bestått"]])
    attended, _ = complete_course(
        Person.objects.get(employee_number="hae001"),
        cpr,
        completed_on=DAY,
        source=CompletionSource.SESSION,
        session=courses.sessions["cpr"],
    )
    imported = Completion.objects.get(person=m.people["ha1"])
    assert (imported.course, imported.completed_on) == (attended.course, attended.completed_on)
    assert (imported.source, imported.import_batch, imported.result) == (
        CompletionSource.IMPORT,
        batch,
        "Bestått",
    )

    def granted(completion):
        return list(
            completion.records.values_list(
                "competence__code",
                "level",
                "obtained_on",
                "expires_on",
                "credits",
                "source",
                "status",
                "evidence_reference",
                "superseded_by",
            )
        )

    assert granted(imported) == granted(attended)
    assert granted(imported)[0][:4] == ("HLR", None, DAY, datetime.date(2027, 3, 2))


def test_the_gap_engine_counts_imported_and_session_completions_alike(
    municipality, catalog, courses
):
    m, hlr = municipality, catalog.competences["HLR"]
    unit = m.units["HA1"]  # two people: hae000 and hae001
    Requirement.objects.create(competence=hlr, unit=unit)
    import_completions([["hae000", "HLR-KURS", "02.03.2026", ""]])
    after_import = coverage_for(unit, on=TODAY).tally(unit, hlr)
    assert (after_import[Status.MET], after_import.applicable) == (1, 2)
    complete_course(
        Person.objects.get(employee_number="hae001"),
        courses.courses["cpr"],
        completed_on=DAY,
        source=CompletionSource.SESSION,
    )
    after_session = coverage_for(unit, on=TODAY).tally(unit, hlr)
    assert (after_session[Status.MET], after_session.coverage) == (2, 1)


def test_an_imported_completion_renews_an_older_record(municipality, catalog, courses):
    eva = municipality.people["employee"]
    import_completions([["1002", "HLR-KURS", "02.03.2025", ""]])
    import_completions([["1002", "HLR-KURS", "02.03.2026", ""]])
    old, new = CompetenceRecord.objects.filter(person=eva).order_by("obtained_on")
    assert old.superseded_by == new
    assert new.superseded_by is None


# Formats and headers


@pytest.mark.parametrize(
    "headers",
    [
        ["Ansattnummer", "Kurs", "Fullført dato", "Karakter"],
        ["Employee number", "Course code", "Completion date", "Score"],
        ["ansattnr", "KURSKODE", "Gjennomfort", "resultat"],
        ["employee_number", "course", "completed_on", "result"],
    ],
)
def test_norwegian_and_english_headers_are_read(municipality, catalog, courses, headers):
    batch = import_completions([["1002", "HLR-KURS", "02.03.2026", "100 %"]], headers=headers)
    assert batch.counts == {"completions": {"create": 1, "update": 0}}
    assert Completion.objects.get().result == "100 %"


def test_courses_are_found_by_code_ignoring_case_or_by_their_exact_name(
    municipality, catalog, courses
):
    batch = import_completions(
        [
            ["1002", "hlr-kurs", "2026-03-02", ""],
            ["1001", "Data protection in the municipality", "2.3.2026", ""],
            ["ha000", "Personvern i kommunen", "02.03.2026 14:32", ""],
            ["ha001", "PERSONVERN", "2026-03-02T14:32:07Z", ""],
        ]
    )
    assert batch.counts == {"completions": {"create": 4, "update": 0}}
    assert set(Completion.objects.values_list("course__code", "completed_on")) == {
        ("HLR-KURS", DAY),
        ("PERSONVERN", DAY),
    }


def test_an_excel_workbook_with_date_cells_is_read(municipality, catalog, courses):
    table = Table("Fullført", HEADERS, [("1002", "HLR-KURS", DAY, "Bestått")])
    data = export_bytes([table], "xlsx")
    batch = apply_import("completions", data, "fullfort.xlsx", options=Options(today=TODAY))
    assert batch.counts["completions"]["create"] == 1
    assert Completion.objects.get().completed_on == DAY


def test_the_result_column_is_optional(municipality, catalog, courses):
    import_completions([["1002", "HLR-KURS", "02.03.2026"]], headers=HEADERS[:3])
    assert Completion.objects.get().result == ""


def test_a_column_named_otherwise_is_read_with_map(municipality, catalog, courses, tmp_path):
    path = tmp_path / "lms.csv"
    path.write_bytes(
        csv_bytes([["1002", "HLR-KURS", "02.03.2026"]], headers=["Lønnsnr", "Kurs-ID", "Dato"])
    )
    out = StringIO()
    call_command(
        "import",
        "completions",
        str(path),
        "--map",
        "Lønnsnr=employee_number",
        "--map",
        "Kurs-ID=Kurskode",
        stdout=out,
    )
    assert "completions: create 1, update 0" in out.getvalue()
    assert Completion.objects.get().source == CompletionSource.IMPORT


# Problems: all at once, nothing written


def test_every_problem_is_reported_with_row_and_column_and_nothing_is_written(
    municipality, catalog, courses
):
    found = problems_of(
        [
            ["1002", "HLR-KURS", "02.03.2026", ""],
            ["9999", "HLR-KURS", "02.03.2026", ""],
            ["1002", "FINNES-IKKE", "02.03.2026", ""],
            ["1002", "PERSONVERN", "31.02.2026", ""],
            ["1002", "PERSONVERN", "01.01.26", ""],
            ["1001", "HLR-KURS", "02.06.2026", ""],
            ["", "", "", "Bestått"],
            ["1002", "HLR-KURS", "2026-03-02", "x" * 101],
        ]
    )
    assert found == [
        (3, "Ansattnr", "9999", "No one in Evne has this employee number."),
        (
            4,
            "Kurskode",
            "FINNES-IKKE",
            "No course has this code or name. Use the course code from Evne.",
        ),
        (5, "Gjennomført", "31.02.2026", "This date does not exist."),
        (6, "Gjennomført", "01.01.26", "Write the year with four digits (dd.mm.yyyy)."),
        (7, "Gjennomført", "02.06.2026", "The completion date cannot be in the future."),
        (8, "Ansattnr", "", "The employee number is missing."),
        (8, "Kurskode", "", "The course is missing."),
        (8, "Gjennomført", "", "The completion date is missing."),
        (9, "Resultat", "x" * 101, "At most 100 characters."),
    ]
    assert nothing_written()


def test_the_same_completion_twice_in_the_file_is_a_problem(municipality, catalog, courses):
    found = problems_of(
        [["1002", "HLR-KURS", "02.03.2026", ""], ["1002", "hlr-kurs", "2026-03-02", "Bestått"]]
    )
    assert found == [
        (
            3,
            "Gjennomført",
            "2026-03-02",
            "This completion (employee, course and date) is also on row 2.",
        )
    ]
    assert nothing_written()


def test_a_name_several_courses_share_must_be_given_as_a_code(municipality, catalog, courses):
    Course.objects.create(code="HLR-2", name="HLR-kurs for helsepersonell", kind="classroom")
    found = problems_of([["1002", "HLR-kurs for helsepersonell", "02.03.2026", ""]])
    message = "Several courses are called this (HLR-2, HLR-KURS). Use the code."
    assert found == [(2, "Kurskode", "HLR-kurs for helsepersonell", message)]


def test_a_missing_column_stops_the_import_before_the_rows(municipality, catalog, courses):
    found = problems_of([["1002", "02.03.2026"]], headers=["Ansattnr", "Gjennomført"])
    assert len(found) == 1
    assert found[0][3].startswith("A column for 'course' is required. Accepted names: Kurskode")
    assert nothing_written()


def test_an_empty_file_is_refused(municipality, catalog, courses):
    with pytest.raises(ImportProblems) as header_only:
        import_completions([])
    assert "no rows" in header_only.value.format()
    with pytest.raises(ImportProblems):
        apply_import("completions", b"", "tom.csv", options=Options(today=TODAY))
    assert nothing_written()


def test_the_command_prints_every_problem_and_fails(municipality, catalog, courses, tmp_path):
    path = tmp_path / "feil.csv"
    path.write_bytes(csv_bytes([["9999", "HLR-KURS", "02.03.2026", ""]], headers=HEADERS))
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import", "completions", str(path), stderr=err, stdout=StringIO())
    assert "9999" in err.getvalue()
    assert nothing_written()


# Idempotence and the batch


def test_a_second_import_of_the_same_file_changes_nothing(municipality, catalog, courses):
    rows = [["1002", "HLR-KURS", "02.03.2026", "Bestått"], ["1001", "PERSONVERN", "02.03.2026", ""]]
    first = import_completions(rows)
    assert first.counts == {"completions": {"create": 2, "update": 0}}
    records = list(CompetenceRecord.objects.values_list("pk", "superseded_by"))
    second = import_completions(rows)
    assert second.counts == {"completions": {"create": 0, "update": 0}}
    assert not second.file
    assert not second.changes.exists()
    assert Completion.objects.count() == 2
    assert list(CompetenceRecord.objects.values_list("pk", "superseded_by")) == records


def test_a_changed_result_updates_an_imported_completion_only(municipality, catalog, courses):
    m = municipality
    import_completions([["1002", "HLR-KURS", "02.03.2026", "80"]])
    complete_course(
        m.people["leader"],
        courses.courses["cpr"],
        completed_on=DAY,
        source=CompletionSource.SESSION,
    )
    batch = import_completions(
        [["1002", "HLR-KURS", "02.03.2026", "95"], ["1001", "HLR-KURS", "02.03.2026", "95"]]
    )
    assert batch.counts == {"completions": {"create": 0, "update": 1}}
    assert dict(Completion.objects.values_list("person__employee_number", "result")) == {
        "1002": "95",
        "1001": "",
    }
    change = batch.changes.get()
    assert (change.action, change.row, change.changes) == ("update", 2, {"result": ["80", "95"]})


def test_the_batch_keeps_a_change_row_per_completion_without_names(municipality, catalog, courses):
    batch = import_completions(
        [["1002", "HLR-KURS", "02.03.2026", "Bestått"], ["1001", "PERSONVERN", "02.03.2026", ""]],
        user=municipality.users["hr"],
    )
    changes = list(batch.changes.order_by("row").values_list("object_repr", "action", "changes"))
    assert changes == [
        (
            "1002 HLR-KURS 02.03.2026",
            "create",
            {
                "course": "HLR-KURS",
                "completed_on": "2026-03-02",
                "result": "Bestått",
                "records": ["HLR"],
            },
        ),
        (
            "1001 PERSONVERN 02.03.2026",
            "create",
            {
                "course": "PERSONVERN",
                "completed_on": "2026-03-02",
                "result": "",
                "records": ["DIGITAL"],
            },
        ),
    ]
    assert ImportChange.objects.count() == 2
    completion = Completion.objects.get(person__employee_number="1002")
    assert completion.created_by == municipality.users["hr"]
    assert batch.file


def test_a_course_that_grants_nothing_is_imported_with_a_warning(municipality, catalog, courses):
    Course.objects.create(code="INTRO", name="Introduksjon for nyansatte", kind=CourseKind.WEBINAR)
    batch = import_completions(
        [["1002", "INTRO", "02.03.2026", ""], ["1001", "INTRO", "02.03.2026", ""]]
    )
    assert batch.counts["completions"]["create"] == 2
    assert len(batch.warnings) == 1
    assert batch.warnings[0].startswith("row 2, Kurskode 'INTRO': The course grants no")
    assert not CompetenceRecord.objects.exists()


# Scope, listing and export


def test_hr_imports_only_people_of_their_own_organisation(municipality, catalog, courses):
    allowed = visibility_for(municipality.users["hr"]).import_roots()
    found = problems_of(
        [
            ["1002", "HLR-KURS", "02.03.2026", ""],
            ["gx000", "HLR-KURS", "02.03.2026", ""],
            ["1003", "HLR-KURS", "02.03.2026", ""],  # left in 2021
        ],
        allowed_roots=allowed,
    )
    message = "This employee has no current position in the organisations you may import into."
    assert found == [(3, "Ansattnr", "gx000", message), (4, "Ansattnr", "1003", message)]
    assert nothing_written()
    batch = import_completions([["1002", "HLR-KURS", "02.03.2026", ""]], allowed_roots=allowed)
    assert list(batch.roots.values_list("code", flat=True)) == ["K"]


def test_the_upload_page_offers_completions(municipality, courses, client_for):
    page = client_for(municipality.users["hr"]).get("/imports/")
    assert page.status_code == 200
    assert 'value="completions"' in page.content.decode()


def test_export_then_import_changes_nothing(municipality, catalog, courses):
    m = municipality
    import_completions([["1002", "HLR-KURS", "02.03.2026", "Bestått"]])
    complete_course(
        m.people["gx"], courses.courses["cpr"], completed_on=DAY, source=CompletionSource.SESSION
    )
    importer = IMPORTERS["completions"]
    assert importer.export_headers() == HEADERS
    hr_rows = list(importer.export_rows(visibility_for(m.users["hr"])))
    assert hr_rows == [("1002", "HLR-KURS", DAY, "Bestått")]
    for file_format in ("csv", "xlsx"):
        data = export_bytes([importer.export_table(visibility_for(m.users["admin"]))], file_format)
        plan = plan_import(
            "completions", data, f"export.{file_format}", options=Options(today=TODAY)
        )
        assert (plan.problems, plan.counts) == ([], {"completions": {"create": 0, "update": 0}})
