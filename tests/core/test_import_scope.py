"""One installation may serve several municipalities: HR imports into, and sees the imports of,
their own organisation only."""

import pytest
from django.urls import reverse
from django.utils import translation

from evne.core.imports.pipeline import Options, apply_import
from evne.core.imports.problems import ImportProblems
from evne.core.visibility import visibility_for
from evne.organization.models import Person
from tests.organization.importing import csv_bytes

HEADERS = ["Ansattnr", "Fornavn", "Etternavn", "Enhetskode", "Enhet", "Overordnet enhet",
           "Stilling", "Stillingsprosent", "Startdato"]  # fmt: skip
NEW_WARD = [
    ["7001", "Ny", "Pleier", "HA2", "Avdeling Vest", "HA", "Sykepleier", "75", "01.01.2026"]
]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def import_as(user, rows):
    options = Options(allowed_roots=visibility_for(user).import_roots())
    return apply_import(
        "people", csv_bytes(rows, headers=HEADERS), "people.csv", user=user, options=options
    )


def test_hr_imports_into_their_own_organisation(municipality):
    batch = import_as(municipality.users["hr"], NEW_WARD)
    assert Person.objects.filter(employee_number="7001").exists()
    assert list(batch.roots.values_list("code", flat=True)) == ["K"]


def test_hr_of_another_municipality_cannot_import_into_this_one(municipality):
    with pytest.raises(ImportProblems) as raised:
        import_as(municipality.users["outsider"], NEW_WARD)
    with translation.override("en"):
        problems = [problem.format() for problem in raised.value.problems]
    assert problems == [
        "row 2, Enhetskode 'HA2': The unit belongs to the organisation K, which you may not "
        "import into.",
        "row 2, Overordnet enhet 'HA': The unit belongs to the organisation K, which you may not "
        "import into.",
    ]
    assert not Person.objects.filter(employee_number="7001").exists()


def test_hr_cannot_create_a_new_organisation_but_an_administrator_can(municipality):
    new_root = [["7002", "Ny", "Leder", "Z1", "Nyby", "", "Rådmann", "100", "01.01.2026"]]
    with pytest.raises(ImportProblems):
        import_as(municipality.users["hr"], new_root)
    import_as(municipality.users["admin"], new_root)
    assert Person.objects.filter(employee_number="7002").exists()


def test_import_pages_show_only_the_batches_of_ones_own_organisation(municipality, client_for):
    m = municipality
    batch = import_as(m.users["hr"], NEW_WARD)
    assert list(visibility_for(m.users["hr"]).import_batches()) == [batch]
    assert list(visibility_for(m.users["admin"]).import_batches()) == [batch]
    assert list(visibility_for(m.users["outsider"]).import_batches()) == []
    outsider = client_for(m.users["outsider"])
    assert outsider.get(reverse("import_batch", args=[batch.pk])).status_code == 404
    assert outsider.get(reverse("import_batch_file", args=[batch.pk])).status_code == 404
    assert "people.csv" not in outsider.get(reverse("imports")).content.decode()
