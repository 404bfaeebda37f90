"""E-learning in the browser: an employee takes the data protection course on a phone, passes
and downloads the certificate; axe-core on every e-learning page in both languages, on a
desktop and 360 px."""

import pytest
from playwright.sync_api import expect

from evne.learning import elearning
from evne.learning.models import Attempt, Completion
from tests.e2e.checks import check, open_signed_in
from tests.e2e.conftest import DESKTOP, PHONE
from tests.learning.conftest import courses  # noqa: F401 - the fixture, used by name below
from tests.learning.elearning_fixtures import right_answers, wrong_answers


def test_an_employee_takes_the_course_on_a_phone_passes_and_downloads_the_certificate(
    municipality,
    courses,  # noqa: F811 - the fixture imported above
    open_browser,
):
    course = courses.courses["privacy"]
    page = open_signed_in(open_browser, PHONE, "en", "employee")
    page.goto(f"/learning/elearning/{course.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(course.name_en)
    page.get_by_role("link", name="Start reading").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hva er personopplysninger?")
    expect(page.locator("main")).to_contain_text("Page 1 of 2")
    page.get_by_role("link", name="Next").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Taushetsplikt")
    page.get_by_role("link", name="Go to the test").click()
    page.get_by_role("button", name="Start the test").click()
    page.get_by_label("Alle ansatte som får vite dem").check()
    page.get_by_label("Et navn").check()
    page.get_by_label("Et fødselsnummer").check()
    page.get_by_label("Usant").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="Hand in").click()
    expect(page.get_by_role("heading", name="Passed")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"
    completion = Completion.objects.get()
    assert completion.person == municipality.people["employee"]
    assert completion.certificate.code


def elearning_pages(municipality, courses):  # noqa: F811 - the fixture's value
    """The pages to check, by the user who opens them. A failed attempt gives a result page
    with wrong answers; a pass by a colleague gives a certificate to verify."""
    course = courses.courses["privacy"]
    failed = elearning.start_attempt(courses.module, municipality.people["employee"])
    elearning.submit_attempt(failed, wrong_answers(failed))
    elearning.start_attempt(courses.module, municipality.people["employee"])
    leader = municipality.people["leader"]
    passed = elearning.start_attempt(courses.module, leader)
    certificate = elearning.submit_attempt(passed, right_answers(passed)).completion.certificate
    question = courses.questions[1]
    return {
        "employee": {
            "module start": f"/learning/elearning/{course.pk}/",
            "content page": f"/learning/elearning/{course.pk}/pages/1/",
            "test": f"/learning/elearning/{course.pk}/test/",
            "result": f"/learning/elearning/attempts/{failed.pk}/",
        },
        "leader": {
            "test start (passed)": f"/learning/elearning/{course.pk}/test/",
            "result (passed)": f"/learning/elearning/attempts/{passed.pk}/",
        },
        "hr": {
            "authoring list": "/learning/elearning/manage/",
            "module settings": f"/learning/elearning/manage/{course.pk}/",
            "new page": f"/learning/elearning/manage/{course.pk}/pages/add/",
            "new question": f"/learning/elearning/manage/{course.pk}/questions/add/single/",
            "edit question": f"/learning/elearning/manage/questions/{question.pk}/",
            "verify": f"/learning/elearning/verify/{certificate.code}/",
        },
    }


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_elearning_pages_pass_axe_and_fit_the_screen(
    municipality,
    courses,  # noqa: F811 - the fixture imported above
    open_browser,
    language,
    viewport,
):
    problems: dict = {}
    for username, pages in elearning_pages(municipality, courses).items():
        page = open_signed_in(open_browser, viewport, language, username)
        for name, url in pages.items():
            page.goto(url)
            check(page, viewport, problems, f"{name} ({username})")
    # The public page, signed out.
    public = open_browser(viewport)
    public.goto("/learning/elearning/verify/")
    check(public, viewport, problems, "verify (signed out)")
    public.goto("/learning/elearning/verify/AAAA-AAAA-AAAA/")
    check(public, viewport, problems, "verify unknown code (signed out)")
    assert not problems, problems
    assert Attempt.objects.count() == 3
