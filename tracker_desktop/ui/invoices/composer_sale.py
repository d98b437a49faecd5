"""The composer's deposit, trade-in and split: ComposerDialog holds one and passes itself in.

"Take a deposit" makes the deposit and the balance as one sale and sends the deposit; a total
above Stripe's cap offers "Split into linked invoices"; a trade-in is a credit line on the
invoice, its watch's fields and allowance in the box, every message beside its field.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from tracker_desktop.domain.currencies import currency
from tracker_desktop.domain.errors import TrackerError, ValidationError
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import format_amount, format_money
from tracker_desktop.domain.sale_math import MAX_PARTS, parts_needed, percent_of
from tracker_desktop.services.invoicing.sale_making import SaleMade
from tracker_desktop.services.invoicing.sales import SaleService, SaleView
from tracker_desktop.services.invoicing.views import DraftInput, DraftInvalid, DraftLineInput
from tracker_desktop.ui.tasks import describe_error

if TYPE_CHECKING:
    from tracker_desktop.ui.invoices.composer import ComposerDialog

log = logging.getLogger(__name__)
_LINE_KEY = re.compile(r"^lines\[(\d+)\]\.(.+)$")
_CAP_WORDS = "Stripe accepts at most"


class ComposerSale:
    def __init__(
        self, dialog: ComposerDialog, sales: SaleService | None, profile_id: int, locale: str
    ) -> None:
        self._dialog = dialog
        self._sales = sales
        self._profile_id = profile_id
        self._locale = locale
        self.box = dialog.sale_box
        # A trade-in goes on any invoice; a deposit or a split makes a new sale.
        for widget in (box := self.box).take_deposit, box.deposit_mode, box.deposit_value:
            widget.setVisible(sales is not None)
        self.box.split_button.clicked.connect(self.split)
        self.box.trade_in.toggled.connect(lambda _on: dialog.update_totals())
        self.box.trade_allowance.textChanged.connect(lambda _t: dialog.update_totals())
        self.box.take_deposit.toggled.connect(lambda _on: dialog.update_totals())
        self.box.deposit_mode.currentIndexChanged.connect(lambda _i: dialog.update_totals())
        self.box.deposit_value.textChanged.connect(lambda _t: dialog.update_totals())

    @property
    def wants_deposit(self) -> bool:
        return self._sales is not None and self.box.take_deposit.isChecked()

    # --- the draft --------------------------------------------------------------------------
    def extend(self, draft: DraftInput) -> DraftInput | None:
        """The draft with its trade-in line, or None with the allowance's message shown."""
        try:
            line = self.box.trade_in_line(draft.currency, self._locale)
        except ValidationError as exc:
            self.box.show_errors({exc.field or "trade_in.allowance": str(exc)})
            return None
        if line is not None:
            draft.lines.append(line)
        return draft

    def load_trade_in(self, line: DraftLineInput) -> None:
        """A saved draft's trade-in, back in the box."""
        trade = line.trade_in
        if trade is None:
            return
        self.box.trade_in.setChecked(True)
        for name, edit in self.box.trade_edits.items():
            edit.setText(getattr(trade, name))
        allowance = Money(-line.unit_price.minor, line.unit_price.currency)
        self.box.trade_allowance.setText(format_amount(allowance, self._locale))

    def take_errors(self, errors: dict[str, str], rows: int) -> dict[str, str]:
        """Show this box's messages (the deposit, the trade-in's line), return the rest."""
        mine: dict[str, str] = {}
        rest: dict[str, str] = {}
        for key, message in errors.items():
            match = _LINE_KEY.match(key)
            if key == "deposit" or key.startswith("trade_in."):
                mine[key] = message
            elif match and int(match.group(1)) >= rows and self.box.trade_in.isChecked():
                name = match.group(2)
                mine[name if name.startswith("trade_in.") else f"trade_in.{name}"] = message
            else:
                rest[key] = message
        self.box.show_errors(mine)
        return rest

    def adjust_total(self, total: Money) -> Money:
        """The total the dealer sees: less the allowance, and the split offered above the cap."""
        try:
            line = self.box.trade_in_line(total.currency, self._locale)
        except ValidationError:
            line = None
        if line is not None:
            total = total + line.unit_price
        self.box.deposit_preview.setText(self._deposit_words(total))
        cap = currency(total.currency).max_minor
        over = self._sales is not None and total.minor > cap
        self.box.split_note.setVisible(over)
        self.box.split_button.setVisible(over)
        if over and parts_needed(total) > MAX_PARTS:
            self.box.split_button.setVisible(False)
            self.box.split_note.setText(
                f"Split into at most {MAX_PARTS} invoices; record a wire transfer instead."
            )
        elif over:
            count = parts_needed(total)
            self.box.split_note.setText(
                f"Stripe accepts at most {format_money(Money(cap, total.currency), self._locale)}"
                f" on one invoice: this sale can go as {count} linked invoices, each within it."
            )
            self.box.split_button.setText(f"Split into {count} linked invoices")
        return total

    def _deposit_words(self, total: Money) -> str:
        if not self.wants_deposit or total.minor <= 0:
            return ""
        try:
            choice = self.box.deposit_choice(total.currency, self._locale)
            if choice.by_rule:
                return "as the profile's rule says"
            amount = choice.amount or percent_of(total, choice.percent_bp or 0)
        except ValidationError:
            return ""
        rest = Money(total.minor - amount.minor, total.currency)
        return f"= {format_money(amount, self._locale)}, balance {format_money(rest, self._locale)}"

    # --- sending ----------------------------------------------------------------------------
    def create_deposit(self) -> None:
        draft = self._dialog.collect()
        if draft is None or self._sales is None or self._dialog.runner.busy:
            return
        try:
            choice = self.box.deposit_choice(draft.currency, self._locale)
            made = self._sales.save_deposit_sale(self._profile_id, draft, choice)
        except DraftInvalid as exc:
            self._dialog.show_errors(exc.errors)
            return
        except ValidationError as exc:
            self._dialog.show_errors({exc.field or "deposit": str(exc)})
            return
        except TrackerError as exc:
            self._dialog.form_error.show_message(describe_error(exc))
            return
        self._send(made, "Sending the deposit invoice to Stripe…")

    def split(self) -> None:
        if self._sales is None or self._dialog.runner.busy:
            return
        draft = self._dialog.collect(over_cap=True)
        if draft is None:
            return
        try:
            made = self._sales.save_split_sale(self._profile_id, draft)
        except DraftInvalid as exc:
            self._dialog.show_errors(exc.errors)
            return
        except TrackerError as exc:
            self._dialog.form_error.show_message(describe_error(exc))
            return
        self._send(made, f"Sending {len(made.invoice_ids)} linked invoices to Stripe…")

    def _send(self, made: SaleMade, text: str) -> None:
        assert self._sales is not None
        dialog = self._dialog
        dialog.mark_clean()
        dialog.saved.emit(made.invoice_ids[0])
        dialog.status.setText(text)
        dialog.create_button.setEnabled(False)
        dialog.save_button.setEnabled(False)
        self.box.split_button.setEnabled(False)
        log.info("sale %s made (%s invoices); sending", made.sale_id, len(made.invoice_ids))

        def sent(view: SaleView) -> None:
            dialog.status.setText("")
            dialog.pushed.emit(made.invoice_ids[0])
            dialog.accept()

        def failed(exc: Exception) -> None:
            # Saved as drafts of one sale: the Invoices window sends them again (Retry).
            dialog.status.setText("")
            dialog.push_error.show_message(
                f"{describe_error(exc)} The sale is saved; Retry on its invoices in the "
                "Invoices window continues where this stopped."
            )

        dialog.runner.run(self._sales.send_first(self._profile_id, made.sale_id), sent, failed)


def without_cap_errors(errors: dict[str, str]) -> dict[str, str]:
    """The problems left once Stripe's cap for one invoice is no problem (a split)."""
    return {key: message for key, message in errors.items() if _CAP_WORDS not in message}
