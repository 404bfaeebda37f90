from django.urls import reverse

from evne.organization.models import OrgUnit


def test_hr_sees_the_whole_tree_of_their_municipality(municipality, client_for):
    m = municipality
    response = client_for(m.users["hr"]).get(reverse("unit_tree"))
    roots = response.context["tree"]
    assert [node.unit.code for node in roots] == ["K"]
    helse = next(node for node in roots[0].children if node.unit.code == "H")
    assert sorted(child.unit.code for child in helse.children) == ["HA", "HB"]
    assert "Gamlevik" not in response.content.decode()


def test_leader_tree_starts_at_the_led_unit(municipality, client_for):
    m = municipality
    response = client_for(m.users["leader"]).get(reverse("unit_tree"))
    assert [node.unit.code for node in response.context["tree"]] == ["HA"]


def test_search_finds_units_by_name_ignoring_case_of_norwegian_letters(municipality, client_for):
    m = municipality
    client = client_for(m.users["hr"])
    response = client.get(reverse("unit_tree"), {"q": "øST"})
    assert [unit.code for unit, _ in response.context["matches"]] == ["HA1"]
    ancestors = response.context["matches"][0][1]
    assert [a.code for a in ancestors] == ["K", "H", "HA"]


def test_search_finds_units_by_code(municipality, client_for):
    m = municipality
    response = client_for(m.users["hr"]).get(reverse("unit_tree"), {"q": "oc"})
    assert [unit.code for unit, _ in response.context["matches"]] == ["OC"]


def test_search_never_reveals_units_outside_the_users_view(municipality, client_for):
    m = municipality
    response = client_for(m.users["hr"]).get(reverse("unit_tree"), {"q": "Gamlevik"})
    assert response.context["matches"] == []
    assert "0 enheter passer med «Gamlevik»" in response.content.decode()


def test_tree_query_count_does_not_grow_with_units(
    municipality, client_for, django_assert_max_num_queries
):
    m = municipality
    parent = m.units["HB"]
    for index in range(60):
        OrgUnit.objects.create(code=f"HB-{index}", name=f"Rode {index}", parent=parent)
    client = client_for(m.users["hr"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("unit_tree"))
    assert "Rode 59" in response.content.decode()
