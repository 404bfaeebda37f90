"""Which requirements hold for a unit: its own, its job roles' there, and those from above."""

from django.urls import reverse

from evne.competence.inheritance import requirements_of_unit
from evne.competence.models import Requirement, RequirementKind
from evne.organization.models import OrgUnit


def require(competence, unit=None, role=None, **values) -> Requirement:
    return Requirement.objects.create(competence=competence, unit=unit, job_role=role, **values)


def codes(requirements) -> list[str]:
    return [requirement.competence.code for requirement in requirements]


def test_a_requirement_on_a_unit_is_inherited_by_every_unit_below_with_its_source(
    municipality, catalog
):
    m, c = municipality, catalog.competences
    require(c["HLR"], unit=m.units["H"])
    for code in ("HA", "HA1"):
        found = requirements_of_unit(m.units[code])
        assert found.own == []
        assert [(group.source.code, codes(group.requirements)) for group in found.inherited] == [
            ("H", ["HLR"])
        ]
    assert codes(requirements_of_unit(m.units["H"]).own) == ["HLR"]


def test_a_job_role_requirement_in_a_unit_holds_there_and_is_inherited_below(municipality, catalog):
    m, c = municipality, catalog.competences
    require(c["SYKEPLEIER"], unit=m.units["HA"], role=m.roles["nurse"])
    here = requirements_of_unit(m.units["HA"])
    assert (here.own, codes(here.for_roles)) == ([], ["SYKEPLEIER"])
    below = requirements_of_unit(m.units["HA1"])
    assert below.for_roles == []
    [group] = below.inherited
    assert group.source == m.units["HA"]
    assert group.requirements[0].job_role == m.roles["nurse"]


def test_a_requirement_on_another_branch_does_not_hold(municipality, catalog):
    m, c = municipality, catalog.competences
    require(c["DIGITAL"], unit=m.units["O"], level=2)
    require(c["HLR"], unit=m.units["OC"])
    require(c["DEMENS"], unit=m.units["HA1"], level=3)  # below, not above
    found = requirements_of_unit(m.units["HA"])
    assert found.all() == []


def test_a_job_roles_own_requirements_are_not_among_a_units(municipality, catalog):
    m, c = municipality, catalog.competences
    require(c["LEGEMIDDEL"], role=m.roles["nurse"])
    assert requirements_of_unit(m.units["HA"]).all() == []


def test_inherited_requirements_come_from_the_nearest_unit_up_to_the_top(municipality, catalog):
    m, c = municipality, catalog.competences
    require(c["HLR"], unit=m.units["K"])
    require(c["DEMENS"], unit=m.units["H"], level=2, kind=RequirementKind.DESIRED)
    require(c["LEGEMIDDEL"], unit=m.units["HA"])
    found = requirements_of_unit(m.units["HA1"])
    assert [group.source.code for group in found.inherited] == ["HA", "H", "K"]


def test_unit_wide_requirements_come_before_those_for_job_roles(municipality, catalog):
    m, c = municipality, catalog.competences
    require(c["HLR"], unit=m.units["H"], role=m.roles["nurse"])
    require(c["LEGEMIDDEL"], unit=m.units["H"])
    [group] = requirements_of_unit(m.units["HA"]).inherited
    assert [(r.competence.code, r.job_role_id) for r in group.requirements] == [
        ("LEGEMIDDEL", None),
        ("HLR", m.roles["nurse"].pk),
    ]


def deep_chain(top: OrgUnit, depth: int) -> OrgUnit:
    unit = top
    for index in range(depth):
        unit = OrgUnit.objects.create(code=f"DEEP{index}", name=f"Nivå {index}", parent=unit)
    return unit


def test_the_requirements_of_a_deep_unit_take_one_query(
    municipality, catalog, django_assert_num_queries
):
    m, c = municipality, catalog.competences
    bottom = deep_chain(m.units["HA1"], 12)
    for unit in OrgUnit.objects.filter(code__startswith="DEEP"):
        require(c["HLR"], unit=unit)
    with django_assert_num_queries(1):
        found = requirements_of_unit(bottom)
        names = [group.source.name for group in found.inherited]
        roles = [r.job_role for group in found.inherited for r in group.requirements]
        levels = [r.competence.scale for group in found.inherited for r in group.requirements]
    assert len(names) == 11 and len(roles) == 11 and len(levels) == 11
    assert codes(found.own) == ["HLR"]


def test_the_unit_page_links_inherited_requirements_to_their_source_when_it_may_be_opened(
    municipality, catalog, client_for
):
    m, c = municipality, catalog.competences
    require(c["HLR"], unit=m.units["H"])
    require(c["DEMENS"], unit=m.units["HA"], level=2)
    source_link = reverse("unit_requirements", args=[m.units["H"].pk])
    ha_link = reverse("unit_requirements", args=[m.units["HA"].pk])
    url = reverse("unit_requirements", args=[m.units["HA1"].pk])

    hr_page = client_for(m.users["hr"]).get(url).content.decode()
    assert source_link in hr_page and ha_link in hr_page
    # The leader may not open Helse og mestring: its name shows, without a link.
    leader_page = client_for(m.users["leader"]).get(url).content.decode()
    assert "Helse og mestring" in leader_page
    assert source_link not in leader_page
    assert ha_link in leader_page
