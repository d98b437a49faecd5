import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.domain.invoice_math import (
    check_total_within_stripe_max,
    invoice_total,
    line_total,
)
from tracker_desktop.domain.money import CurrencyMismatch, Money


def test_totals() -> None:
    lines = [(1, Money(1_250_000, "USD")), (2, Money(15_000, "USD"))]
    assert line_total(2, Money(15_000, "USD")) == Money(30_000, "USD")
    assert invoice_total(lines, "USD") == Money(1_280_000, "USD")
    assert invoice_total([], "EUR") == Money(0, "EUR")
    with pytest.raises(CurrencyMismatch):
        invoice_total([(1, Money(1, "EUR"))], "USD")


@given(st.lists(st.tuples(st.integers(1, 20), st.integers(0, 10**9)), max_size=10))
def test_total_is_sum_of_lines(raw: list[tuple[int, int]]) -> None:
    lines = [(q, Money(m, "JPY")) for q, m in raw]
    assert invoice_total(lines, "JPY").minor == sum(q * m for q, m in raw)
    assert invoice_total(reversed(lines), "JPY") == invoice_total(lines, "JPY")


def test_cap_message_explains_the_way_out() -> None:
    check_total_within_stripe_max(Money(99_999_999, "USD"))
    with pytest.raises(ValidationError) as e:
        check_total_within_stripe_max(Money(100_000_000, "USD"))
    msg = str(e.value)
    assert "Stripe accepts at most $999,999.99 on one invoice" in msg
    assert "$1,000,000.00" in msg
    assert "deposit invoice and a balance invoice" in msg
    assert "wire transfer" in msg
    assert e.value.field == "total"
    with pytest.raises(ValidationError, match=r"99\.999\.999"):
        check_total_within_stripe_max(Money(100_000_000, "JPY"), "de_DE")
