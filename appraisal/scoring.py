"""The scorecard formula, with no database: figures + config → points per component, total, grade.

Shown on the page as written here (:func:`formula_lines`), so what people read is what is computed::

    component points = weight × min(actual ÷ target, 1)               (problems, visits, timeliness, satisfaction)
    complaints       = weight × clamp((2 × limit − rate) ÷ limit, 0, 1) (full below the limit, none at twice it)
    feedback forms   = weight × average score ÷ scale maximum
    evaluation       = weight × average evaluation ÷ 100              (only when switched on)
    total            = Σ component points − reworks × points − visits over the limit × points
                       − backup deduction points + manager adjustments
    grade            = A ≥ grade_a, B ≥ grade_b, C ≥ grade_c, else D

A component with nothing to measure (no arrivals, no callbacks, no closed orders, no feedback
scored) costs nothing: it gets its full weight — absence of evidence is not held against anyone,
and the counts (problems, visits) already show a month without work.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

D0, D1, D100 = Decimal(0), Decimal(1), Decimal(100)
CENT = Decimal("0.01")

CONFIG_FIELDS = (
    "problems_target", "visits_target", "timeliness_target", "satisfaction_target", "complaint_rate_limit",
    "on_site_limit_minutes", "weight_problems", "weight_visits", "weight_timeliness", "weight_satisfaction",
    "weight_complaints", "weight_feedback", "weight_evaluation", "rework_points", "over_limit_points", "grade_a",
    "grade_b", "grade_c", "feedback_max_score", "self_evaluation", "peer_evaluation",
)


def config_snapshot(config) -> dict:
    """The config's values as JSON-safe strings/numbers, stored on each scorecard when drafted."""
    out = {}
    for name in CONFIG_FIELDS:
        value = getattr(config, name)
        out[name] = str(value) if isinstance(value, Decimal) else value
    return out


def _d(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def _ratio(actual, target) -> Decimal:
    target = _d(target)
    if target <= 0:
        return D1
    return min(_d(actual) / target, D1)


@dataclass
class Component:
    key: str
    label: str
    weight: Decimal
    actual: str
    target: str
    factor: Decimal
    points: Decimal

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "weight": str(self.weight), "actual": self.actual,
                "target": self.target, "factor": str(_q(self.factor)), "points": str(self.points)}


@dataclass
class Score:
    components: list[Component]
    base: Decimal
    deductions: Decimal
    deduction_lines: list[dict]
    adjustments: Decimal
    total: Decimal
    grade: str


def _pct(value) -> str:
    return "—" if value is None else f"{_d(value):.2f}%"


def grade_for(total: Decimal, config: dict) -> str:
    if total >= _d(config["grade_a"]):
        return "A"
    if total >= _d(config["grade_b"]):
        return "B"
    if total >= _d(config["grade_c"]):
        return "C"
    return "D"


def score(figures: dict, config: dict, *, adjustments=D0, evaluation_avg=None) -> Score:
    """``figures``: the scorecard's figure fields; ``config``: :func:`config_snapshot` output."""
    c = {k: (_d(v) if k not in ("self_evaluation", "peer_evaluation") else v) for k, v in config.items()}
    parts: list[Component] = []

    def add(key, label, weight, actual_text, target_text, factor):
        factor = max(D0, min(D1, factor))
        parts.append(Component(key, label, weight, actual_text, target_text, factor, _q(weight * factor)))

    add("problems", _("Problems resolved"), c["weight_problems"], str(figures["problems_resolved"]),
        str(int(c["problems_target"])), _ratio(figures["problems_resolved"], c["problems_target"]))
    add("visits", _("Customer visits"), c["weight_visits"], str(figures["visits_done"]), str(int(c["visits_target"])),
        _ratio(figures["visits_done"], c["visits_target"]))
    t = figures["timeliness_rate"]
    add("timeliness", _("Timeliness rate"), c["weight_timeliness"], _pct(t), "≥ " + _pct(c["timeliness_target"]),
        D1 if t is None else _ratio(t, c["timeliness_target"]))
    s = figures["satisfaction_rate"]
    add("satisfaction", _("Satisfaction rate"), c["weight_satisfaction"], _pct(s), "≥ " + _pct(c["satisfaction_target"]),
        D1 if s is None else _ratio(s, c["satisfaction_target"]))
    rate, limit = figures["complaint_rate"], c["complaint_rate_limit"]
    if rate is None:
        factor = D0 if figures["complaints"] else D1
    else:
        factor = (2 * limit - _d(rate)) / limit if limit > 0 else D0
    add("complaints", _("Complaint rate"), c["weight_complaints"],
        _pct(rate) if rate is not None else str(figures["complaints"]), "< " + _pct(limit), factor)
    fb = figures["feedback_avg"]
    add("feedback", _("Feedback form scores"), c["weight_feedback"], "—" if fb is None else f"{_d(fb):.2f}",
        f"/ {int(c['feedback_max_score'])}", D1 if fb is None else _d(fb) / c["feedback_max_score"])
    if config.get("self_evaluation") or config.get("peer_evaluation"):
        add("evaluation", _("Self and peer evaluation"), c["weight_evaluation"],
            "—" if evaluation_avg is None else f"{_d(evaluation_avg):.2f}", "/ 100",
            D1 if evaluation_avg is None else _d(evaluation_avg) / D100)

    lines = []
    for key, label, count, per in (
        ("reworks", _("Reworks"), figures["reworks"], c["rework_points"]),
        ("over_limit", _("Visits over the time limit"), figures["on_site_over_limit"], c["over_limit_points"]),
        ("backup", _("Backup deductions"), figures["backup_points"], D1),
    ):
        points = _q(_d(count) * per)
        lines.append({"key": key, "label": label, "count": count, "per": str(per), "points": str(points)})
    base = _q(sum((p.points for p in parts), D0))
    deductions = _q(sum((_d(line["points"]) for line in lines), D0))
    adjustments = _q(_d(adjustments))
    total = _q(base - deductions + adjustments)
    return Score(parts, base, deductions, lines, adjustments, total, grade_for(total, config))


def formula_lines(config: dict) -> list[str]:
    """The formula in words with this config's numbers, for the page and the export."""
    c = config
    lines = [
        _("Problems resolved: %(w)s × min(resolved ÷ %(t)s, 1)") % {"w": c["weight_problems"], "t": c["problems_target"]},
        _("Customer visits: %(w)s × min(visits ÷ %(t)s, 1)") % {"w": c["weight_visits"], "t": c["visits_target"]},
        _("Timeliness: %(w)s × min(rate ÷ %(t)s%%, 1)") % {"w": c["weight_timeliness"], "t": c["timeliness_target"]},
        _("Satisfaction: %(w)s × min(rate ÷ %(t)s%%, 1)") % {"w": c["weight_satisfaction"], "t": c["satisfaction_target"]},
        _("Complaints: %(w)s, full below %(t)s%%, falling to 0 at twice that rate")
        % {"w": c["weight_complaints"], "t": c["complaint_rate_limit"]},
        _("Feedback forms: %(w)s × average score ÷ %(t)s") % {"w": c["weight_feedback"], "t": c["feedback_max_score"]},
    ]
    if c.get("self_evaluation") or c.get("peer_evaluation"):
        lines.append(_("Evaluation: %(w)s × average evaluation ÷ 100") % {"w": c["weight_evaluation"]})
    lines += [
        _("Minus %(r)s per rework, %(o)s per visit over %(m)s minutes, and the backup deduction points")
        % {"r": c["rework_points"], "o": c["over_limit_points"], "m": c["on_site_limit_minutes"]},
        _("Plus or minus the manager's adjustments (each with its reason)"),
        _("Grade: A from %(a)s, B from %(b)s, C from %(c)s, otherwise D") % {"a": c["grade_a"], "b": c["grade_b"], "c": c["grade_c"]},
        _("Nothing to measure (no arrivals, callbacks, closed orders or scored forms) costs no points."),
    ]
    return lines
