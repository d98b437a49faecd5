from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker_desktop.domain.money import CurrencyMismatch, Money

codes = st.sampled_from(["USD", "JPY", "KWD"])
minor = st.integers(-(10**12), 10**12)


@given(a=minor, b=minor, c=minor, code=codes)
def test_addition_is_associative_and_commutative(a: int, b: int, c: int, code: str) -> None:
    x, y, z = Money(a, code), Money(b, code), Money(c, code)
    assert x + y == y + x
    assert (x + y) + z == x + (y + z)
    assert x + Money.zero(code) == x
    assert (x + y) - y == x


@given(a=minor, q=st.integers(0, 1000), r=st.integers(0, 1000), code=codes)
def test_multiplication_distributes(a: int, q: int, r: int, code: str) -> None:
    x = Money(a, code)
    assert x * (q + r) == x * q + x * r


@given(a=minor, code=codes)
def test_major_round_trip_is_exact(a: int, code: str) -> None:
    x = Money(a, code)
    assert isinstance(x.to_major(), Decimal)
    assert Money.from_major(x.to_major(), code) == x


def test_floats_and_mixed_currencies_are_refused() -> None:
    with pytest.raises(TypeError):
        Money(1.5, "USD")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(1, "USD") * 1.5  # type: ignore[operator]
    with pytest.raises(CurrencyMismatch):
        Money(1, "USD") + Money(1, "EUR")
