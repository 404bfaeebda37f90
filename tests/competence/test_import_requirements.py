"""`evne import requirements` and its export: rows to requirements, every problem at once, the
organisations a user may import into, and a round trip that changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from evne.competence.importers.requirements import FIELDS
from evne.competence.models import Requirement, RequirementKind
from evne.core.exports import export_bytes
from evne.core.imports.pipeline import IMPORTERS, Options, apply_import, plan_import
from evne.core.imports.problems import ImportProblems
from evne.core.models import ImportChange
from evne.core.visibility import ADMINISTRATOR, visibility_for
from evne.organization.models import JobRole
from tests.organization.importing import csv_bytes

HEADERS = [
    "Kompetansekode",
    "Stillingskode",
    "Enhetskode",
    "Krav",
    "Nivå",
    "Hjemmel",
    "Frist for nyansatte (dager)",
]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in English, the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def roles(municipality):
    """Job roles found by occupation code and by a STYRK-08 code two roles share."""
    return {
        "helsefag": JobRole.objects.create(
            name="Helsefagarbeider", styrk_code="5321", occupation_code="5321105"
        ),
        "assistent": JobRole.objects.create(name="Assistent", styrk_code="5321"),
    }


def data(rows, headers=HEADERS) -> bytes:
    return csv_bytes(rows, headers=headers, encoding="utf-8")


def import_rows(rows, headers=HEADERS, **options):
    return apply_import("requirements", data(rows, headers), "krav.csv", options=Options(**options))


def problems_of(rows, headers=HEADERS, **options):
    with pytest.raises(ImportProblems) as raised:
        import_rows(rows, headers, **options)
    return [(p.row, p.column, p.value, str(p.message)) for p in raised.value.problems]


def dump():
    return sorted(
        Requirement.objects.values_list(
            "competence__code",
            "job_role__name",
            "unit__code",
            "kind",
            "level",
            "legal_basis",
            "grace_days",
        ),
        key=str,
    )


ROWS = [
    ["HLR", "", "H", "", "", "", "30"],
    ["DEMENS", "", "HA", "ønsket", "3", "", ""],
    ["SYKEPLEIER", "2223", "HA", "obligatorisk", "", "Egen regel", ""],
    ["LEGEMIDDEL", "5321105", "", "Obligatorisk", "", "", "90"],
    ["DIGITAL", "assistent", "", "Ønsket", "Avansert", "", ""],
]


def test_a_requirements_file_sets_requirements_of_units_job_roles_and_job_roles_in_units(
    municipality, catalog, roles
):
    batch = import_rows(ROWS)
    assert batch.counts == {"requirements": {"create": 5, "update": 0}}
    assert dump() == sorted(
        [
            ("HLR", None, "H", "mandatory", None, "", 30),
            ("DEMENS", None, "HA", "desired", 3, "", None),
            ("SYKEPLEIER", "Sykepleier", "HA", "mandatory", None, "Egen regel", None),
            ("LEGEMIDDEL", "Helsefagarbeider", None, "mandatory", None, "", 90),
            ("DIGITAL", "Assistent", None, "desired", 3, "", None),
        ],
        key=str,
    )
    assert list(batch.roots.values_list("code", flat=True)) == ["K"]
    changes = ImportChange.objects.filter(batch=batch)
    assert changes.count() == 5
    created = changes.get(row=3)
    assert created.action == "create"
    assert created.changes == {"kind": "desired", "level": 3, "legal_basis": "", "grace_days": None}
    assert created.object_repr == "Dementia care (Solsiden sykehjem)"


def test_english_column_names_are_read_as_well(municipality, catalog, roles):
    headers = [
        "Competence code",
        "Job role",
        "Unit code",
        "Requirement",
        "Level",
        "Legal basis",
        "Grace period (days)",
    ]
    rows = [
        ["HLR", "", "H", "mandatory", "", "", "30"],
        ["DEMENS", "", "HA", "desired", "Advanced", "", ""],
    ]
    import_rows(rows, headers)
    assert dump() == [
        ("DEMENS", None, "HA", "desired", 3, "", None),
        ("HLR", None, "H", "mandatory", None, "", 30),
    ]


@pytest.mark.parametrize("field", FIELDS, ids=lambda field: field.name)
def test_every_documented_column_name_is_recognised(municipality, catalog, field):
    for alias in field.aliases:
        headers = [alias if name == field.aliases[0] else name for name in HEADERS]
        plan = plan_import("requirements", data([ROWS[0]], headers), "krav.csv")
        assert plan.ignored_columns == [], alias
        assert plan.problems == [], alias


def test_level_is_read_by_number_or_by_the_name_of_the_level(municipality, catalog):
    rows = [
        ["DEMENS", "", "HA", "", "2,0", "", ""],
        ["DEMENS", "", "HB", "", "ekspert", "", ""],
        ["DIGITAL", "", "HA", "", "Grunnleggende", "", ""],
    ]
    import_rows(rows)
    assert [(code, unit, level) for code, _r, unit, _k, level, _l, _g in dump()] == [
        ("DEMENS", "HA", 2),
        ("DEMENS", "HB", 4),
        ("DIGITAL", "HA", 1),
    ]


def test_every_problem_is_reported_at_once_and_nothing_is_written(municipality, catalog, roles):
    existing = Requirement.objects.create(
        competence=catalog.competences["HLR"], unit=municipality.units["HA"], grace_days=10
    )
    rows = [
        ["HLR", "", "HA", "", "", "", "20"],  # a valid update, not written either
        ["NOPE", "", "HA", "", "", "", ""],
        ["", "", "HA", "", "", "", ""],
        ["HLR", "Brannmann", "", "", "", "", ""],
        ["HLR", "5321", "", "", "", "", ""],
        ["HLR", "", "ZZZ", "", "", "", ""],
        ["HLR", "", "", "", "", "", ""],
        ["LEGEMIDDEL", "", "HA", "kanskje", "", "", ""],
        ["LEGEMIDDEL", "", "HB", "", "2", "", ""],
        ["DEMENS", "", "HA", "", "", "", ""],
        ["DEMENS", "", "HB", "", "7", "", ""],
        ["DIGITAL", "", "HA", "", "2", "", "to uker"],
        ["DIGITAL", "", "HB", "", "2", "x" * 301, "1,5"],
        ["HLR", "", "HA", "", "", "", "20"],
    ]
    problems = problems_of(rows)
    levels = "1 Grunnleggende, 2 Middels, 3 Avansert, 4 Ekspert"
    assert problems == [
        (3, "Kompetansekode", "NOPE", "No competence has this code."),
        (4, "Kompetansekode", "", "The competence code is missing."),
        (
            5,
            "Stillingskode",
            "Brannmann",
            "No job role has this occupation code, STYRK-08 code or name.",
        ),
        (
            6,
            "Stillingskode",
            "5321",
            "Several job roles have this code: Assistent, Helsefagarbeider. Write the 7-digit "
            "occupation code or the name of the job role.",
        ),
        (7, "Enhetskode", "ZZZ", "No unit has this code."),
        (8, None, None, "Give a Stillingskode, an Enhetskode or both."),
        (9, "Krav", "kanskje", "Write obligatorisk or ønsket (mandatory or desired)."),
        (10, "Nivå", "2", "This competence is had or not: leave the level empty."),
        (11, "Nivå", "", f"Give a level of the scale Proficiency 1–4: {levels}."),
        (
            12,
            "Nivå",
            "7",
            f"Not a level of the scale Proficiency 1–4. The levels are: {levels}.",
        ),
        (13, "Frist for nyansatte (dager)", "to uker", "Not a number: write it such as 30 or 7,5."),
        (14, "Hjemmel", "x" * 301, "At most 300 characters."),
        (14, "Frist for nyansatte (dager)", "1,5", "Write a whole number, such as 12."),
        (
            15,
            "Kompetansekode",
            "HLR",
            "The same requirement (competence and holder) is on row 2.",
        ),
    ]
    existing.refresh_from_db()
    assert existing.grace_days == 10
    assert Requirement.objects.count() == 1


def test_a_file_without_job_role_and_unit_columns_is_refused(municipality, catalog):
    headers = ["Kompetansekode", "Krav"]
    assert problems_of([["HLR", ""]], headers) == [
        (None, None, None, "The file needs a Stillingskode column, an Enhetskode column or both.")
    ]


def test_the_import_never_deletes_and_refuses_full_sync(municipality, catalog):
    Requirement.objects.create(competence=catalog.competences["HLR"], unit=municipality.units["HA"])
    problems = problems_of([["LEGEMIDDEL", "", "HA", "", "", "", ""]], full_sync=True)
    assert [message for *_where, message in problems] == [
        "Full sync is not available for requirements: the import never deletes requirements. "
        "Delete them on the unit's or the job role's page."
    ]
    import_rows([["LEGEMIDDEL", "", "HA", "", "", "", ""]])
    assert Requirement.objects.count() == 2


def test_an_update_changes_only_what_differs_and_a_second_import_changes_nothing(
    municipality, catalog, roles
):
    import_rows(ROWS)
    changed = [row.copy() for row in ROWS]
    changed[0][6] = "45"  # grace period
    changed[1][4] = "4"  # level
    batch = import_rows(changed)
    assert batch.counts == {"requirements": {"create": 0, "update": 2}}
    rows = {change.row: change.changes for change in ImportChange.objects.filter(batch=batch)}
    assert rows == {2: {"grace_days": [30, 45]}, 3: {"level": [3, 4]}}
    again = import_rows(changed)
    assert again.counts == {"requirements": {"create": 0, "update": 0}}
    assert not ImportChange.objects.filter(batch=again).exists()
    assert not again.file


def test_columns_the_file_lacks_are_left_as_they_are(municipality, catalog):
    Requirement.objects.create(
        competence=catalog.competences["HLR"],
        unit=municipality.units["HA"],
        legal_basis="Forskrift",
        grace_days=30,
        kind=RequirementKind.DESIRED,
    )
    batch = import_rows([["HLR", "HA"]], ["Kompetansekode", "Enhetskode"])
    assert batch.counts == {"requirements": {"create": 0, "update": 0}}
    assert dump() == [("HLR", None, "HA", "desired", None, "Forskrift", 30)]


def test_a_new_requirement_of_a_competence_no_longer_in_use_is_a_warning(municipality, catalog):
    old = catalog.competences["LEGEMIDDEL"]
    old.is_active = False
    old.save()
    batch = import_rows([["LEGEMIDDEL", "", "HA", "", "", "", ""]])
    assert batch.warnings == [
        "row 2, Kompetansekode 'LEGEMIDDEL': The competence is no longer in use; the "
        "requirement is added all the same."
    ]


# The organisations a user may import into


def import_as(user, rows):
    options = Options(allowed_roots=visibility_for(user).import_roots())
    return apply_import("requirements", data(rows), "krav.csv", user=user, options=options)


def test_hr_imports_requirements_of_their_own_municipality_and_of_job_roles(municipality, catalog):
    rows = [["HLR", "", "OC", "", "", "", ""], ["HLR", "Sykepleier", "", "", "", "", ""]]
    batch = import_as(municipality.users["hr"], rows)
    assert batch.counts == {"requirements": {"create": 2, "update": 0}}


def test_hr_cannot_import_requirements_into_another_municipality(municipality, catalog):
    rows = [["HLR", "", "GX", "", "", "", ""], ["HLR", "", "HA", "", "", "", ""]]
    with pytest.raises(ImportProblems) as raised:
        import_as(municipality.users["hr"], rows)
    assert [problem.format() for problem in raised.value.problems] == [
        "row 2, Enhetskode 'GX': The unit belongs to the organisation G, which you may not "
        "import into."
    ]
    assert not Requirement.objects.exists()


# Export and round trip


def varied_requirements(municipality, catalog, roles):
    m, c = municipality, catalog.competences
    Requirement.objects.create(competence=c["HLR"], unit=m.units["K"], grace_days=30)
    Requirement.objects.create(
        competence=c["DEMENS"], unit=m.units["HA"], level=2, kind=RequirementKind.DESIRED
    )
    Requirement.objects.create(
        competence=c["SYKEPLEIER"], unit=m.units["HA"], job_role=m.roles["nurse"]
    )
    Requirement.objects.create(
        competence=c["LEGEMIDDEL"], job_role=roles["helsefag"], legal_basis="Forskrift; § 4"
    )
    Requirement.objects.create(competence=c["LEGEMIDDEL"], job_role=roles["assistent"])
    Requirement.objects.create(competence=c["DIGITAL"], unit=m.units["GX"], level=4)
    c["HLR"].is_active = False
    c["HLR"].save()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_imported_again_changes_nothing(municipality, catalog, roles, file_format):
    varied_requirements(municipality, catalog, roles)
    before = dump()
    table = IMPORTERS["requirements"].export_table(ADMINISTRATOR)
    exported = export_bytes([table], file_format)
    batch = apply_import("requirements", exported, f"krav.{file_format}")
    assert batch.counts == {"requirements": {"create": 0, "update": 0}}
    assert batch.warnings == []
    assert dump() == before


def test_an_export_into_an_empty_installation_recreates_the_requirements(
    municipality, catalog, roles
):
    varied_requirements(municipality, catalog, roles)
    before = dump()
    exported = export_bytes([IMPORTERS["requirements"].export_table(ADMINISTRATOR)], "csv")
    Requirement.objects.all().delete()
    batch = apply_import("requirements", exported, "krav.csv")
    assert batch.counts == {"requirements": {"create": 6, "update": 0}}
    assert dump() == before


def test_the_export_writes_the_documented_columns_and_the_job_roles_by_name(
    municipality, catalog, roles
):
    varied_requirements(municipality, catalog, roles)
    table = IMPORTERS["requirements"].export_table(ADMINISTRATOR)
    assert table.headers == HEADERS
    rows = sorted(tuple(row) for row in table.rows)
    assert ("LEGEMIDDEL", "Assistent", "", "obligatorisk", None, "", None) in rows
    assert ("DEMENS", "", "HA", "ønsket", 2, "", None) in rows


def test_the_export_names_a_job_role_by_a_code_when_its_name_finds_another(municipality, catalog):
    # Names are compared ignoring case, so "lektor" finds both of these.
    upper = JobRole.objects.create(name="Lektor", styrk_code="2330")
    lower = JobRole.objects.create(name="lektor", occupation_code="2330101")
    for role in (upper, lower):
        Requirement.objects.create(competence=catalog.competences["HLR"], job_role=role)
    table = IMPORTERS["requirements"].export_table(ADMINISTRATOR)
    assert sorted(row[1] for row in table.rows) == ["2330", "2330101"]
    exported = export_bytes([IMPORTERS["requirements"].export_table(ADMINISTRATOR)], "csv")
    batch = apply_import("requirements", exported, "krav.csv")
    assert batch.counts == {"requirements": {"create": 0, "update": 0}}


def exported_units(user):
    rows = IMPORTERS["requirements"].export_rows(visibility_for(user))
    return sorted(row[2] or row[1] for row in rows)


def test_the_export_holds_the_requirements_the_user_may_see(municipality, catalog, roles):
    varied_requirements(municipality, catalog, roles)
    users = municipality.users
    assert exported_units(users["admin"]) == [
        "Assistent",
        "GX",
        "HA",
        "HA",
        "Helsefagarbeider",
        "K",
    ]
    assert exported_units(users["hr"]) == ["Assistent", "HA", "HA", "Helsefagarbeider", "K"]
    assert exported_units(users["leader"]) == ["Assistent", "HA", "HA", "Helsefagarbeider"]
    assert exported_units(users["outsider"]) == ["Assistent", "GX", "Helsefagarbeider"]


@pytest.mark.parametrize("persona", ["employee", "leader", "hr", "analyst"])
def test_anyone_signed_in_may_download_the_requirements(municipality, catalog, client_for, persona):
    Requirement.objects.create(
        competence=catalog.competences["HLR"], job_role=municipality.roles["nurse"]
    )
    client = client_for(municipality.users[persona])
    response = client.get(reverse("export", args=["requirements", "csv"]))
    assert response.status_code == 200
    assert "Kompetansekode;Stillingskode;Enhetskode" in response.content.decode("utf-8-sig")
    assert client.get(reverse("export", args=["requirements", "xlsx"])).status_code == 200


# The commands


def test_the_import_and_export_commands_read_and_write_the_same_file(
    municipality, catalog, roles, tmp_path
):
    source = tmp_path / "krav.csv"
    source.write_bytes(data(ROWS))
    out = io.StringIO()
    call_command("import", "requirements", str(source), stdout=out)
    assert "requirements: create 5, update 0" in out.getvalue()
    exported = tmp_path / "eksport.xlsx"
    call_command("export", "requirements", str(exported), stdout=io.StringIO())
    again = io.StringIO()
    call_command("import", "requirements", str(exported), "--dry-run", stdout=again)
    assert "requirements: create 0, update 0" in again.getvalue()
