import pytest
from django.utils import translation

from evne.core.imports.pipeline import Options, apply_import
from evne.core.imports.problems import ImportProblems
from evne.organization.models import OrgLevel, OrgUnit
from tests.organization.importing import ROWS, csv_bytes, import_people

pytestmark = pytest.mark.django_db

UNIT_HEADERS = ["Enhetskode", "Enhetsnavn", "Overordnet enhet", "Nivå", "Leder"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in English, the source language; nb is tested elsewhere."""
    with translation.override("en"):
        yield


def import_units(rows):
    return apply_import(
        "units", csv_bytes(rows, headers=UNIT_HEADERS), "units.csv", options=Options()
    )


def test_a_units_file_names_units_known_only_as_parents_and_sets_levels():
    import_people(csv_bytes(ROWS))
    batch = import_units(
        [
            ["300", "Oppvekst", "", "Område", ""],
            ["310", "Lia skole", "300", "Enhet", "1005"],
        ]
    )
    assert batch.counts == {"units": {"create": 0, "update": 2}}
    oppvekst = OrgUnit.objects.get(code="300")
    assert oppvekst.name == "Oppvekst"
    assert oppvekst.level.name == "Område"
    school = OrgUnit.objects.get(code="310")
    assert list(school.leaders.values_list("employee_number", flat=True)) == ["1005"]
    assert set(OrgLevel.objects.values_list("name", flat=True)) == {"Område", "Enhet"}


def test_a_units_file_builds_a_tree_from_scratch_in_any_row_order():
    import_units(
        [
            ["12", "Avdeling", "1", "", ""],
            ["1", "Kommunen", "", "", ""],
            ["123", "Seksjon", "12", "", ""],
        ]
    )
    section = OrgUnit.objects.get(code="123")
    assert [OrgUnit.objects.get(pk=pk).code for pk in section.ancestor_ids] == ["1", "12"]


def test_moving_a_unit_moves_its_subtree():
    import_people(csv_bytes(ROWS))
    import_units([["210", "Solsiden sykehjem", "300", "", ""]])
    department = OrgUnit.objects.get(code="211")
    assert department.is_within(OrgUnit.objects.get(code="300"))


def test_an_unknown_parent_in_a_units_file_is_an_error():
    with pytest.raises(ImportProblems) as raised:
        import_units([["1", "Kommunen", "", "", ""], ["2", "Skole", "9", "", ""]])
    problem = raised.value.problems[0]
    assert (problem.row, problem.column, problem.value) == (3, "Overordnet enhet", "9")
    assert OrgUnit.objects.count() == 0


def test_a_unit_twice_and_an_unknown_leader_are_errors():
    with pytest.raises(ImportProblems) as raised:
        import_units([["1", "Kommunen", "", "", "4711"], ["1", "Kommunen", "", "", ""]])
    messages = [str(problem.message) for problem in raised.value.problems]
    assert any("twice" in message for message in messages)
    assert any("leader" in message for message in messages)


def test_several_moves_in_one_file_leave_every_path_right():
    import_units(
        [
            ["1", "Kommunen", "", "", ""],
            ["2", "Helse", "1", "", ""],
            ["3", "Sykehjem", "2", "", ""],
            ["4", "Avdeling", "3", "", ""],
            ["5", "Oppvekst", "1", "", ""],
        ]
    )
    # Helse moves under Oppvekst, and the nursing home moves up to the top level.
    import_units([["2", "Helse", "5", "", ""], ["3", "Sykehjem", "1", "", ""]])
    for unit in OrgUnit.objects.all():
        expected = unit.path_under(unit.parent)
        assert unit.path == expected, unit.code
    assert OrgUnit.objects.get(code="4").is_within(OrgUnit.objects.get(code="3"))
