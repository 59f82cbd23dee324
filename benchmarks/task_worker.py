"""`manage.py worker` processes beside a benchmark, on the benchmark's database.

The settings come from the caller's environment (generate_participation.use_database sets
them); the repository root goes on PYTHONPATH so that tasks in `benchmarks/` can be imported.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start(count: int, *, interval: float) -> list[subprocess.Popen]:
    environment = {
        **os.environ,
        "DEBUG": "0",
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    }
    command = [
        sys.executable, str(ROOT / "manage.py"), "worker", "--no-reload",
        "--interval", str(interval), "--no-startup-delay", "--verbosity", "0",
    ]  # fmt: skip
    return [
        subprocess.Popen(command, env=environment, cwd=ROOT)  # noqa: S603 (fixed command)
        for _ in range(count)
    ]


def memory(workers: list[subprocess.Popen]) -> str:
    import psutil

    sizes = [psutil.Process(worker.pid).memory_info().rss / 2**20 for worker in workers]
    return ", ".join(f"{size:.0f} MB" for size in sizes)


def stop(workers: list[subprocess.Popen]) -> None:
    """SIGTERM: a worker between tasks exits at once, one in a task after finishing it."""
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
