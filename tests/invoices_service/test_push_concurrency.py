"""Pushes at the same time: for one client (one Stripe customer, whatever the faults), and
of one invoice from two windows or two computers (one run at a time, a dead one released)."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from tracker_desktop.db.models import Contact, Invoice
from tracker_desktop.domain.errors import ActionNotAllowed, GatewayError
from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.services.invoicing import push_lease
from tracker_desktop.services.invoicing.invoice_service import InvoiceService, PushStep
from tracker_desktop.services.invoicing.push_recovery import INTERRUPTED

from .conftest import Env, draft

CHILD = Path(__file__).with_name("push_child.py")


def _client_drafts(env: Env, client: int, count: int) -> list[int]:
    return [
        env.service.save_draft(
            env.profile_id, draft((f"Strap no. {n}", 10_000 + n, None), contact_id=client)
        )
        for n in range(count)
    ]


def _linked_customer(env: Env, client: int) -> str | None:
    with env.sessions() as s:
        contact = s.get(Contact, client)
        assert contact is not None
        return contact.stripe_customer_id


def test_twenty_concurrent_pushes_for_one_client_make_one_customer(env: Env) -> None:
    client = env.add_client("Ada Lovelace", "ada@example.com")
    ids = _client_drafts(env, client, 20)

    async def all_at_once(service: InvoiceService) -> list[Any]:
        return await asyncio.gather(*(service.push(env.profile_id, i) for i in ids))

    sent = env.run(all_at_once)

    assert {d.state for d in sent} == {InvoiceState.OPEN}
    customers = env.stripe_customers()
    assert len(customers) == 1
    assert _linked_customer(env, client) == customers[0].id
    assert {i.customer_id for i in env.stripe_invoices()} == {customers[0].id}


def test_pushes_for_one_client_from_two_processes_make_one_customer(env: Env, db: Any) -> None:
    client = env.add_client("Grace Hopper", "grace@example.com")
    ids = _client_drafts(env, client, 20)
    child_env = {**os.environ, "TRACKER_TEST_KEY": env.key}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(CHILD),
                db.url,
                env.sb.base_url,
                str(env.profile_id),
                ",".join(str(i) for i in half),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env,
        )
        for half in (ids[:10], ids[10:])
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _out, err in outputs]

    assert len(env.stripe_customers()) == 1
    assert {env.service.get(env.profile_id, i).state for i in ids} == {InvoiceState.OPEN}


@pytest.mark.parametrize("keys_expire", [False, True])
def test_lost_create_customer_answer_for_a_client_makes_one_customer(
    env: Env, keys_expire: bool
) -> None:
    client = env.add_client("Alan Turing", "alan@example.com")
    [inv_id] = _client_drafts(env, client, 1)

    def strike(at: PushStep) -> None:
        if at is PushStep.CUSTOMER:
            env.sb.inject_faults(next=1, kinds=["drop"], phase="after", methods=["POST"])

    with pytest.raises(GatewayError):
        env.run(lambda s: s.push(env.profile_id, inv_id, strike))
    env.sb.clear_faults()
    assert _linked_customer(env, client) is None  # the answer never came
    assert len(env.stripe_customers()) == 1  # but Stripe made it
    if keys_expire:
        env.advance(dt.timedelta(hours=25))

    env.run(lambda s: s.push(env.profile_id, inv_id))

    customers = env.stripe_customers()
    assert len(customers) == 1
    assert _linked_customer(env, client) == customers[0].id


def test_two_windows_pushing_one_invoice_run_it_once(env: Env) -> None:
    inv_id = env.service.save_draft(env.profile_id, draft(("Rolex GMT-Master II", 1_450_000, None)))

    async def two_windows() -> list[Any]:
        async with env.gateway() as gw:
            first = InvoiceService(env.sessions, lambda _pid: gw, env.hub, env.now)
            second = InvoiceService(env.sessions, lambda _pid: gw, env.hub, env.now)
            return await asyncio.gather(
                first.push(env.profile_id, inv_id),
                second.push(env.profile_id, inv_id),
                return_exceptions=True,
            )

    results = asyncio.run(two_windows())

    refused = [r for r in results if isinstance(r, ActionNotAllowed)]
    assert len(refused) == 1, results
    assert "another window or computer" in str(refused[0])
    assert env.service.get(env.profile_id, inv_id).state is InvoiceState.OPEN
    assert len(env.stripe_invoices()) == 1


def test_a_push_held_by_another_computer_waits_for_its_lease(env: Env) -> None:
    inv_id = env.service.save_draft(env.profile_id, draft(("Breitling Navitimer", 880_000, None)))
    with env.sessions() as s, s.begin():
        s.execute(
            update(Invoice)
            .where(Invoice.id == inv_id)
            .values(
                state="pushing",
                push_owner="front-desk-pc/4242/0123456789ab",
                push_lease_until=env.now() + dt.timedelta(seconds=30),
                push_started_at=env.now(),
            )
        )

    with pytest.raises(ActionNotAllowed, match="another window or computer"):
        env.run(lambda s: s.push(env.profile_id, inv_id))
    assert env.service.release_dead_pushes(env.profile_id) == []  # its lease still runs

    env.clock_offset += dt.timedelta(seconds=61)  # that computer stopped renewing it
    assert env.service.release_dead_pushes(env.profile_id) == [inv_id]
    failed = env.service.get(env.profile_id, inv_id)
    assert failed.state is InvoiceState.PUSH_FAILED
    assert failed.last_error == INTERRUPTED

    assert env.run(lambda s: s.push(env.profile_id, inv_id)).state is InvoiceState.OPEN
    assert len(env.stripe_invoices()) == 1


def test_a_computer_with_this_ones_name_but_another_machine_is_not_judged_here() -> None:
    """Two workstations cloned from one image share a host name: the process id of the
    other one's push must not be looked up on this computer, where it may not exist."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process id that no longer runs here
    here = push_lease.new_owner().split("/")[0]
    assert push_lease.owner_is_dead(f"{here}/{gone.pid}/abc")
    twin = f"{socket.gethostname()[:21]}~00000000"
    assert not push_lease.owner_is_dead(f"{twin}/{gone.pid}/abc")
