import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evne.organization.models import Employment, Person
from tests.conftest import START, add_staff


def unit_url(unit):
    return reverse("unit", args=[unit.pk])


def test_leader_sees_own_people_with_role_and_fte(municipality, client_for):
    m = municipality
    response = client_for(m.users["leader"]).get(unit_url(m.units["HA"]))
    content = response.content.decode()
    assert "Eva Ansatt" in content
    assert "Sykepleier" in content
    assert ">80<" in content  # Eva's FTE %
    assert "Frode Sluttet" not in content  # ended in 2021
    assert "Avdeling Øst" in content  # the sub-unit


def test_unit_page_lists_the_people_of_the_whole_subtree_with_their_unit(municipality, client_for):
    m = municipality
    response = client_for(m.users["leader"]).get(unit_url(m.units["HA"]))
    rows = [(e.person.employee_number, e.unit.code) for e in response.context["page"]]
    assert ("hae000", "HA1") in rows  # in the department below
    assert ("1002", "HA") in rows
    assert len(rows) == 8
    assert "Ansatte i denne enheten og under" in response.content.decode()


def test_unit_page_shows_headcount_and_fte_of_the_subtree(municipality, client_for):
    m = municipality
    response = client_for(m.users["hr"]).get(unit_url(m.units["H"]))
    figures = response.context["figures"]
    # Solsiden: leader, Eva and 4 staff; Avdeling Øst: 2; Hjemmetjenesten: 3.
    assert figures.headcount == 11
    assert figures.full_time_equivalents == pytest.approx(
        sum(
            e.fte
            for e in Employment.objects.filter(unit__path__startswith=m.units["H"].path).exclude(
                end_date__isnull=False
            )
        )
        / 100
    )


def test_union_representative_gets_figures_but_no_names(municipality, client_for):
    m = municipality
    response = client_for(m.users["union_rep"]).get(unit_url(m.units["HA"]))
    content = response.content.decode()
    assert response.context["figures_visible"]
    assert "Eva Ansatt" not in content
    assert "page" not in response.context


def test_small_groups_are_shown_as_hidden_to_aggregate_viewers(municipality, client_for):
    m = municipality
    response = client_for(m.users["union_rep"]).get(unit_url(m.units["HB"]))
    assert not response.context["figures_visible"]
    assert "Skjult: færre enn fem personer." in response.content.decode()
    parent = client_for(m.users["union_rep"]).get(unit_url(m.units["H"]))
    hidden = {child.code for child, _, visible in parent.context["children"] if not visible}
    assert hidden == {"HB"}


def test_employee_sees_own_unit_figures_without_people(municipality, client_for):
    m = municipality
    response = client_for(m.users["employee"]).get(unit_url(m.units["HA"]))
    assert response.status_code == 200
    assert "Ansatt0 Hasen" not in response.content.decode()


def test_people_are_paginated(municipality, client_for):
    m = municipality
    add_staff(m.units["HA1"], m.roles["nurse"], 120, "many")
    client = client_for(m.users["leader"])
    first = client.get(unit_url(m.units["HA1"]))
    assert len(first.context["page"]) == 50
    assert first.context["page"].paginator.count == 122
    last = client.get(unit_url(m.units["HA1"]), {"page": 3})
    assert len(last.context["page"]) == 22


def add_bulk_staff(unit, role, count, prefix):
    people = Person.objects.bulk_create(
        Person(employee_number=f"{prefix}{i:05d}", given_name="Bulk", family_name=f"Person{i}")
        for i in range(count)
    )
    Employment.objects.bulk_create(
        Employment(person=p, unit=unit, job_role=role, fte=60, start_date=START) for p in people
    )


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_unit_page_query_count_is_the_same_for_10_and_1000_people(municipality, client_for):
    m = municipality
    client = client_for(m.users["hr"])
    small, large = m.units["HA1"], m.units["OC"]
    add_bulk_staff(small, m.roles["nurse"], 10, "small")
    add_bulk_staff(large, m.roles["teacher"], 1000, "large")
    assert queries_for(client, unit_url(small)) == queries_for(client, unit_url(large))
    # The parent's figures cover both subtrees in the same single query.
    assert queries_for(client, unit_url(m.units["K"])) <= 14
