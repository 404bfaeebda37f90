import re

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, sign_in


def test_leader_signs_in_opens_own_unit_and_sees_own_people(municipality, open_browser):
    page = open_browser()
    sign_in(page, "leader")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Velkommen, Liv")
    page.get_by_role("link", name="Solsiden sykehjem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Solsiden sykehjem")
    people = page.get_by_role("region", name="Ansatte i denne enheten")
    expect(people.get_by_role("link", name="Eva Ansatt")).to_be_visible()
    expect(people).not_to_contain_text("Hjemmetjenesten")
    people.get_by_role("link", name="Eva Ansatt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eva Ansatt")
    expect(page.locator("main")).to_contain_text("Sykepleier")


def test_leader_on_a_phone_reaches_their_people(municipality, open_browser):
    page = open_browser(PHONE)
    sign_in(page, "leader")
    page.get_by_role("link", name="Solsiden sykehjem").click()
    expect(page.get_by_role("link", name="Eva Ansatt")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_unit_search_narrows_the_tree_as_you_type(municipality, open_browser):
    page = open_browser()
    sign_in(page, "hr")
    page.goto("/org/")
    expect(page.get_by_role("link", name="Gamlevik rådhus")).to_have_count(0)
    page.get_by_label("Finn en enhet etter navn eller kode").fill("øst")
    expect(page.locator("#tree-results")).to_contain_text("1 enhet passer med «øst»")
    expect(page).to_have_url(re.compile(r"q=%C3%B8st|q=øst"))
    page.get_by_role("link", name="Avdeling Øst").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Avdeling Øst")


def test_the_language_switch_changes_the_interface_to_english(municipality, open_browser):
    page = open_browser()
    sign_in(page, "leader")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome, Liv")
    page.get_by_role("button", name="Norsk (bokmål)").click()
    expect(page.locator("html")).to_have_attribute("lang", "nb")
