"""The dealer's story the screenshots tell, entered only through the app's own services.

Clients, watches and invoices go in as the windows would put them; the buyers act through
the simulator's documented `/_sandbox/` controls (what the hosted page does); the running
poller learns what happened, as it would from Stripe.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from tracker_desktop.domain.errors import TrackerError
from tracker_desktop.domain.money import Money
from tracker_desktop.services.app_services import AppServices
from tracker_desktop.services.clients.client_service import ClientInput
from tracker_desktop.services.inventory.watch_service import InventoryService, WatchForm
from tracker_desktop.services.invoicing.invoice_service import (
    DraftInput,
    DraftLineInput,
    InvoiceService,
)
from tracker_desktop.services.sync.supervisor import SyncSupervisor

CARD_OK = "4242424242424242"
CARD_MASTERCARD = "5555555555554444"
CARD_DECLINED = "4000000000000002"
MEMO = "Thank you for your purchase."

# name, company, email, phone, (line1, city, state, postal code, country), in Stripe
CLIENTS: tuple[tuple[str, str, str, str, tuple[str, str, str, str, str], bool], ...] = (
    ("Hans Keller", "Keller Treuhand AG", "hans.keller@example.ch", "+41 44 555 01 20",
     ("Bahnhofstrasse 21", "Zürich", "", "8001", "CH"), True),
    ("Sofia Marchetti", "", "sofia.marchetti@example.it", "+39 02 5550 1188",
     ("Via Montenapoleone 8", "Milano", "MI", "20121", "IT"), True),
    ("Kenji Watanabe", "Ginza Time Collectors", "k.watanabe@example.jp", "+81 3 5550 2111",
     ("4-6-16 Ginza, Chuo-ku", "Tokyo", "", "104-0061", "JP"), True),
    ("Amelia Hart", "", "amelia.hart@example.co.uk", "+44 20 7946 0321",
     ("14 Mount Street", "London", "", "W1K 2RW", "GB"), True),
    ("Daniel Rosenberg", "Rosenberg & Partners", "d.rosenberg@example.com", "+1 212 555 0148",
     ("725 Fifth Avenue", "New York", "NY", "10022", "US"), True),
    ("Amélie Favre", "Favre Horlogerie", "amelie.favre@example.ch", "+41 22 555 44 10",
     ("Rue du Rhône 62", "Genève", "", "1204", "CH"), True),
    ("Omar Al-Mansouri", "", "omar.almansouri@example.ae", "+971 4 555 8899",
     ("Jumeirah Beach Road 12", "Dubai", "", "", "AE"), True),
    ("Lukas Brenner", "Brenner Uhren GmbH", "lukas.brenner@example.de", "+49 89 5550 5500",
     ("Maximilianstrasse 17", "München", "", "80539", "DE"), True),
    ("Tan Wei Ling", "", "weiling.tan@example.sg", "+65 6555 1020",
     ("1 Scotts Road", "Singapore", "", "228208", "SG"), False),
    ("Margaret O'Sullivan", "", "maggie.osullivan@example.ie", "+353 1 555 0400",
     ("22 Merrion Square", "Dublin", "", "D02 XE80", "IE"), False),
)  # fmt: skip

# brand, model, reference, serial, year, condition, box, papers, cost, asking price (USD)
WATCHES: tuple[tuple[str, str, str, str, str, str, bool, bool, str, str], ...] = (
    ("Patek Philippe", "Nautilus", "5711/1A-010", "5711X42", "2019", "Excellent", True, True,
     "98,000", "128,500"),
    ("Rolex", "Cosmograph Daytona", "126500LN", "DAY6R1T2", "2023", "Unworn", True, True,
     "27,000", "33,500"),
    ("Audemars Piguet", "Royal Oak", "15500ST.OO.1220ST.01", "K92218", "2020", "Mint", True,
     True, "38,500", "46,900"),
    ("A. Lange & Söhne", "Lange 1", "191.032", "L1-191032", "2018", "Excellent", True, True,
     "29,000", "39,800"),
    ("Vacheron Constantin", "Overseas", "4500V/110A-B128", "VC1120934", "2020", "Mint", True,
     True, "21,000", "26,900"),
    ("Cartier", "Santos de Cartier", "WSSA0018", "CSA40771", "2021", "Good", False, True,
     "5,100", "6,450"),
    ("Rolex", "GMT-Master II", "126710BLRO", "GMT88P2Q", "2022", "Excellent", True, True,
     "18,500", "22,750"),
    ("IWC", "Portugieser Chronograph", "IW371605", "IW5530187", "2021", "Very good", True,
     True, "6,900", "8,950"),
    ("Jaeger-LeCoultre", "Reverso Tribute Duoface", "Q3988482", "JLC3398120", "2022", "Mint",
     True, True, "11,200", "14,600"),
    ("Rolex", "Submariner Date", "126610LN", "7S2A9XXX", "2021", "Unworn", True, True,
     "9,800", "14,250"),
    ("Tudor", "Black Bay Fifty-Eight", "79030N", "T58Q4411", "2022", "Excellent", True, True,
     "2,900", "3,650"),
    ("Omega", "Speedmaster Moonwatch", "310.30.42.50.01.001", "OM3861A", "2022", "Very good",
     True, False, "5,200", "6,900"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Seeded:
    """What the shots select: ids in the practice profile."""

    profile_id: int
    paid_after_decline: int  # an invoice whose timeline tells the whole story
    payment_failed: int
    client_with_card: int
    composer_watches: tuple[int, int]  # in stock, for the composer


class SimulatorControls:
    """The simulator's `/_sandbox/` controls over HTTP: the buyer's clicks, Stripe's clock."""

    def __init__(self, base_url: str) -> None:
        self._base = base_url.rstrip("/")

    def _post(self, path: str, body: dict[str, object]) -> dict[str, object]:
        answer = httpx.post(f"{self._base}/_sandbox/{path}", json=body, timeout=10)
        if answer.status_code != 200:
            raise TrackerError(f"simulator control {path} refused: {answer.text}")
        result: dict[str, object] = answer.json()
        return result

    def pay(self, stripe_invoice_id: str, card: str = CARD_OK) -> str:
        return str(self._post(f"invoices/{stripe_invoice_id}/pay_as_buyer", {"card": card}))

    def bank_debit(self, stripe_invoice_id: str) -> None:
        self._post(f"invoices/{stripe_invoice_id}/pay_as_buyer", {"method": "us_bank_account"})

    def advance_clock(self, seconds: int) -> None:
        self._post("clock", {"advance_seconds": seconds})


class Story:
    """Seeds the active (Practice) profile of a running app."""

    def __init__(self, services: AppServices) -> None:
        pid, simulator = services.base.active.id, services.gateways.practice_base_url
        if pid is None or not simulator:
            raise TrackerError("the screenshots need the Practice profile running")
        self.pid = pid
        self.clients = services.clients
        self.inventory: InventoryService = services.inventory
        self.invoices: InvoiceService = services.invoices
        self.poller: SyncSupervisor = services.sync
        self.buyer = SimulatorControls(simulator)
        self.footer = self.inventory.profile_defaults(self.pid).footer
        self.client_ids: dict[str, int] = {}
        self.watch_ids: dict[str, int] = {}
        self.local_of: dict[str, int] = {}  # Stripe invoice id -> local invoice id

    async def add_clients(self) -> None:
        for name, company, email, phone, (line1, city, state, postal, country), linked in CLIENTS:
            form = ClientInput(name, company, email, phone, line1, "", city, state, postal, country)
            saved = self.clients.clients.save(self.pid, None, form)
            self.client_ids[name] = saved.id
            if linked:
                await self.clients.sync.push(self.pid, saved.id)

    def add_watches(self) -> None:
        for brand, model, ref, serial, year, cond, box, papers, cost, ask in WATCHES:
            form = WatchForm(brand, model, serial, "USD", ref, year, cond, box, papers, cost, ask)
            self.watch_ids[serial] = self.inventory.add(self.pid, form).id

    def draft(self, client: str, serial: str, *extra: tuple[str, int], due: int = 14) -> int:
        watch = self.inventory.get(self.pid, self.watch_ids[serial])
        assert watch.asking_price is not None
        lines = [DraftLineInput(watch.line_description, 1, watch.asking_price, watch.id)]
        lines += [DraftLineInput(text, 1, Money(minor, "USD")) for text, minor in extra]
        draft = DraftInput(
            "USD",
            lines,
            contact_id=self.client_ids[client],
            days_until_due=due,
            memo=MEMO,
            footer=self.footer,
        )
        return self.invoices.save_draft(self.pid, draft)

    async def invoice(
        self, client: str, serial: str, *extra: tuple[str, int], due: int = 14
    ) -> str:
        """Saved and pushed: open in Stripe. Returns the Stripe invoice id."""
        local = self.draft(client, serial, *extra, due=due)
        detail = await self.invoices.push(self.pid, local)
        assert detail.stripe_invoice_id is not None
        self.local_of[detail.stripe_invoice_id] = local
        return detail.stripe_invoice_id

    async def sync(self) -> None:
        """ "Sync now": the poller reads Stripe's events and applies them."""
        if await self.poller.poll_now() is None:
            raise TrackerError("the poller did not sync; see the app's log")

    async def run(self) -> Seeded:
        await self.add_clients()
        self.add_watches()
        shipping = ("Insured shipping to Zurich", 35_000)
        paid_story = await self.invoice("Hans Keller", "5711X42", shipping)
        failed = await self.invoice("Sofia Marchetti", "DAY6R1T2")
        debit = await self.invoice("Kenji Watanabe", "K92218")
        lange = await self.invoice("Amelia Hart", "L1-191032")
        wire = await self.invoice("Daniel Rosenberg", "VC1120934", ("Service and polish", 45_000))
        voided = await self.invoice("Lukas Brenner", "CSA40771")
        sent = await self.invoice("Omar Al-Mansouri", "GMT88P2Q")
        await self.invoice("Amélie Favre", "IW5530187", due=0)  # due on receipt
        self.draft("Margaret O'Sullivan", "JLC3398120")

        await self.invoices.send_email(self.pid, self.local_of[paid_story])
        await self.invoices.send_email(self.pid, self.local_of[sent])
        self.buyer.pay(paid_story, CARD_DECLINED)
        self.buyer.pay(failed, CARD_DECLINED)
        self.buyer.bank_debit(debit)
        self.buyer.pay(lange, CARD_MASTERCARD)
        await self.invoices.record_wire(self.pid, self.local_of[wire], "UBS wire, ref 2611-4471")
        await self.invoices.void(self.pid, self.local_of[voided])
        await self.sync()
        self.buyer.pay(paid_story)  # the buyer tries another card
        self.buyer.advance_clock(3600)  # an hour on: the due-on-receipt invoice is overdue
        await self.sync()
        for name in ("Hans Keller", "Amelia Hart"):  # "Visa ending 4242" beside the client
            await self.clients.sync.refresh(self.pid, self.client_ids[name])
        return Seeded(
            profile_id=self.pid,
            paid_after_decline=self.local_of[paid_story],
            payment_failed=self.local_of[failed],
            client_with_card=self.client_ids["Hans Keller"],
            composer_watches=(self.watch_ids["7S2A9XXX"], self.watch_ids["T58Q4411"]),
        )
