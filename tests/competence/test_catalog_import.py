"""`evne import catalog`: the catalog file, its checks, and its export read back."""

import csv
import io
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from evne.competence.importers.catalog import FIELDS, KIND_NAMES
from evne.competence.models import (
    Competence,
    CompetenceArea,
    CompetenceKind,
    ProficiencyScale,
)
from evne.competence.starter import load_starter
from evne.core.exports import export_bytes
from evne.core.imports.pipeline import IMPORTERS, apply_import, plan_import
from evne.core.imports.problems import ImportProblems
from evne.core.models import ImportChange

pytestmark = pytest.mark.django_db

HEADERS = [field.aliases[0] for field in FIELDS]
# Kode, Navn, Navn (engelsk), Område, Område (engelsk), Type, Skala, Gyldighet (måneder),
# Lovpålagt, Hjemmel, NUS, ESCO, Impliserer, Beskrivelse, I bruk
ROW = [
    "BRANN",
    "Brannvern",
    "Fire safety",
    "HMS > Brann",
    "HSE > Fire",
    "kurs",
    "",
    "12",
    "ja",
    "Forskrift om brannforebygging",
    "",
    "",
    "",
    "Årlig øvelse",
    "ja",
]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in English, the source language."""
    with translation.override("en"):
        yield


def csv_bytes(rows, headers=HEADERS) -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerows([headers, *rows])
    return text.getvalue().encode("utf-8")


def row(**values) -> list[str]:
    """ROW with some cells replaced, named by field (code="X", validity_months="")."""
    cells = list(ROW)
    names = [field.name for field in FIELDS]
    for name, value in values.items():
        cells[names.index(name)] = value
    return cells


def import_catalog(rows, headers=HEADERS):
    return apply_import("catalog", csv_bytes(rows, headers), "catalog.csv")


def problems_of(rows, headers=HEADERS):
    with pytest.raises(ImportProblems) as raised:
        import_catalog(rows, headers)
    return [(p.row, p.column, p.value, str(p.message)) for p in raised.value.problems]


def test_a_row_creates_a_competence_with_its_area_path_and_every_field():
    batch = import_catalog([row(nus_code="123456", esco_uri="http://data.europa.eu/esco/x")])
    competence = Competence.objects.get(code="BRANN")
    assert batch.counts == {
        "competences": {"create": 1, "update": 0},
        "areas": {"create": 2, "update": 0},
        "scales": {"create": 0},
    }
    assert (competence.name, competence.name_en, competence.kind) == (
        "Brannvern",
        "Fire safety",
        CompetenceKind.COURSE,
    )
    assert competence.validity_months == 12
    assert competence.required_by_law
    assert competence.legal_reference == "Forskrift om brannforebygging"
    assert (competence.nus_code, competence.esco_uri) == ("123456", "http://data.europa.eu/esco/x")
    assert competence.description == "Årlig øvelse"
    assert competence.is_active
    assert competence.scale is None
    assert (competence.area.name, competence.area.name_en) == ("Brann", "Fire")
    assert (competence.area.parent.name, competence.area.parent.name_en) == ("HMS", "HSE")
    assert batch.changes.count() == 3


@pytest.mark.parametrize(
    ("name", "alias"),
    [(field.name, alias) for field in FIELDS for alias in (*field.aliases[1:], field.name)],
)
def test_every_documented_column_name_is_recognised(name, alias):
    headers = [alias if field.name == name else field.aliases[0] for field in FIELDS]
    plan = plan_import("catalog", csv_bytes([ROW], headers), "catalog.csv")
    assert plan.problems == []
    assert plan.ignored_columns == []
    assert plan.counts["competences"]["create"] == 1


@pytest.mark.parametrize(
    ("text", "kind"),
    [(name, kind) for kind, names in KIND_NAMES.items() for name in names]
    + [(kind.label, kind) for kind in CompetenceKind]
    + [("FORMELL UTDANNING", CompetenceKind.FORMAL_EDUCATION), ("Språk", CompetenceKind.LANGUAGE)],
)
def test_every_type_name_in_norwegian_and_english_is_read_in_any_case(text, kind):
    import_catalog([row(kind=str(text).upper())])
    assert Competence.objects.get().kind == kind


def test_the_columns_beyond_code_name_and_type_may_be_left_out():
    import_catalog([["X1", "Noe", "kurs"]], headers=["Kode", "Navn", "Type"])
    competence = Competence.objects.get()
    assert (competence.area, competence.scale, competence.validity_months) == (None, None, None)
    assert competence.is_active and not competence.required_by_law


def test_a_second_import_of_the_same_file_changes_nothing():
    rows = [row(), row(code="HLR", name="HLR", implies="BRANN", scale="1-4")]
    import_catalog(rows)
    batch = import_catalog(rows)
    assert batch.counts == {
        "competences": {"create": 0, "update": 0},
        "areas": {"create": 0, "update": 0},
        "scales": {"create": 0},
    }
    assert not batch.changes.exists()
    assert not batch.file


def test_an_update_changes_and_logs_only_the_fields_that_differ():
    import_catalog([row()])
    before = Competence.objects.get()
    batch = import_catalog([row(name="Brannvern og øvelse", validity_months="24")])
    after = Competence.objects.get()
    assert batch.counts["competences"] == {"create": 0, "update": 1}
    change = batch.changes.get()
    assert change.action == ImportChange.Action.UPDATE
    assert change.changes == {
        "name": ["Brannvern", "Brannvern og øvelse"],
        "validity_months": [12, 24],
    }
    assert change.row == 2
    assert (after.pk, after.name, after.validity_months) == (before.pk, "Brannvern og øvelse", 24)
    assert after.area == before.area


def test_a_column_left_out_leaves_its_field_as_it_is():
    import_catalog([row()])
    import_catalog([["BRANN", "Brannvern", "kurs"]], headers=["Kode", "Navn", "Type"])
    competence = Competence.objects.get()
    assert competence.validity_months == 12
    assert competence.area.name == "Brann"
    assert competence.description == "Årlig øvelse"


def test_codes_match_whatever_their_case(catalog):
    batch = import_catalog([row(code="hlr", name="HLR")])
    assert batch.counts["competences"] == {"create": 0, "update": 1}
    assert Competence.objects.filter(code__iexact="hlr").count() == 1


def test_not_in_use_is_read_and_an_empty_cell_keeps_it_as_it_is():
    import_catalog([row(is_active="nei")])
    assert not Competence.objects.get().is_active
    import_catalog([row(is_active="")])
    assert not Competence.objects.get().is_active
    import_catalog([row(is_active="ja")])
    assert Competence.objects.get().is_active


def test_a_competence_may_imply_one_further_down_the_file():
    import_catalog([row(code="A", implies="B, C"), row(code="B"), row(code="C", implies="B")])
    a = Competence.objects.get(code="A")
    assert sorted(a.implies.values_list("code", flat=True)) == ["B", "C"]
    assert list(Competence.objects.get(code="C").implies.values_list("code", flat=True)) == ["B"]


def test_a_competence_may_imply_one_already_in_evne(catalog):
    batch = import_catalog([row(code="SPES", implies="sykepleier; LEGEMIDDEL")])
    spes = Competence.objects.get(code="SPES")
    assert sorted(spes.implies.values_list("code", flat=True)) == ["LEGEMIDDEL", "SYKEPLEIER"]
    change = batch.changes.get(object_pk=str(spes.pk), content_type__model="competence")
    assert change.changes["implies"] == ["SYKEPLEIER", "LEGEMIDDEL"]


def test_an_emptied_implies_cell_removes_the_links(catalog):
    batch = import_catalog(
        [["SYKEPLEIER", "Bachelor i sykepleie", "formell utdanning", ""]],
        headers=["Kode", "Navn", "Type", "Impliserer"],
    )
    assert not catalog.competences["SYKEPLEIER"].implies.exists()
    assert batch.changes.get().changes == {"implies": [["LEGEMIDDEL"], []]}


def test_a_scale_is_found_by_its_name_in_either_language(catalog):
    import_catalog(
        [row(code="A", scale="Ferdighetsnivå 1–4"), row(code="B", scale="proficiency 1–4")]
    )
    assert set(Competence.objects.filter(code__in=["A", "B"]).values_list("scale", flat=True)) == {
        catalog.scale.pk
    }
    assert ProficiencyScale.objects.count() == 1


def test_a_range_finds_the_scale_with_exactly_those_levels(catalog):
    import_catalog([row(code="A", scale="1-4"), row(code="B", scale="1 – 4")])
    assert set(Competence.objects.filter(code__in=["A", "B"]).values_list("scale", flat=True)) == {
        catalog.scale.pk
    }


def test_a_new_range_creates_a_scale_named_by_it_once():
    batch = import_catalog([row(code="A", scale="0-5"), row(code="B", scale="0–5")])
    scale = ProficiencyScale.objects.get()
    assert scale.name == "0–5"
    assert list(scale.levels.values_list("value", flat=True)) == [0, 1, 2, 3, 4, 5]
    assert batch.counts["scales"] == {"create": 1}
    assert {c.scale for c in Competence.objects.all()} == {scale}
    assert import_catalog([row(code="A", scale="0–5")]).counts["scales"] == {"create": 0}


def test_areas_are_matched_by_name_and_moved_by_a_longer_path():
    import_catalog([row(code="A", area="Brann", area_en="")])
    fire = CompetenceArea.objects.get()
    batch = import_catalog([row(code="A", area="HMS > brann", area_en="HSE > Fire")])
    fire.refresh_from_db()
    assert fire.parent.name == "HMS"
    assert fire.name_en == "Fire"
    assert batch.counts["areas"] == {"create": 1, "update": 1}
    assert CompetenceArea.objects.count() == 2
    # A single name leaves the area where it is.
    import_catalog([row(code="A", area="Brann", area_en="")])
    fire.refresh_from_db()
    assert fire.parent.name == "HMS"


def nothing_written(catalog=None):
    assert Competence.objects.count() == (len(catalog.competences) if catalog else 0)
    assert CompetenceArea.objects.count() == (len(catalog.areas) if catalog else 0)
    assert ProficiencyScale.objects.count() == (1 if catalog else 0)


@pytest.mark.parametrize(
    ("cells", "column", "value", "message"),
    [
        ({"code": ""}, "Kode", "", "The code is missing."),
        ({"name": ""}, "Navn", "", "The name is missing."),
        ({"kind": "kursus"}, "Type", "kursus", "Unknown type. Accepted: formell utdanning,"),
        ({"validity_months": "tolv"}, "Gyldighet (måneder)", "tolv", "Not a number"),
        ({"validity_months": "0"}, "Gyldighet (måneder)", "0", "Write the number of months"),
        ({"validity_months": "1,5"}, "Gyldighet (måneder)", "1,5", "Write a whole number"),
        ({"required_by_law": "kanskje"}, "Lovpålagt", "kanskje", "Write ja or nei"),
        ({"is_active": "kanskje"}, "I bruk", "kanskje", "Write ja or nei"),
        ({"nus_code": "66510A"}, "NUS", "66510A", "A NUS code has digits only"),
        ({"esco_uri": "esco skill 12"}, "ESCO", "esco skill 12", "Not a web address"),
        ({"scale": "Ukjent skala"}, "Skala", "Ukjent skala", "No scale has this name."),
        ({"scale": "4-1"}, "Skala", "4-1", "A range goes from low to high"),
        ({"scale": "1-20"}, "Skala", "1-20", "A range goes from low to high"),
        ({"implies": "BRANN"}, "Impliserer", "BRANN", "A competence cannot imply itself."),
        ({"area": "HMS >  > Brann"}, "Område", "HMS >  > Brann", "An area name in the path is"),
        ({"area_en": "Fire"}, "Område (engelsk)", "Fire", "Give as many English area names"),
        ({"area": "", "area_en": "Fire"}, "Område (engelsk)", "Fire", "An English area name"),
        ({"name": "x" * 201}, "Navn", "x" * 201, "At most 200 characters."),
        ({"area": "HMS > " + "y" * 201, "area_en": ""}, "Område", None, "at most 200"),
    ],
)
def test_a_bad_value_is_reported_with_row_column_and_value_and_nothing_is_written(
    cells, column, value, message
):
    problems = problems_of([row(code="OK"), row(**cells)])
    assert len(problems) == 1
    row_number, problem_column, problem_value, problem_message = problems[0]
    assert (row_number, problem_column) == (3, column)
    if value is not None:
        assert problem_value == value
    assert problem_message.startswith(message) or message in problem_message
    nothing_written()


def test_an_unknown_implied_code_is_reported_and_nothing_is_written(catalog):
    problems = problems_of([row(implies="HLR, NOPE")])
    assert problems == [
        (2, "Impliserer", "NOPE", "No competence has this code, in the file or in Evne.")
    ]
    nothing_written(catalog)


def test_a_code_twice_in_the_file_is_reported():
    problems = problems_of([row(), row(code="brann")])
    assert problems == [(3, "Kode", "brann", "This competence is in the file twice.")]
    nothing_written()


def test_an_area_under_two_parents_in_the_file_is_reported():
    problems = problems_of(
        [
            row(code="A", area="HMS > Brann", area_en=""),
            row(code="B", area="Drift > Brann", area_en=""),
        ]
    )
    assert problems == [
        (3, "Område", "Drift > Brann", "The area 'Brann' is placed under two different areas in "
         "the file.")
    ]  # fmt: skip
    nothing_written()


def test_an_area_with_two_english_names_in_the_file_is_reported():
    problems = problems_of(
        [row(code="A", area="HMS", area_en="HSE"), row(code="B", area="HMS", area_en="Safety")]
    )
    assert problems == [
        (3, "Område (engelsk)", "Safety", "The area 'HMS' is given two English names in the file.")
    ]
    nothing_written()


def test_areas_that_would_form_a_cycle_are_reported(catalog):
    problems = problems_of(
        [
            row(code="A", area="Helse og omsorg > Digital", area_en=""),
            row(code="B", area="Digital > Helse og omsorg", area_en=""),
        ]
    )
    messages = [message for _row, _column, _value, message in problems]
    assert "The areas would form a cycle: Digital > Helse og omsorg > Digital." in messages
    nothing_written(catalog)


def test_every_problem_of_the_file_is_reported_at_once():
    problems = problems_of(
        [row(code="A", kind="?"), row(code="B", validity_months="x"), row(code="C", scale="?")]
    )
    assert [(number, column) for number, column, _value, _message in problems] == [
        (2, "Type"),
        (3, "Gyldighet (måneder)"),
        (4, "Skala"),
    ]


def test_required_by_law_without_a_legal_reference_is_a_warning():
    plan = plan_import("catalog", csv_bytes([row(legal_reference="")]), "catalog.csv")
    assert plan.problems == []
    assert [str(warning.message) for warning in plan.warnings] == [
        "Required by law, but no legal reference (hjemmel) is given."
    ]


def export(file_format: str) -> bytes:
    return export_bytes([IMPORTERS["catalog"].export_table(None)], file_format)


def test_the_export_has_the_documented_columns_and_values(catalog):
    text = export("csv").decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == ";".join(HEADERS)
    assert (
        "SYKEPLEIER;Bachelor i sykepleie;Nursing degree;Helse og omsorg;Health;"
        "formell utdanning;;;nei;;;;LEGEMIDDEL;;ja" in lines
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_imported_again_changes_nothing(file_format, catalog):
    load_starter()
    # An area without an English name under one with it, a competence not in use.
    area = CompetenceArea.objects.create(name="Uten engelsk", parent=catalog.areas["health"])
    Competence.objects.filter(code="DIGITAL").update(area=area, is_active=False, nus_code="12")
    data = export(file_format)
    batch = apply_import("catalog", data, f"catalog.{file_format}")
    assert batch.counts == {
        "competences": {"create": 0, "update": 0},
        "areas": {"create": 0, "update": 0},
        "scales": {"create": 0},
    }


def test_the_export_round_trips_into_an_empty_installation(catalog):
    data = export("xlsx")
    snapshot = sorted(
        Competence.objects.values_list(
            "code", "name", "name_en", "kind", "area__name", "scale__name", "validity_months"
        )
    )
    implies = sorted(
        Competence.implies.through.objects.values_list(
            "from_competence__code", "to_competence__code"
        )
    )
    Competence.objects.all().delete()
    CompetenceArea.objects.all().delete()
    apply_import("catalog", data, "catalog.xlsx")
    assert (
        sorted(
            Competence.objects.values_list(
                "code", "name", "name_en", "kind", "area__name", "scale__name", "validity_months"
            )
        )
        == snapshot
    )
    assert (
        sorted(
            Competence.implies.through.objects.values_list(
                "from_competence__code", "to_competence__code"
            )
        )
        == implies
    )


def test_everyone_signed_in_may_download_the_catalog(municipality, catalog, client_for):
    for name in ["employee", "union_rep", "hr"]:
        response = client_for(municipality.users[name]).get(
            reverse("export", args=["catalog", "csv"])
        )
        assert response.status_code == 200
        assert b"SYKEPLEIER" in response.content


def test_the_import_command_reads_a_catalog_file(tmp_path):
    path = tmp_path / "katalog.csv"
    path.write_bytes(csv_bytes([row()]))
    output = StringIO()
    call_command("import", "catalog", str(path), stdout=output)
    assert "competences: create 1" in output.getvalue()
    assert Competence.objects.get().code == "BRANN"


def test_the_example_of_the_documentation_imports(settings):
    guide = (settings.BASE_DIR / "docs" / "import.md").read_text("utf-8")
    section = guide.split("### Catalog file", 1)[1].split("### Requirements file", 1)[0]
    example = section.split("```\n", 1)[1].split("```", 1)[0]
    batch = apply_import("catalog", example.encode("utf-8"), "example.csv")
    assert batch.counts["competences"] == {"create": 5, "update": 0}
    assert list(
        Competence.objects.get(code="SYKEPLEIER").implies.values_list("code", flat=True)
    ) == ["LEGEMIDDEL"]
    assert Competence.objects.get(code="DEMENS").scale.name == "1–4"


def test_hr_uploads_a_catalog_file_sees_the_preview_and_confirms(municipality, client_for):
    client = client_for(municipality.users["hr"])
    client.cookies["django_language"] = "en"
    preview = client.post(
        reverse("import_upload"),
        {"kind": "catalog", "file": ContentFile(csv_bytes([row()]), name="katalog.csv")},
    )
    assert preview.status_code == 200
    assert preview.context["plan"].counts["competences"] == {"create": 1, "update": 0}
    assert "Competence areas" in preview.content.decode()
    assert not Competence.objects.exists()
    confirmed = client.post(reverse("import_confirm"), {"token": preview.context["token"]})
    assert confirmed.status_code == 302
    batch = client.get(confirmed.url)
    assert batch.status_code == 200
    assert Competence.objects.get().code == "BRANN"


def test_a_leader_may_not_upload_a_catalog_file(municipality, client_for):
    client = client_for(municipality.users["leader"])
    response = client.post(
        reverse("import_upload"),
        {"kind": "catalog", "file": ContentFile(csv_bytes([row()]), name="katalog.csv")},
    )
    assert response.status_code in (403, 404)
    assert not Competence.objects.exists()
