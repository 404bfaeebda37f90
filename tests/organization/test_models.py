import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from evne.organization.models import Employment, OrgUnit


def test_new_units_get_the_path_from_the_root(municipality):
    m = municipality
    ha1 = m.units["HA1"]
    expected = [m.units[code].pk for code in ("K", "H", "HA")]
    assert ha1.ancestor_ids == expected
    assert ha1.depth == 3
    assert ha1.is_within(m.units["H"])
    assert not ha1.is_within(m.units["O"])


def test_moving_a_unit_moves_its_whole_subtree(municipality):
    m = municipality
    ha = m.units["HA"]
    ha.parent = m.units["G"]  # a merger: the nursing home moves to the other municipality
    ha.save()
    ha1 = OrgUnit.objects.get(code="HA1")
    assert ha1.path == f"{m.units['G'].path}{ha.pk}/{ha1.pk}/"
    assert sorted(OrgUnit.objects.within(m.units["G"]).values_list("code", flat=True)) == [
        "G",
        "GX",
        "HA",
        "HA1",
    ]


def test_a_unit_cannot_be_moved_under_its_own_subtree(municipality):
    m = municipality
    h = m.units["H"]
    h.parent = m.units["HA1"]
    with pytest.raises(ValidationError):
        h.full_clean()
    with pytest.raises(ValueError):
        h.save()


def test_several_roots_coexist(municipality):
    roots = OrgUnit.objects.filter(parent=None).values_list("code", flat=True)
    assert sorted(roots) == ["G", "K"]


def test_fte_outside_0_to_100_is_refused_by_the_database(municipality):
    m = municipality
    with pytest.raises(IntegrityError):
        Employment.objects.create(
            person=m.people["employee"],
            unit=m.units["HA"],
            job_role=m.roles["nurse"],
            fte=120,
            start_date=datetime.date(2024, 1, 1),
        )


def test_fte_outside_0_to_100_gets_a_clear_validation_error(municipality):
    m = municipality
    employment = Employment(
        person=m.people["employee"],
        unit=m.units["HA"],
        job_role=m.roles["nurse"],
        fte=-5,
        start_date=datetime.date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        employment.full_clean()
    assert "fte" in error.value.message_dict


def test_an_employment_cannot_end_before_it_starts(municipality):
    m = municipality
    with pytest.raises(IntegrityError):
        Employment.objects.create(
            person=m.people["employee"],
            unit=m.units["HA"],
            job_role=m.roles["nurse"],
            fte=50,
            start_date=datetime.date(2024, 1, 1),
            end_date=datetime.date(2023, 1, 1),
        )


def test_active_on_selects_positions_held_that_day(municipality):
    m = municipality
    day = datetime.date(2021, 6, 30)
    assert Employment.objects.active_on(day).filter(person=m.people["former"]).exists()
    later = datetime.date(2021, 7, 1)
    assert not Employment.objects.active_on(later).filter(person=m.people["former"]).exists()
