import pytest
from django.urls import reverse

from evne.accounts.models import Role
from evne.core.visibility import Detail, visibility_for


def codes(queryset):
    return sorted(queryset.values_list("code", flat=True))


def numbers(queryset):
    return sorted(queryset.values_list("employee_number", flat=True))


@pytest.fixture
def m(municipality):
    return municipality


def test_admin_sees_every_unit_and_person(m):
    visibility = visibility_for(m.users["admin"])
    assert codes(visibility.units()) == sorted(m.units)
    assert visibility.people().count() == 17  # every person in the fixture, former ones too


def test_hr_sees_people_of_own_municipality_only(m):
    visibility = visibility_for(m.users["hr"])
    assert codes(visibility.units()) == ["H", "HA", "HA1", "HB", "K", "O", "OC"]
    people = numbers(visibility.people())
    assert m.people["oc"].employee_number in people
    assert m.people["gx"].employee_number not in people
    assert visibility.detail_for(m.units["G"]) == Detail.NONE


def test_people_whose_positions_ended_drop_out_of_view(m):
    assert m.people["former"] not in visibility_for(m.users["hr"]).people()
    assert m.people["former"] in visibility_for(m.users["admin"]).people()


def test_leader_sees_people_of_led_unit_and_below(m):
    visibility = visibility_for(m.users["leader"])
    assert visibility.roles == {Role.EMPLOYEE, Role.LEADER}
    assert codes(visibility.units()) == ["HA", "HA1"]
    expected = ["1001", "1002", "ha000", "ha001", "ha002", "ha003", "hae000", "hae001"]
    assert numbers(visibility.people()) == expected


def test_employee_sees_only_themselves(m):
    visibility = visibility_for(m.users["employee"])
    assert visibility.roles == {Role.EMPLOYEE}
    assert list(visibility.people()) == [m.people["employee"]]
    assert visibility.detail_for(m.units["HA"]) == Detail.AGGREGATE
    assert codes(visibility.units()) == ["HA"]


@pytest.mark.parametrize("persona", ["union_rep", "analyst"])
def test_union_representative_and_analyst_see_figures_but_no_people(m, persona):
    visibility = visibility_for(m.users[persona])
    assert visibility.people().count() == 0
    assert visibility.employments().count() == 0
    assert visibility.detail_for(m.units["HA"]) == Detail.AGGREGATE


def test_figures_over_fewer_than_five_people_are_hidden_from_aggregate_viewers(m):
    union_rep = visibility_for(m.users["union_rep"])
    assert not union_rep.may_see_figure(m.units["HB"], 3)
    assert union_rep.may_see_figure(m.units["HA"], 5)
    assert visibility_for(m.users["hr"]).may_see_figure(m.units["HB"], 3)
    assert not visibility_for(m.users["outsider"]).may_see_figure(m.units["HA"], 50)


def test_outsider_sees_only_the_other_municipality(m):
    visibility = visibility_for(m.users["outsider"])
    assert codes(visibility.units()) == ["G", "GX"]
    assert numbers(visibility.people()) == ["gx000"]


def test_a_person_with_several_roles_sees_the_union(m):
    from evne.accounts.models import RoleGrant

    RoleGrant.objects.create(user=m.users["employee"], role=Role.HR, unit=m.units["O"])
    visibility = visibility_for(m.users["employee"])
    assert visibility.roles == {Role.EMPLOYEE, Role.HR}
    assert codes(visibility.units()) == ["HA", "O", "OC"]
    assert numbers(visibility.people()) == ["1002", "oc000", "oc001", "oc002", "oc003"]


@pytest.mark.parametrize(
    ("persona", "person", "status"),
    [
        ("leader", "employee", 200),
        ("leader", "ha1", 200),
        ("leader", "hb", 404),
        ("leader", "oc", 404),
        ("employee", "employee", 200),
        ("employee", "leader", 404),
        ("employee", "ha0", 404),
        ("hr", "oc", 200),
        ("hr", "gx", 404),
        ("union_rep", "employee", 404),
        ("analyst", "employee", 404),
        ("outsider", "employee", 404),
        ("admin", "gx", 200),
    ],
)
def test_person_page_is_open_exactly_to_those_who_may_see_the_person(
    m, client_for, persona, person, status
):
    response = client_for(m.users[persona]).get(reverse("person", args=[m.people[person].pk]))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "unit", "status"),
    [
        ("leader", "HA", 200),
        ("leader", "HA1", 200),
        ("leader", "HB", 404),
        ("leader", "H", 404),
        ("employee", "HA", 200),
        ("employee", "HA1", 404),
        ("union_rep", "HB", 200),
        ("union_rep", "O", 404),
        ("hr", "G", 404),
        ("outsider", "K", 404),
    ],
)
def test_unit_page_is_open_exactly_to_those_who_may_see_the_unit(
    m, client_for, persona, unit, status
):
    response = client_for(m.users[persona]).get(reverse("unit", args=[m.units[unit].pk]))
    assert response.status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(m, client):
    response = client.get(reverse("unit", args=[m.units["HA"].pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("admin", True),
        ("hr", True),
        ("outsider", True),  # HR for the whole of the other municipality
        ("leader", False),
        ("employee", False),
        ("union_rep", False),
        ("analyst", False),
    ],
)
def test_only_administrators_and_hr_for_a_whole_organisation_may_import(m, persona, allowed):
    assert visibility_for(m.users[persona]).may_import is allowed


def test_hr_for_part_of_the_organisation_may_not_import(m):
    from evne.accounts.models import RoleGrant

    RoleGrant.objects.create(user=m.users["employee"], role=Role.HR, unit=m.units["H"])
    assert not visibility_for(m.users["employee"]).may_import
