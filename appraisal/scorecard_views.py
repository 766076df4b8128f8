"""Pages of the monthly scorecards and the manager's daily feedback-form scoring.

* my scorecard (technician, tablet-friendly): his published months;
* team scorecards (managers; a station head his station, a supervisor his people): ranking, charts,
  the month's status and actions, the Excel export;
* one scorecard: figures each linked to its drill-down, the formula, adjustments, evaluations;
* drill-down: the rows behind a figure, filtered exactly like the aggregate;
* feedback forms: yesterday's forms with quick scoring (managers).

A scorecard someone may not see is a 404, never a 403: its existence is not revealed.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.core.exceptions import DomainError
from servicedesk.org.models import Role
from servicedesk.org.roles import has_role
from servicedesk.org.selectors import staff_of

from . import scoring, services
from .charts import bar_chart, grade_chart
from .scorecard_exports import scorecards_response
from .scorecard_models import FeedbackScore, ScorecardMonth
from .scorecard_selectors import (
    DRILLS,
    FIGURE_DRILL,
    can_manage_scorecards,
    drill_rows,
    evaluations_of,
    adjustments_of,
    feedback_forms,
    first_of_month,
    month_log,
    parse_month,
    previous_month,
    scorecards_visible_to,
    team_scorecards,
)

TEAM_ROLES = (Role.MANAGER, Role.GENERAL_MANAGER, Role.ADMIN, Role.STATION_HEAD, Role.SUPERVISOR)


def _month_from(request) -> date:
    return parse_month(request.GET.get("month", "")) or previous_month(first_of_month(timezone.localdate()))


def _ensure_team_reader(user) -> None:
    if not (user.is_superuser or has_role(user, *TEAM_ROLES)):
        raise PermissionDenied(_("This page is for managers, station heads and supervisors."))


def _ensure_manager(user) -> None:
    if not can_manage_scorecards(user):
        raise PermissionDenied(_("This page is for managers."))


# --- figures shown on a scorecard --------------------------------------------------------------

FIGURE_ROWS = [
    ("problems_resolved", _("Problems resolved"), "{v} ({orders_closed} + {visit_problems})"),
    ("visits_done", _("Customer visits"), "{v}"),
    ("timeliness_rate", _("Timeliness rate"), "{v}% ({arrivals_on_time}/{arrivals})"),
    ("satisfaction_rate", _("Satisfaction rate"), "{v}% ({callbacks_satisfied}/{callbacks})"),
    ("complaint_rate", _("Complaint rate"), "{v}% ({complaints}/{orders_closed})"),
    ("reworks", _("Reworks"), "{v}"),
    ("on_site_avg_minutes", _("Average time on site (minutes)"), "{v} ({on_site_visits})"),
    ("on_site_over_limit", _("Visits over the time limit"), "{v}"),
    ("rating_attitude", _("Average rating: attitude"), "{v}"),
    ("rating_skill", _("Average rating: skill"), "{v}"),
    ("rating_arrival", _("Average rating: arrival time"), "{v}"),
    ("rating_promise", _("Average rating: keeping promises"), "{v}"),
    ("backup_points", _("Backup deductions (points)"), "{v}"),
    ("feedback_avg", _("Average feedback form score"), "{v} ({feedback_scored})"),
]


def figure_rows(card) -> list[dict]:
    values = {name: getattr(card, name) for name in (
        "orders_closed", "visit_problems", "arrivals_on_time", "arrivals", "callbacks_satisfied", "callbacks", "complaints",
        "on_site_visits", "feedback_scored")}
    out = []
    for name, label, pattern in FIGURE_ROWS:
        value = getattr(card, name)
        text = "—" if value is None else pattern.format(v=value, **values)
        out.append({"name": name, "label": label, "text": text, "drill": FIGURE_DRILL.get(name)})
    return out


def _card_context(request, card) -> dict:
    manager = can_manage_scorecards(request.user)
    me = staff_of(request.user)
    can_evaluate = (
        card.month.status != ScorecardMonth.Status.PUBLISHED and me is not None
        and ((me.pk == card.technician_id and card.config.get("self_evaluation"))
             or (me.pk != card.technician_id and card.config.get("peer_evaluation") and me.station_id == card.station_id))
    )
    return {
        "card": card,
        "figures": figure_rows(card),
        "formula": scoring.formula_lines(card.config),
        "adjustments": adjustments_of(card),
        "evaluations": evaluations_of(card),
        "can_adjust": manager and card.month.status != ScorecardMonth.Status.PUBLISHED and card.technician.user_id != request.user.pk,
        "can_evaluate": can_evaluate,
    }


@login_required
def my_scorecard(request):
    me = staff_of(request.user)
    if me is None:
        return render(request, "appraisal/no_staff.html")
    mine = scorecards_visible_to(request.user).filter(technician=me).order_by("-month__month")
    month = parse_month(request.GET.get("month", ""))
    card = (mine.filter(month__month=month) if month else mine).first()
    context = {"months": list(mine.values_list("month__month", flat=True)[:24]), "mine": True}
    if card is not None:
        context.update(_card_context(request, card))
    return render(request, "appraisal/scorecards/mine.html", context)


@login_required
def scorecard_detail(request, pk: int):
    card = get_object_or_404(scorecards_visible_to(request.user), pk=pk)
    return render(request, "appraisal/scorecards/detail.html", _card_context(request, card))


@login_required
def drill_down(request, pk: int, key: str):
    card = get_object_or_404(scorecards_visible_to(request.user), pk=pk)
    if key not in DRILLS:
        raise Http404
    rows = drill_rows(key, technician_id=card.technician_id, month=card.month.month,
                      on_site_limit_minutes=int(card.config.get("on_site_limit_minutes", 120)))
    return render(request, "appraisal/scorecards/drill.html",
                  {"card": card, "drill": DRILLS[key], "key": key, "rows": rows[:1000], "count": rows.count()})


@login_required
def team(request):
    _ensure_team_reader(request.user)
    month_date = _month_from(request)
    month = ScorecardMonth.objects.select_related("drafted_by", "reviewed_by", "published_by", "reopened_by").filter(
        month=month_date).first()
    cards = list(team_scorecards(request.user, month)) if month else []
    grades = {row["grade"]: row["n"] for row in
              team_scorecards(request.user, month).values("grade").annotate(n=Count("pk")).order_by()} if month else {}
    context = {
        "month_date": month_date,
        "month": month,
        "cards": cards,
        "previous": previous_month(month_date),
        "next": (month_date.replace(day=28) + timedelta(days=4)).replace(day=1),
        "can_manage": can_manage_scorecards(request.user),
        "is_gm": request.user.is_superuser or has_role(request.user, Role.GENERAL_MANAGER),
        "chart": bar_chart([(c.technician.name, c.total, c.grade) for c in cards], title=_("Totals")),
        "grade_chart": grade_chart(grades, title=_("Grades")) if cards else "",
        "formula": scoring.formula_lines(cards[0].config) if cards else [],
        "log": month_log(month) if month else [],
    }
    return render(request, "appraisal/scorecards/team.html", context)


@login_required
def team_export(request):
    _ensure_team_reader(request.user)
    month = get_object_or_404(ScorecardMonth, month=_month_from(request))
    return scorecards_response(month, team_scorecards(request.user, month))


@require_POST
@login_required
def month_action(request):
    """draft / review / publish / reopen — one service each; errors come back as messages."""
    _ensure_team_reader(request.user)
    month_date = parse_month(request.POST.get("month", ""))
    if month_date is None:
        raise Http404
    action = request.POST.get("action")
    try:
        if action == "draft":
            services.draft_month(month=month_date, actor=request.user)
        else:
            month = get_object_or_404(ScorecardMonth, month=month_date)
            if action == "review":
                services.review_month(month=month, actor=request.user)
            elif action == "publish":
                services.publish_month(month=month, actor=request.user)
            elif action == "reopen":
                services.reopen_month(month=month, actor=request.user, reason=request.POST.get("reason", ""))
            else:
                raise Http404
        messages.success(request, _("Done."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect(f"{reverse('appraisal:team')}?month={month_date:%Y-%m}")


@require_POST
@login_required
def adjust(request, pk: int):
    card = get_object_or_404(scorecards_visible_to(request.user), pk=pk)
    try:
        services.adjust_scorecard(scorecard=card, points=request.POST.get("points", ""), reason=request.POST.get("reason", ""),
                                  actor=request.user)
        messages.success(request, _("Adjustment recorded."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("appraisal:scorecard", pk=card.pk)


@require_POST
@login_required
def evaluate(request, pk: int):
    card = scorecards_visible_to(request.user).filter(pk=pk).first() or _peer_cards(request.user).filter(pk=pk).first()
    if card is None:
        raise Http404
    me = staff_of(request.user)
    if me is None:
        raise Http404
    try:
        services.record_evaluation(scorecard=card, evaluator=me, score=request.POST.get("score"),
                                   comment=request.POST.get("comment", ""), actor=request.user)
        messages.success(request, _("Evaluation recorded."))
    except DomainError as error:
        messages.error(request, str(error.message))
    if me.pk == card.technician_id:
        return redirect(f"{reverse('appraisal:my_scorecard')}?month={card.month.month:%Y-%m}")
    return redirect("appraisal:scorecard", pk=card.pk)


def _peer_cards(user):
    """Colleagues' scorecards of the same station, for peer evaluation (the service checks the config)."""
    from .scorecard_models import Scorecard

    me = staff_of(user)
    if me is None or me.station_id is None:
        return Scorecard.objects.none()
    return Scorecard.objects.filter(station_id=me.station_id, month__status__in=["draft", "reviewed"])


# --- feedback forms ----------------------------------------------------------------------------


@login_required
def feedback(request):
    """Yesterday's feedback forms (or ?day=) with quick scoring; flagged ones from earlier days on top."""
    _ensure_manager(request.user)
    today = timezone.localdate()
    try:
        day = date.fromisoformat(request.GET.get("day", "")) if request.GET.get("day") else today - timedelta(days=1)
    except ValueError:
        day = today - timedelta(days=1)
    if request.method == "POST":
        scored, errors = 0, []
        for form in feedback_forms(day=day).filter(pk__in=[int(k.split("_")[1]) for k in request.POST
                                                          if k.startswith("score_") and k.split("_")[1].isdigit()]):
            value = request.POST.get(f"score_{form.pk}", "").strip()
            if not value:
                continue
            try:
                services.score_feedback(form=form, score=value, completed=request.POST.get(f"done_{form.pk}", "1") == "1",
                                        comment=request.POST.get(f"comment_{form.pk}", ""), actor=request.user)
                scored += 1
            except DomainError as error:
                errors.append(f"{form.work_order.number}: {error.message}")
        if scored:
            messages.success(request, _("%(n)s feedback forms scored.") % {"n": scored})
        for error in errors:
            messages.error(request, error)
        return redirect(f"{reverse('appraisal:feedback_forms')}?day={day.isoformat()}")
    forms = list(feedback_forms(day=day))
    flagged = list(feedback_forms(flagged_only=True).exclude(day=day)[:200])
    return render(request, "appraisal/scorecards/feedback.html", {
        "day": day, "forms": forms, "flagged": flagged, "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1) if day < today else None,
        "pending": sum(1 for f in forms if f.status == FeedbackScore.Status.PENDING),
        "scale": range(1, (forms[0].max_score if forms else 10) + 1),
    })
