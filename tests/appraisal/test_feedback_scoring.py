"""The manager's morning scoring of yesterday's feedback forms (seed 001), with flagging and handing on."""

from datetime import timedelta

import pytest

from appraisal import services
from appraisal.exceptions import NotAllowed
from appraisal.scorecard_models import FeedbackScore
from appraisal.tasks import feedback_forms_task
from servicedesk.core.exceptions import DomainError, InvalidTransition
from servicedesk.notifications.models import Notification
from servicedesk.org.models import Role
from tests.factories import StaffFactory, UserFactory

from .scorecard_fixtures import MONTH, NOW, at, run_order, service_item  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def forms_of_a_day(technician, tech_customer, manager, station_a, run_order):
    """Two orders completed on Tuesday 24 Nov 2026 (one closed, one only completed); the department manager set."""
    department = station_a.department
    department.manager = manager.user
    department.save(update_fields=["manager"])
    unit = tech_customer.units.get(serial_number="SN-OUT-0002")
    closed = run_order(technician, tech_customer, unit, at(2026, 11, 24, 8), minutes=60)
    completed = run_order(technician, tech_customer, unit, at(2026, 11, 24, 9), minutes=45, until="completed")
    return closed, completed


def test_the_morning_collection_gives_the_department_manager_each_form_once(forms_of_a_day, manager):
    closed, completed = forms_of_a_day
    morning = at(2026, 11, 25, 8)
    assert services.collect_feedback_forms(day=at(2026, 11, 24).date(), now=morning) == 2
    assert services.collect_feedback_forms(day=at(2026, 11, 24).date(), now=morning) == 0  # idempotent
    forms = FeedbackScore.objects.order_by("pk")
    assert {f.work_order_id for f in forms} == {closed.pk, completed.pk}
    assert all(f.assignee == manager.user and f.status == "pending" for f in forms)
    assert all(f.due_at == at(2026, 11, 26, 0) for f in forms)


def test_scoring_confirms_and_scores_within_the_scale(forms_of_a_day, manager, technician,
                                                      django_capture_on_commit_callbacks):
    services.collect_feedback_forms(day=at(2026, 11, 24).date(), now=at(2026, 11, 25, 8))
    form = FeedbackScore.objects.order_by("pk").first()
    for bad in (0, 11, "x"):
        with pytest.raises(DomainError) as error:
            services.score_feedback(form=form, score=bad, actor=manager.user)
        assert error.value.field == "score"
    with pytest.raises(NotAllowed):
        services.score_feedback(form=form, score=8, actor=technician.user)
    with django_capture_on_commit_callbacks(execute=True):
        services.score_feedback(form=form, score=9, completed=False, comment="客户说仍有异响", actor=manager.user,
                                now=at(2026, 11, 25, 9))
    form.refresh_from_db()
    assert (form.status, form.score, form.completed_confirmed, form.scored_by) == ("scored", 9, False, manager.user)
    assert Notification.objects.filter(recipient=technician.user, kind="feedback_not_completed").count() == 1


def test_unconfirmed_forms_are_flagged_and_handed_on_once_per_step(forms_of_a_day, manager, general_manager):
    other = StaffFactory(user=UserFactory(username="p_manager_2", roles=[Role.MANAGER]), station=None)
    services.collect_feedback_forms(day=at(2026, 11, 24).date(), now=at(2026, 11, 25, 8))

    assert services.escalate_feedback_forms(now=at(2026, 11, 25, 23)) == 0  # not due yet
    first = at(2026, 11, 26, 1)
    assert services.escalate_feedback_forms(now=first) == 2
    assert services.escalate_feedback_forms(now=first) == 0  # running twice hands on once
    forms = list(FeedbackScore.objects.all())
    assert all(f.assignee == other.user and f.escalation_level == 1 and f.flagged_at == first for f in forms)
    assert Notification.objects.filter(recipient=other.user, kind="feedback_escalated").count() == 2

    assert services.escalate_feedback_forms(now=first + timedelta(days=1, minutes=1)) == 2
    forms = list(FeedbackScore.objects.all())
    assert all(f.assignee == general_manager.user and f.escalation_level == 2 and f.is_flagged for f in forms)
    assert services.escalate_feedback_forms(now=first + timedelta(days=5)) == 0  # the GM is the last step

    # Scored at last: no longer flagged.
    services.score_feedback(form=forms[0], score=7, actor=general_manager.user)
    forms[0].refresh_from_db()
    assert not forms[0].is_flagged


def test_the_hourly_job_collects_and_escalates_idempotently(forms_of_a_day, general_manager):
    feedback_forms_task(now=at(2026, 11, 25, 8, 5).isoformat())
    feedback_forms_task(now=at(2026, 11, 25, 9, 5).isoformat())
    assert FeedbackScore.objects.count() == 2
    feedback_forms_task(now=at(2026, 11, 26, 8, 5).isoformat())
    # Only one manager exists: the general manager gets them straight away.
    assert set(FeedbackScore.objects.values_list("assignee", flat=True)) == {general_manager.user.pk}


def test_a_published_month_freezes_its_feedback_scores(forms_of_a_day, manager):
    services.collect_feedback_forms(day=at(2026, 11, 24).date(), now=at(2026, 11, 25, 8))
    month = services.draft_month(month=MONTH, actor=manager.user, now=NOW)
    services.review_month(month=month, actor=manager.user, now=NOW)
    services.publish_month(month=month, actor=manager.user, now=NOW)
    with pytest.raises(InvalidTransition):
        services.score_feedback(form=FeedbackScore.objects.first(), score=5, actor=manager.user)
