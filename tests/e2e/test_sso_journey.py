"""Single sign-on in the browser, through the test OpenID Connect provider on loopback."""

import pytest

from tests.e2e.checks import check
from tests.e2e.conftest import DESKTOP, PHONE
from tests.oidc_provider import running_provider, use_provider

SSO_BUTTON = "a[href^='/oidc/authenticate/']"


@pytest.fixture(scope="session")
def provider():
    with running_provider() as provider:
        yield provider


@pytest.fixture
def sso(provider, settings, live_server, municipality):
    provider.reset()
    use_provider(settings, provider, f"{live_server.url}/oidc/callback/")
    provider.add_account("eva-sub", email="eva@testvik.no", name="Eva Ansatt")
    provider.add_account("stranger-sub", email="stranger@example.com", name="Sam Stranger")
    return provider


def test_an_employee_signs_in_with_the_municipal_account_and_lands_on_home(
    sso, open_browser, live_server
):
    page = open_browser()
    page.goto("/org/")
    page.locator(SSO_BUTTON).click()
    page.get_by_role("button", name="Eva Ansatt").click()
    page.wait_for_url(f"{live_server.url}/org/")
    page.goto("/")
    assert "Eva" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Logg ut").is_visible()


def test_an_unknown_account_sees_why_and_is_not_signed_in(sso, open_browser):
    page = open_browser()
    page.goto("/login/")
    page.locator(SSO_BUTTON).click()
    page.get_by_role("button", name="Sam Stranger").click()
    page.wait_for_url("**/oidc/callback/**")
    assert page.get_by_role("alert").is_visible()
    page.goto("/")
    assert "/login/" in page.url


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_sso_login_and_refusal_pages_pass_axe_and_fit(sso, open_browser, language, viewport):
    page = open_browser(viewport)
    page.goto("/login/")
    if language == "en":
        page.get_by_role("button", name="English").click()
    problems = {}
    check(page, viewport, problems, "login with single sign-on")
    page.locator(SSO_BUTTON).click()
    page.get_by_role("button", name="Sam Stranger").click()
    page.wait_for_url("**/oidc/callback/**")
    assert page.locator("html").get_attribute("lang") == language
    check(page, viewport, problems, "refusal")
    assert problems == {}
