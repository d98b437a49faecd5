"""A pytest plugin: every answer the simulator sends during the run is held to Stripe's model.

The model is the pinned stripe-python's generated classes (tracker_desktop/sandbox/
stripe_model.py). Answers are checked on a worker thread, so the simulator never answers
later for being checked (tests with short client timeouts stay honest). A departing answer
fails the test during which it was sent (at teardown) and the whole run; the summary says how
many answers were checked.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from tracker_desktop.sandbox import observers, stripe_model

MAX_SHOWN = 8


@dataclass
class Tally:
    checked: int = 0
    mismatches: list[str] = field(default_factory=list)
    waiting: queue.Queue[observers.Sent] = field(default_factory=queue.Queue)

    def __call__(self, sent: observers.Sent) -> None:
        self.waiting.put(sent)  # the server thread only hands the answer over

    def work(self) -> None:
        while True:
            sent = self.waiting.get()
            try:
                body = json.loads(sent.body)
                problems = stripe_model.check_answer(sent.status, body, sent.returns)
            except Exception as exc:  # a checker failure is a mismatch too
                problems = [f"the model check itself failed: {exc!r}"]
            where = f"{sent.method} {sent.path} -> {sent.status}"
            self.mismatches.extend(f"{where}: {p}" for p in problems)
            self.checked += 1
            self.waiting.task_done()

    def since(self, start: int) -> list[str]:
        """Mismatches found after the first ``start``, once every answer sent is checked."""
        self.waiting.join()
        return self.mismatches[start:]


_TALLY = Tally()


def pytest_configure(config: pytest.Config) -> None:
    threading.Thread(target=_TALLY.work, name="stripe-model-check", daemon=True).start()
    observers.add(_TALLY)


def pytest_unconfigure(config: pytest.Config) -> None:
    observers.remove(_TALLY)


@pytest.fixture(autouse=True)
def _answers_match_stripes_model() -> Iterator[None]:
    start = len(_TALLY.since(0))
    yield
    found = _TALLY.since(start)
    if found:
        shown = "\n  ".join(found[:MAX_SHOWN])
        more = f"\n  ... and {len(found) - MAX_SHOWN} more" if len(found) > MAX_SHOWN else ""
        pytest.fail(
            f"{len(found)} simulator answer(s) depart from Stripe's model "
            f"(stripe-python {stripe_model.SDK_VERSION}):\n  {shown}{more}",
            pytrace=False,
        )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _TALLY.since(0) and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    _TALLY.since(0)  # every answer checked before counting
    terminalreporter.write_sep(
        "-",
        f"Stripe model (stripe-python {stripe_model.SDK_VERSION}, API "
        f"{stripe_model.API_VERSION}): {_TALLY.checked} simulator answers validated, "
        f"{len(_TALLY.mismatches)} mismatched",
    )
