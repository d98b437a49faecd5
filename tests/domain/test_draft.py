from tracker_desktop.domain.draft import DraftLine, InvoiceDraft, TradeIn, validate_draft
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.validation import PostalAddress


def _draft(**kw: object) -> InvoiceDraft:
    base: dict[str, object] = {
        "currency": "USD",
        "customer_name": "A. Buyer",
        "customer_email": "buyer@example.com",
        "lines": [DraftLine("Rolex Daytona 126500LN", 1, Money(3_200_000, "USD"), "w1")],
    }
    base.update(kw)
    return InvoiceDraft(**base)  # type: ignore[arg-type]


def test_good_draft_has_no_errors() -> None:
    draft = _draft()
    assert validate_draft(draft) == {}
    assert draft.total() == Money(3_200_000, "USD")


def test_every_problem_is_collected_with_its_field() -> None:
    draft = _draft(
        customer_name=" ",
        customer_email="nope",
        days_until_due=400,
        customer_address=PostalAddress(city="Geneva"),
        lines=[
            DraftLine("Strap", 2, Money(5_000, "USD")),
            DraftLine("", 0, Money(0, "USD")),
            DraftLine("Watch", 2, Money(-1, "USD"), "w1"),
            DraftLine("Same watch", 1, Money(100, "EUR"), "w1"),
        ],
    )
    errors = validate_draft(draft)
    assert set(errors) == {
        "customer_name",
        "customer_email",
        "days_until_due",
        "customer_address.line1",
        "customer_address.country",
        "lines[1].description",
        "lines[1].quantity",
        "lines[1].unit_price",
        "lines[2].quantity",
        "lines[2].unit_price",
        "lines[3].unit_price",
        "lines[3].watch",
    }
    assert errors["lines[3].watch"] == "This watch is already on line 3"
    assert errors["lines[3].unit_price"] == "This price is in EUR; the invoice is in USD"
    assert errors["lines[2].quantity"] == "A specific watch is sold once: the quantity must be 1"


def test_no_lines_and_over_cap() -> None:
    assert validate_draft(_draft(lines=[])) == {"lines": "Add at least one line"}
    pricey = [
        DraftLine("Patek 5711", 1, Money(90_000_000, "USD"), "w1"),
        DraftLine("Nautilus", 1, Money(20_000_000, "USD"), "w2"),
    ]
    errors = validate_draft(_draft(lines=pricey))
    assert list(errors) == ["total"]
    assert "Stripe accepts at most $999,999.99 on one invoice" in errors["total"]


def test_line_price_rules_for_the_currency() -> None:
    errors = validate_draft(_draft(currency="KWD", lines=[DraftLine("x", 1, Money(1255, "KWD"))]))
    assert errors == {"lines[0].unit_price": "KWD amounts must end in 0 (e.g. 1.250)"}
    one_line_over = [DraftLine("x", 1, Money(100_000_000, "JPY"))]
    errors = validate_draft(_draft(currency="JPY", lines=one_line_over))
    assert list(errors) == ["lines[0].unit_price"]
    assert validate_draft(_draft(currency="XYZ", lines=[]))["currency"]


def _trade_line(allowance: int, **kw: object) -> DraftLine:
    trade = TradeIn(brand="Omega", model="Speedmaster", serial="OM-77")
    return DraftLine(
        "Trade-in: Omega Speedmaster", 1, Money(-allowance, "USD"), trade_in=trade, **kw
    )  # type: ignore[arg-type]


def test_a_trade_in_line_reduces_the_total() -> None:
    draft = _draft()
    draft.lines.append(_trade_line(500_000))
    assert validate_draft(draft) == {}
    assert draft.total() == Money(2_700_000, "USD")


def test_only_a_trade_in_line_may_be_negative() -> None:
    draft = _draft()
    draft.lines.append(DraftLine("Discount", 1, Money(-500_000, "USD")))
    assert validate_draft(draft) == {"lines[1].unit_price": "Enter a price above zero"}


def test_a_trade_in_beyond_the_total_is_refused_beside_the_total() -> None:
    draft = _draft()
    draft.lines.append(_trade_line(3_200_001))
    assert set(validate_draft(draft)) == {"total"}
    assert "below zero" in validate_draft(draft)["total"]
    draft.lines[1] = _trade_line(3_200_000)  # down to zero is allowed
    assert validate_draft(draft) == {}


def test_a_trade_in_needs_its_watch_and_an_allowance() -> None:
    bad = DraftLine(
        "Trade-in", 2, Money(500, "USD"), "w9", TradeIn(brand=" ", model="M", serial="")
    )
    draft = _draft()
    draft.lines.append(bad)
    assert set(validate_draft(draft)) == {
        "lines[1].quantity",
        "lines[1].watch",
        "lines[1].unit_price",
        "lines[1].trade_in.brand",
        "lines[1].trade_in.serial",
    }
    only_trade = _draft(lines=[_trade_line(100)])
    assert "lines" in validate_draft(only_trade)
