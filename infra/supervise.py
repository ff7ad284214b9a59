"""Keep one command running: restart it when it exits unasked, stop it when asked.

``python3 infra/supervise.py -- celery -A transcoder.worker worker -Q short``

A Celery worker can end itself when its broker goes away at the wrong moment (kombu gives up
restoring unacknowledged messages over a connection that is gone, and the worker stops). In
production a service manager restarts it (systemd ``Restart=always``); this does the same for
the services ``./infra/svc`` starts and for the test suite's workers: a command that exits is
started again after a pause that doubles up to 30 s and resets once it has run for a minute.
SIGTERM or SIGINT is passed on to the command, and the supervisor ends with it. Only the
standard library is used.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from types import FrameType

MAX_PAUSE = 30.0
STEADY = 60.0  # a run this long counts as healthy: the next restart is quick again


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print("usage: supervise.py -- COMMAND [ARG...]", file=sys.stderr)
        return 2
    stopping = False
    child: subprocess.Popen[bytes] | None = None

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    pause = 1.0
    while True:
        started = time.monotonic()
        child = subprocess.Popen(argv)
        code = child.wait()
        if stopping:
            return code
        ran = time.monotonic() - started
        pause = 1.0 if ran > STEADY else min(MAX_PAUSE, pause * 2)
        print(
            f"supervise: {argv[0]} exited with {code} after {ran:.0f} s; "
            f"starting it again in {pause:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        deadline = time.monotonic() + pause
        while time.monotonic() < deadline and not stopping:
            time.sleep(0.2)
        if stopping:
            return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
