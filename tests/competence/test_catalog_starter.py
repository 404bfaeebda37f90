"""The starter catalog: loaded by `load_starter()` and `evne catalog load-starter`."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from evne.competence.models import Competence, CompetenceKind, ProficiencyScale
from evne.competence.starter import load_starter
from evne.core.models import ImportBatch

# The codes other parts of Evne (the demo data) rely on.
PROMISED_CODES = [
    "HLR",
    "LEGEMIDDEL",
    "SMITTEVERN",
    "FORFLYTNING",
    "DEMENS",
    "TVANG-MAKT",
    "SYKEPLEIER",
    "VERNEPLEIER",
    "HELSEFAGARBEIDER",
    "PERSONVERN",
    "BRANNVERN",
    "LAERER",
    "BARNEHAGELAERER",
    "FORSTEHJELP-BARN",
    "VARME-ARBEIDER",
    "ARBEIDSVARSLING",
    "HMS-40",
    "HMS-LEDER",
    "LEDERUTDANNING",
    *[f"DIG-{number:02d}" for number in range(1, 11)],
    "GF-LESE",
    "GF-SKRIVE",
    "GF-REGNE",
    "GF-MUNTLIG",
    "GF-DIGITALE",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def changes(batch: ImportBatch) -> int:
    return sum(number for actions in batch.counts.values() for number in actions.values())


@pytest.mark.django_db
def test_the_starter_catalog_loads_at_least_eighty_competences():
    batch = load_starter()

    assert Competence.objects.count() >= 80
    assert batch.counts["competences"]["create"] == Competence.objects.count()
    assert batch.changes.count() > 80


@pytest.mark.django_db
def test_loading_the_starter_catalog_again_changes_nothing():
    load_starter()
    before = list(Competence.objects.values().order_by("pk"))

    batch = load_starter()

    assert changes(batch) == 0
    assert not batch.changes.exists()
    assert list(Competence.objects.values().order_by("pk")) == before
    assert ProficiencyScale.objects.count() == 1


@pytest.mark.django_db
def test_the_starter_catalog_has_every_kind_of_competence():
    load_starter()

    kinds = set(Competence.objects.values_list("kind", flat=True))

    assert kinds == set(CompetenceKind.values)


@pytest.mark.django_db
def test_the_starter_catalog_has_the_codes_the_demo_relies_on():
    load_starter()
    competences = Competence.objects.in_bulk(PROMISED_CODES, field_name="code")

    assert sorted(competences) == sorted(PROMISED_CODES)
    assert competences["HLR"].validity_months == 12
    assert competences["TVANG-MAKT"].required_by_law
    assert "kap. 9" in competences["TVANG-MAKT"].legal_reference
    assert competences["HMS-40"].required_by_law
    assert competences["SYKEPLEIER"].kind == CompetenceKind.FORMAL_EDUCATION
    assert competences["HELSEFAGARBEIDER"].kind == CompetenceKind.TRADE_CERTIFICATE
    assert competences["LEDERUTDANNING"].kind == CompetenceKind.FURTHER_EDUCATION
    assert [c.code for c in competences["SYKEPLEIER"].implies.all()] == ["LEGEMIDDEL"]
    assert [c.code for c in competences["VERNEPLEIER"].implies.all()] == ["LEGEMIDDEL"]


@pytest.mark.django_db
def test_the_digital_framework_and_basic_skills_use_the_standard_scale():
    load_starter()
    scale = ProficiencyScale.objects.get(name="Ferdighetsnivå 1–4")
    levels = list(scale.levels.values_list("value", "name", "name_en"))
    digital = Competence.objects.filter(code__startswith="DIG-")
    basic = Competence.objects.filter(kind=CompetenceKind.BASIC_SKILL)

    assert scale.name_en == "Proficiency 1–4"
    assert levels == [
        (1, "Grunnleggende", "Basic"),
        (2, "Selvstendig", "Independent"),
        (3, "Avansert", "Advanced"),
        (4, "Ekspert", "Expert"),
    ]
    assert digital.count() == 10
    assert set(digital.values_list("kind", flat=True)) == {CompetenceKind.DIGITAL}
    assert basic.count() == 5
    assert {c.scale_id for c in [*digital, *basic]} == {scale.pk}
    assert Competence.objects.get(code="DEMENS").scale == scale


@pytest.mark.django_db
def test_every_competence_required_by_law_names_its_legal_reference():
    load_starter()

    assert not Competence.objects.filter(required_by_law=True, legal_reference="").exists()
    assert not Competence.objects.filter(name_en="").exists()
    assert not Competence.objects.filter(area=None).exists()


@pytest.mark.django_db
def test_the_command_loads_the_starter_and_says_when_there_is_nothing_to_do():
    first, second = StringIO(), StringIO()

    with translation.override("en"):
        call_command("catalog", "load-starter", stdout=first)
        call_command("catalog", "load-starter", stdout=second)

    assert "competences: create" in first.getvalue()
    assert "nothing was changed" in second.getvalue()
    assert Competence.objects.count() >= 80


@pytest.mark.django_db
def test_loading_again_keeps_the_municipalitys_edits_and_adds_what_is_missing():
    load_starter()
    Competence.objects.filter(code="HLR").update(name="HLR for voksne", is_active=False)
    Competence.objects.filter(code="KOLS").delete()

    batch = load_starter()

    hlr = Competence.objects.get(code="HLR")
    assert (hlr.name, hlr.is_active) == ("HLR for voksne", False)
    assert Competence.objects.filter(code="KOLS").exists()
    assert batch.counts["competences"] == {"create": 1, "update": 0}
