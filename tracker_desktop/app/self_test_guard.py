"""The self-test's watchdog: a self-test that stops answering fails, with where it stood.

A fault the error hooks cannot see (a dialog's own event loop, a blocked import, a deadlock)
would otherwise keep CI or an installer waiting forever. A thread of its own, so it fires
however stuck the GUI thread is; it prints every thread's stack and ends the process.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import sys
import threading

DEFAULT_SECONDS = 120.0


def start_watchdog(seconds: float) -> threading.Timer:
    """Ends the process with exit code 1 if the self-test is still running after `seconds`."""
    timer = threading.Timer(seconds, _give_up, args=(seconds,))
    timer.daemon = True
    timer.name = "self-test watchdog"
    timer.start()
    return timer


def _give_up(seconds: float) -> None:
    stream = sys.stderr
    if stream is not None:  # a windowed Windows build has no stderr
        stream.write(
            f"self-test FAILED: no answer after {seconds:g} s; the app is stuck. "
            "Where each thread stood:\n"
        )
        stream.flush()
        # A stream without a file descriptor cannot take faulthandler's dump.
        with contextlib.suppress(AttributeError, ValueError, OSError):
            faulthandler.dump_traceback(file=stream, all_threads=True)
    os._exit(1)  # the GUI thread is stuck: nothing else would end the process
