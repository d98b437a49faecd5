"""The Dashboard: the year's goal and its progress, paid sales by month (this year and last),
margin over purchase cost, what is still owed, the best clients and brands.

Every figure is per currency, summed by the database (db/repositories/dashboard); nothing is
converted. Purchase cost and margin are read here for the dealer's own screen only; nothing
of this module reaches Stripe, and at the front desk (services/front_desk) they are not read
at all: `margins` and `sale_margins` are None. `read` blocks: the window runs it on the
database worker.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.repositories import dashboard as repo
from tracker_desktop.db.repositories import dashboard_ranks as ranks
from tracker_desktop.db.repositories import sales_goal
from tracker_desktop.domain.currencies import currency
from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.domain.invoice_state import DisplayKind
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import LocaleLike, parse_money
from tracker_desktop.services.front_desk import FrontDesk
from tracker_desktop.services.invoicing.views import InvoiceFilters

DEFAULT_GOAL_MAJOR = 100_000
TOP = 5  # best clients per currency, best brands
_beside = ThreadPoolExecutor(1, thread_name_prefix="tracker-dashboard")


def month_starts(year: int) -> tuple[dt.datetime, ...]:
    """The first instant of each month from January of last year to January of next year
    (25), at the dealer's local midnight as the Invoices window's date filter has it."""
    days = [dt.datetime(year - 1 + m // 12, m % 12 + 1, 1) for m in range(25)]
    return tuple(day.astimezone().astimezone(dt.UTC) for day in days)


def default_goal(code: str) -> Money:
    return Money(DEFAULT_GOAL_MAJOR * 10 ** currency(code).exponent, code)


@dataclass(frozen=True, slots=True)
class CurrencyYear:
    """One currency's paid sales: twelve months of last year and of this year."""

    currency: str
    last_year: tuple[int, ...]  # minor units, January first
    this_year: tuple[int, ...]
    sales_this_year: int

    @property
    def paid_this_year(self) -> Money:
        return Money(sum(self.this_year), self.currency)


@dataclass(frozen=True, slots=True)
class MarginYear:
    currency: str
    sold: tuple[int, ...]  # this year's watch lines (with a known cost) per month
    cost: tuple[int, ...]
    sales: int

    @property
    def margin(self) -> tuple[int, ...]:
        return tuple(s - c for s, c in zip(self.sold, self.cost, strict=True))

    @property
    def total(self) -> Money:
        return Money(sum(self.margin), self.currency)


@dataclass(frozen=True, slots=True)
class Dashboard:
    profile_id: int
    year: int
    starts: tuple[dt.datetime, ...]  # month_starts(year)
    goal: Money
    goal_is_default: bool
    sales: tuple[CurrencyYear, ...]  # the goal's currency first, then by code
    margins: tuple[MarginYear, ...] | None  # None: hidden at the front desk
    sale_margins: tuple[repo.SaleMargin, ...] | None
    owed: tuple[repo.KindSum, ...]  # per shown status, then currency
    oldest: tuple[repo.OpenInvoice, ...]
    clients: tuple[ranks.ClientSum, ...]  # the best TOP of each currency, best first
    brands: tuple[tuple[str, int, tuple[Money, ...]], ...]  # brand, watches, amounts

    def percent_of_goal(self) -> int:
        """Paid this year in the goal's currency, in whole percent of the goal (rounded down)."""
        code = self.goal.currency
        paid = next((s.paid_this_year.minor for s in self.sales if s.currency == code), 0)
        return paid * 100 // self.goal.minor if self.goal.minor > 0 else 0

    def month_filters(self, month: int, last_year: bool = False) -> InvoiceFilters:
        """The Invoices window's filters showing the paid invoices of one month (0-11)."""
        index = month if last_year else month + 12
        return InvoiceFilters(
            statuses=(DisplayKind.PAID,),
            created_from=self.starts[index],
            created_before=self.starts[index + 1],
        )

    def year_filters(self, contact_id: int | None = None, text: str = "") -> InvoiceFilters:
        return InvoiceFilters(
            statuses=(DisplayKind.PAID,),
            created_from=self.starts[12],
            created_before=self.starts[24],
            contact_id=contact_id,
            text=text,
        )


def owed_filters(kind: DisplayKind) -> InvoiceFilters:
    return InvoiceFilters(statuses=(kind,))


class DashboardService:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        front_desk: FrontDesk | None = None,
    ) -> None:
        self._sessions = session_factory
        self._clock = clock
        self.front_desk = front_desk or FrontDesk()

    def goal(self, profile_id: int) -> tuple[Money, bool]:
        """(the goal, whether it is the default)."""
        with self._sessions() as session:
            minor, code, default_code = sales_goal.sales_goal(session, profile_id)
        if minor is None or code is None:
            return default_goal(default_code), True
        return Money(minor, code), False

    def set_goal(self, profile_id: int, text: str, code: str, locale: LocaleLike) -> Money:
        """Parse and keep the goal; a ValidationError (field "goal") says what is wrong."""
        goal = parse_money(text, code, locale, field="goal")
        if goal.minor <= 0:
            raise ValidationError("The goal must be above zero.", field="goal")
        with session_scope(self._sessions, write=True) as session:
            sales_goal.set_sales_goal(session, profile_id, goal.minor, goal.currency)
        return goal

    def _lines_and_watches(
        self, profile_id: int, starts: tuple[dt.datetime, ...], hide_cost: bool
    ) -> tuple[list[repo.MarginSum] | None, list[repo.SaleMargin] | None, list[ranks.BrandSum]]:
        with self._sessions() as session:
            brands = ranks.brands_sold(session, profile_id, starts[12], starts[24])
            if hide_cost:
                return None, None, brands
            return (
                repo.margin_by_month(session, profile_id, starts[12:]),
                repo.margin_by_sale(session, profile_id, starts[12], starts[24]),
                brands,
            )

    def read(self, profile_id: int) -> Dashboard:
        now = self._clock()
        year = now.astimezone().year
        starts = month_starts(year)
        goal, is_default = self.goal(profile_id)
        # The sums over lines and watches run beside the others, on a connection of their
        # own: SQLite works without Python's lock, so on two cores the page waits for the
        # longer half only.
        hide = self.front_desk.hides_cost(profile_id)
        joined = _beside.submit(self._lines_and_watches, profile_id, starts, hide)
        with self._sessions() as session:
            by_month = repo.paid_by_month(session, profile_id, starts)
            owed = repo.receivables(session, profile_id, now)
            oldest = repo.oldest_open(session, profile_id)
            clients = ranks.clients_paid(session, profile_id, starts[12], starts[24], TOP)
        margins, sale_margins, brands = joined.result()
        return Dashboard(
            profile_id=profile_id,
            year=year,
            starts=starts,
            goal=goal,
            goal_is_default=is_default,
            sales=_sales(by_month, goal.currency),
            margins=None if margins is None else _margins(margins),
            sale_margins=None if sale_margins is None else tuple(sale_margins),
            owed=tuple(
                sorted(owed, key=lambda k: (repo.RECEIVABLE_KINDS.index(k.kind), k.currency))
            ),
            oldest=tuple(oldest),
            clients=tuple(clients),
            brands=_best_brands(brands),
        )


def _sales(rows: list[repo.MonthSum], goal_currency: str) -> tuple[CurrencyYear, ...]:
    months: dict[str, list[int]] = defaultdict(lambda: [0] * 24)
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        months[row.currency][row.month] += row.minor
        if row.month >= 12:
            counts[row.currency] += row.count
    months[goal_currency]  # the goal's currency is shown even with nothing sold yet
    order = sorted(months, key=lambda code: (code != goal_currency, code))
    return tuple(
        CurrencyYear(code, tuple(months[code][:12]), tuple(months[code][12:]), counts[code])
        for code in order
    )


def _margins(rows: list[repo.MarginSum]) -> tuple[MarginYear, ...]:
    sold: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    cost: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    sales: dict[str, int] = defaultdict(int)
    for row in rows:
        sold[row.currency][row.month] += row.sold_minor
        cost[row.currency][row.month] += row.cost_minor
        sales[row.currency] += row.sales
    return tuple(
        MarginYear(code, tuple(sold[code]), tuple(cost[code]), sales[code]) for code in sorted(sold)
    )


def _best_brands(rows: list[ranks.BrandSum]) -> tuple[tuple[str, int, tuple[Money, ...]], ...]:
    watches: dict[str, int] = defaultdict(int)
    amounts: dict[str, list[Money]] = defaultdict(list)
    for row in rows:
        watches[row.brand] += row.watches
        amounts[row.brand].append(Money(row.minor, row.currency))
    order = sorted(watches, key=lambda brand: (-watches[brand], brand))[:TOP]
    return tuple(
        (brand, watches[brand], tuple(sorted(amounts[brand], key=lambda m: m.currency)))
        for brand in order
    )
