"""How long a newcomer waits: `make demo` on a fresh clone until the first page answers.

    python3 bench/first_page.py [--port 8010]

Clones the committed HEAD into a temporary directory, runs `make demo PORT=...` there
(virtual environment, packages, migrations, the demo council, the server) and requests
the sign-in page until it answers. Prints the wall time, the CPU seconds of every process
`make demo` started (steadier than wall time on a shared machine) and the load average
before and after; then stops the server and removes the clone. Linux only (reads /proc).
"""

import argparse
import os
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def session_cpu_seconds(session: int) -> float:
    """CPU time of the live processes of a session and of the children they waited for."""
    ticks = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:
            ticks += sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8010)
    port = parser.parse_args().port
    with tempfile.TemporaryDirectory() as scratch:
        clone = Path(scratch) / "pmis"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        print(f"load average before: {load()}")
        started = time.monotonic()
        with open(clone / "demo.log", "w") as log:
            command = ["make", "demo", f"PORT={port}"]
            make = subprocess.Popen(command, cwd=clone, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            while True:
                if make.poll() is not None:
                    raise SystemExit(f"make demo stopped (exit {make.returncode}):\n{(clone / 'demo.log').read_text()}")
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5).read()
                    break
                except OSError:
                    time.sleep(0.2)
            wall = time.monotonic() - started
            cpu = session_cpu_seconds(make.pid)
        finally:
            os.killpg(make.pid, signal.SIGTERM)
            make.wait()
        print(f"first page after {wall:.1f} s ({cpu:.1f} s of CPU); load average after: {load()}")


if __name__ == "__main__":
    main()
