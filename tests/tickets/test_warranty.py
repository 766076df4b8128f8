"""三包 rules (SPEC §2): each decision with its rule and the dates that decided it."""

from datetime import date

import pytest

from tickets.warranty import Decision, Exclusion, PastRepair, Policy, UnitFacts, decide

BOUGHT = date(2026, 3, 1)
UNIT = UnitFacts(purchase_date=BOUGHT, warranty_end=date(2027, 2, 28))


@pytest.mark.parametrize(
    "on, decision, rule",
    [
        (date(2026, 3, 8), Decision.RETURN, "return_window"),  # day 7
        (date(2026, 3, 9), Decision.EXCHANGE, "exchange_window"),  # day 8
        (date(2026, 3, 31), Decision.EXCHANGE, "exchange_window"),  # day 30
        (date(2026, 4, 1), Decision.FREE_REPAIR, "warranty"),  # day 31
        (date(2027, 2, 28), Decision.FREE_REPAIR, "warranty"),  # last warranty day
        (date(2027, 3, 1), Decision.PAID, "out_of_warranty"),
    ],
)
def test_windows_after_purchase(on, decision, rule):
    answer = decide(UNIT, on=on)
    assert (answer.decision, answer.rule) == (decision, rule)
    assert answer.reason
    assert answer.dates["purchase_date"] == "2026-03-01"


def test_external_damage_voids_exchange_but_not_repair():
    answer = decide(UNIT, on=date(2026, 3, 20), external_damage=True)
    assert answer.decision == Decision.FREE_REPAIR


def test_exclusions_make_it_paid_whatever_the_date():
    answer = decide(UNIT, on=date(2026, 3, 2), exclusions=(Exclusion.DISASSEMBLY,))
    assert answer.decision == Decision.PAID and answer.rule == "exclusion"
    assert answer.category == "A"


def test_accessories_have_six_months():
    assert decide(UNIT, on=date(2026, 8, 31), accessory=True).decision == Decision.FREE_REPAIR
    assert decide(UNIT, on=date(2026, 9, 2), accessory=True).decision == Decision.PAID


def test_same_problem_within_three_months_after_a_repair_is_free_even_out_of_warranty():
    unit = UnitFacts(BOUGHT, date(2027, 2, 28), past_repairs=(PastRepair(date(2027, 2, 10), "E4"),))
    answer = decide(unit, on=date(2027, 5, 9), fault_code="E4")
    assert answer.decision == Decision.FREE_REPAIR and answer.rule == "post_repair"
    assert answer.dates["free_until"] == "2027-05-10"
    assert decide(unit, on=date(2027, 5, 11), fault_code="E4").decision == Decision.PAID
    assert decide(unit, on=date(2027, 4, 1), fault_code="OTHER").decision == Decision.PAID


def test_a_repeated_same_fault_extends_the_warranty_by_two_months():
    repairs = (PastRepair(date(2026, 6, 1), "E1"), PastRepair(date(2026, 8, 1), "E1"))
    unit = UnitFacts(BOUGHT, date(2027, 2, 28), past_repairs=repairs)
    answer = decide(unit, on=date(2027, 4, 20), fault_code="E1")
    assert answer.decision == Decision.FREE_REPAIR and answer.rule == "warranty_extended"
    assert answer.dates["warranty_end"] == "2027-04-28"


def test_contract_covers_after_the_warranty():
    unit = UnitFacts(BOUGHT, date(2027, 2, 28), contract_periods=((date(2027, 1, 1), date(2027, 12, 31), "HT-1"),))
    answer = decide(unit, on=date(2027, 6, 1))
    assert (answer.decision, answer.category) == (Decision.CONTRACT, "B")
    assert "HT-1" in answer.reason


def test_policy_numbers_come_from_the_product_line_policy():
    answer = decide(UNIT, on=date(2026, 3, 12), policy=Policy(return_days=15))
    assert answer.decision == Decision.RETURN


def test_a_fault_before_purchase_is_refused():
    with pytest.raises(ValueError):
        decide(UNIT, on=date(2026, 2, 1))
