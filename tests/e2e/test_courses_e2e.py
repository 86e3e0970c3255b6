"""In a real browser: enrol, complete a lesson in place, fail then pass a check, verify a certificate."""

import re

import pytest

from tests.courses.conftest import check_block
from tests.e2e.conftest import axe_check

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "a-long-Secret-phrase-42"


@pytest.fixture
def short_course(live_site):
    from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
    from govlearn.models import HomePage

    index = CourseIndexPage(title="Courses", slug="courses", show_in_menus=True)
    HomePage.objects.first().add_child(instance=index)
    course = CoursePage(title="Wave one in brief", summary="A short course.")
    index.add_child(instance=course)
    module = ModulePage(title="Basics", slug="basics")
    course.add_child(instance=module)
    module.add_child(
        instance=LessonPage(
            title="Why reuse",
            slug="why-reuse",
            body=[{"type": "markdown", "id": "m1", "value": "Reuse **wins**."}],
        )
    )
    module.add_child(
        instance=LessonPage(
            title="Exchange",
            slug="exchange",
            body=[{"type": "markdown", "id": "m2", "value": "The mediator."}, check_block()],
        )
    )
    return course


def test_enrol_complete_pass_and_verify_certificate(page, short_course, user_factory):
    person = user_factory(password=PASSWORD, display_name="Fatou N.")
    page.goto("/courses/")
    axe_check(page)
    page.goto(f"/accounts/login/?next={short_course.url}")
    page.fill("input[name=login]", person.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(short_course.url) + "$"))

    page.get_by_role("button", name="Enrol").click()
    page.get_by_role("link", name="Start the course").click()
    page.wait_for_url(re.compile(r"/why-reuse/$"))
    assert "Lesson 1 of 2" in page.locator("main").inner_text()
    axe_check(page)
    page.evaluate("() => { window.notReloaded = true; }")
    page.get_by_role("button", name="Mark as complete").click()
    page.get_by_text("You have completed this lesson.").wait_for()
    assert page.evaluate("() => window.notReloaded === true")  # JavaScript: no reload

    page.get_by_role("link", name=re.compile("Next")).click()
    page.wait_for_url(re.compile(r"/exchange/$"))
    axe_check(page)
    # Options are shuffled per learner: choose them by label, never by position.
    page.get_by_label("Scheduler").check()
    page.get_by_label("Payments").check()
    page.get_by_role("button", name="Check my answers").click()
    page.get_by_text("Your last attempt scored 0%.").wait_for()
    assert "Not right: questions 1, 2." in page.locator("main").inner_text()
    assert page.get_by_label("Scheduler").is_checked() and page.get_by_label("Payments").is_checked()
    assert "FEEDBACK-" not in page.content() and "The right answer" not in page.content()
    axe_check(page)
    page.get_by_label("Information Mediator").check()
    page.get_by_label("Registration").check()
    page.get_by_role("button", name="Try again").click()
    page.get_by_text("You passed with 100%.").first.wait_for()

    page.goto("/me/")
    page.get_by_role("link", name=re.compile("^Certificate")).click()
    page.wait_for_url(re.compile(r"/certificates/[^/]+/$"))
    text = page.locator("main").inner_text()
    assert "This certificate is valid." in text and "Fatou N." in text and "Wave one in brief" in text
    assert person.email not in page.content()
    person.display_name = "Someone Else"  # a later profile change leaves the issued certificate alone
    person.save()
    page.reload()
    text = page.locator("main").inner_text()
    assert "Fatou N." in text and "Someone Else" not in text
    assert page.console_errors == []
