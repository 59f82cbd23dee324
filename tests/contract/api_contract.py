"""The API against its own schema: serve the demo database and run schemathesis with every
check on (`make api-contract`). Fails on any server error or any response the schema does not
describe. Examples per operation are limited so the run stays within a few minutes."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
HOST = "127.0.0.1"


def serve(port: int) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DEBUG": "0",
        "ALLOW_INSECURE_KEY": "1",
        "LOG_LEVEL": "ERROR",
        # schemathesis sends thousands of requests from one address.
        "API_RATE_LIMIT": "1000000/minute",
    }
    command = [
        sys.executable, "-m", "gunicorn", "roadmap.wsgi:application",
        "--bind", f"{HOST}:{port}", "--workers", "2", "--pythonpath", str(ROOT / "src"),
        "--chdir", str(ROOT), "--log-level", "warning", "--timeout", "60",
    ]  # fmt: skip
    return subprocess.Popen(command, env=environment)  # noqa: S603 (fixed command)


def wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (always http://127.0.0.1)
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within 120 seconds.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8201)
    parser.add_argument("--max-examples", type=int, default=10)
    parser.add_argument("--seed", type=int, default=13, help="the same seed, the same requests")
    args = parser.parse_args()
    server = serve(args.port)
    try:
        schema = f"http://{HOST}:{args.port}/api/v1/schema/"
        wait_until_up(schema)
        command = [
            str(Path(sys.executable).parent / "schemathesis"),
            "--config-file", str(Path(__file__).with_name("schemathesis.toml")), "run", schema,
            "--checks", "all", "--max-examples", str(args.max_examples),
            "--workers", "2", "--request-timeout", "30", "--seed", str(args.seed),
            "--generation-database", "none",
        ]  # fmt: skip
        return subprocess.run(command, check=False).returncode  # noqa: S603 (fixed command)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
