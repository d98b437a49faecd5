import asyncio

from pytestqt.qtbot import QtBot

from tracker_desktop.domain.errors import Offline
from tracker_desktop.ui.tasks import TaskRunner, describe_error


def test_success_and_failure_reach_their_handlers(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop
) -> None:
    runner = TaskRunner()
    results: list[object] = []
    busy: list[bool] = []
    runner.busy_changed.connect(busy.append)

    async def ok() -> int:
        await asyncio.sleep(0.01)
        return 42

    async def offline() -> int:
        raise Offline("Stripe could not be reached.")

    runner.run(ok(), on_success=results.append)
    runner.run(offline(), on_error=results.append)
    assert runner.busy
    qtbot.waitUntil(lambda: not runner.busy, timeout=3000)
    assert results[0] == 42 or results[1] == 42
    errors = [r for r in results if isinstance(r, Offline)]
    assert len(errors) == 1
    assert describe_error(errors[0]) == "Stripe could not be reached."
    assert busy == [True, False]


def test_unexpected_errors_are_described_without_internals() -> None:
    text = describe_error(KeyError("sk_test_secret"))
    assert "KeyError" in text
    assert "sk_test_secret" not in text
