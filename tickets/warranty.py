"""三包 — the warranty entitlement of a unit for a fault on a date. Pure: no database.

:func:`decide` answers with the decision, the rule that decided it and the dates it compared, so
the dispatcher and the technician can tell the customer *why*.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_lazy as _


class Decision:
    RETURN = "return"
    EXCHANGE = "exchange"
    FREE_REPAIR = "free_repair"
    CONTRACT = "contract"
    PAID = "paid"

    LABELS = {
        RETURN: _("Return (退货)"),
        EXCHANGE: _("Exchange for the same model (换货)"),
        FREE_REPAIR: _("Free repair (免费保修)"),
        CONTRACT: _("Covered by the service contract"),
        PAID: _("Paid repair"),
    }
    # Work-order category that follows from the decision (SPEC §6: A paid, B contract, C free).
    CATEGORY = {RETURN: "C", EXCHANGE: "C", FREE_REPAIR: "C", CONTRACT: "B", PAID: "A"}


class Exclusion:
    MISUSE = "misuse"
    DISASSEMBLY = "disassembly"
    FORCE_MAJEURE = "force_majeure"
    ALTERED_SERIAL = "altered_serial"

    LABELS = {
        MISUSE: _("damage caused by the customer's misuse"),
        DISASSEMBLY: _("unauthorised disassembly"),
        FORCE_MAJEURE: _("force majeure"),
        ALTERED_SERIAL: _("altered or removed serial number"),
    }


@dataclass(frozen=True)
class Policy:
    return_days: int = 7
    exchange_days: int = 30
    repair_months: int = 12
    accessory_months: int = 6
    repeat_fault_extension_months: int = 2
    post_repair_months: int = 3


@dataclass(frozen=True)
class PastRepair:
    day: date
    fault_code: str


@dataclass(frozen=True)
class UnitFacts:
    purchase_date: date
    warranty_end: date
    past_repairs: tuple[PastRepair, ...] = ()
    contract_periods: tuple[tuple[date, date, str], ...] = ()  # (start, end, contract number)


@dataclass(frozen=True)
class Answer:
    decision: str
    rule: str
    reason: str
    dates: dict = field(default_factory=dict)

    @property
    def category(self) -> str:
        return Decision.CATEGORY[self.decision]

    @property
    def label(self) -> str:
        return str(Decision.LABELS[self.decision])


def _d(day: date) -> str:
    return day.isoformat()


def decide(
    unit: UnitFacts,
    *,
    on: date,
    fault_code: str = "",
    quality_fault: bool = True,
    external_damage: bool = False,
    accessory: bool = False,
    exclusions: tuple[str, ...] = (),
    policy: Policy = Policy(),
) -> Answer:
    """The entitlement for a fault reported ``on`` a day; rules in the order SPEC §2 gives them."""
    age_days = (on - unit.purchase_date).days
    if age_days < 0:
        raise ValueError("the fault date is before the purchase date")
    bought = {"purchase_date": _d(unit.purchase_date), "fault_date": _d(on)}

    if exclusions:
        names = "、".join(str(Exclusion.LABELS.get(e, e)) for e in exclusions)
        return Answer(Decision.PAID, "exclusion", str(_("Excluded from the warranty: %(what)s.") % {"what": names}), bought)

    if quality_fault and age_days <= policy.return_days:
        return Answer(
            Decision.RETURN, "return_window",
            str(_("Quality fault %(days)d days after purchase, within the %(limit)d-day return period.") % {"days": age_days, "limit": policy.return_days}),
            {**bought, "return_until": _d(unit.purchase_date + relativedelta(days=policy.return_days))},
        )

    if quality_fault and age_days <= policy.exchange_days:
        if not external_damage:
            return Answer(
                Decision.EXCHANGE, "exchange_window",
                str(_("Quality fault %(days)d days after purchase, within the %(limit)d-day exchange period.") % {"days": age_days, "limit": policy.exchange_days}),
                {**bought, "exchange_until": _d(unit.purchase_date + relativedelta(days=policy.exchange_days))},
            )

    same = [r for r in unit.past_repairs if fault_code and r.fault_code == fault_code and r.day <= on]
    if same:
        last = max(r.day for r in same)
        free_until = last + relativedelta(months=policy.post_repair_months)
        if on <= free_until:
            return Answer(
                Decision.FREE_REPAIR, "post_repair",
                str(_("The same problem was repaired on %(last)s; it is repaired free until %(until)s.") % {"last": _d(last), "until": _d(free_until)}),
                {**bought, "last_repair": _d(last), "free_until": _d(free_until)},
            )

    if accessory:
        end = unit.purchase_date + relativedelta(months=policy.accessory_months)
        rule = "accessory_warranty"
    else:
        end = unit.warranty_end
        rule = "warranty"
    extended = False
    if len(same) >= 2 and not accessory:
        # Repaired again for the same fault: the warranty is extended (SPEC §2).
        end = end + relativedelta(months=policy.repeat_fault_extension_months)
        extended = True
    if on <= end:
        if extended:
            reason = _("Within the warranty, extended by %(months)d months for a repeated fault, until %(end)s.") % {
                "months": policy.repeat_fault_extension_months, "end": _d(end)}
        elif accessory:
            reason = _("Accessory within its %(months)d-month warranty, until %(end)s.") % {"months": policy.accessory_months, "end": _d(end)}
        else:
            reason = _("Within the warranty until %(end)s.") % {"end": _d(end)}
        return Answer(Decision.FREE_REPAIR, rule + ("_extended" if extended else ""), str(reason), {**bought, "warranty_end": _d(end)})

    for start, stop, number in unit.contract_periods:
        if start <= on <= stop:
            return Answer(
                Decision.CONTRACT, "contract",
                str(_("Out of warranty, covered by contract %(number)s until %(end)s.") % {"number": number, "end": _d(stop)}),
                {**bought, "warranty_end": _d(end), "contract_end": _d(stop)},
            )

    return Answer(
        Decision.PAID, "out_of_warranty",
        str(_("Out of warranty since %(end)s and not under contract: paid repair.") % {"end": _d(end)}),
        {**bought, "warranty_end": _d(end)},
    )
