"""The learning issue's journey on the demo municipality itself: the demo employee takes the
data protection e-learning on a phone, passes and downloads the certificate, and the demo leader
finds it in the unit's learning report."""

from playwright.sync_api import expect

from evne.demo.generator import build_municipality
from evne.demo.logins import DEMO_PASSWORD
from evne.learning.models import Attempt, Course
from tests.e2e.conftest import DESKTOP, PHONE, sign_in


def answer_right(page, attempt):
    for answer in attempt.answers.select_related("question"):
        for choice in answer.question.choices.filter(is_correct=True):
            page.locator(f"input[name=q{answer.question_id}][value='{choice.pk}']").check()


def test_the_demo_employee_passes_data_protection_and_the_leader_sees_it(open_browser):
    build_municipality(300, seed=1)
    course = Course.objects.get(code="PERSONVERN")

    page = open_browser(PHONE)
    page.goto("/login/")
    page.get_by_role("button", name="English").click()
    sign_in(page, "ansatt", DEMO_PASSWORD)
    page.goto("/learning/")
    page.locator("input[name=q]").fill("personvern")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=course.name_en or course.name).click()
    page.get_by_role("link", name="Take the course").click()
    page.get_by_role("link", name="Start reading").click()
    while page.get_by_role("link", name="Next").count():
        page.get_by_role("link", name="Next").click()
    page.get_by_role("link", name="Go to the test").click()
    page.get_by_role("button", name="Start the test").click()
    answer_right(page, Attempt.objects.get(person__user__username="ansatt", submitted_at=None))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="Hand in").click()
    expect(page.get_by_role("heading", name="Passed")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    passed = Attempt.objects.get(person__user__username="ansatt", passed=True)
    code = passed.completion.certificate.code

    leader = open_browser(DESKTOP)
    leader.goto("/login/")
    leader.get_by_role("button", name="English").click()
    sign_in(leader, "leder", DEMO_PASSWORD)
    leader.goto(f"/learning/reports/courses/{course.pk}/")
    main = leader.locator("main")
    expect(main).to_contain_text(passed.person.family_name)
    expect(main).to_contain_text(code)
