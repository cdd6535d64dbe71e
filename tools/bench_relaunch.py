"""Time from `./threadlab notebook` to a usable page: runs the launcher N times headless (--no-browser,
a fixed token) and times each run until the index page is served (HTTP 200), then stops it. The first
run may build and install; the ones after it are the relaunches a user repeats every class.
Also counts the warning lines each run printed before the page was served, and times Jupyter alone
(`python3 -m notebook` with the same options, as many times as the relaunches) on the same page: the
difference is what the launcher adds, the rest is Jupyter's own start at the machine's load (printed).

    bench_relaunch.py [N]      (default 5: one first run, four relaunches, four starts of Jupyter alone)
"""
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_run(bare=False):
    port, token = free_port(), secrets.token_hex(16)
    out = tempfile.TemporaryFile()
    options = ["--no-browser", f"--port={port}", "--ip=127.0.0.1", f"--NotebookApp.token={token}"]
    if bare:
        command = [sys.executable, "-m", "notebook", *options, f"--notebook-dir={ROOT}", "lectures/index.ipynb"]
        if os.geteuid() == 0:
            command.append("--allow-root")
    else:
        command = [os.path.join(ROOT, "threadlab"), "notebook", *options]
    t0 = time.monotonic()
    proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT)
    url = f"http://127.0.0.1:{port}/notebooks/lectures/index.ipynb?token={token}"
    served = None
    try:
        while time.monotonic() - t0 < 600 and proc.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        served = time.monotonic() - t0
                        break
            except OSError:
                time.sleep(0.05)
        out.seek(0)
        text = out.read().decode(errors="replace").replace(token, "<token>")
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(15)
        except (OSError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
    warnings = [l for l in text.splitlines() if "warn" in l.lower()]
    return served, text, warnings


def main(argv):
    n = int(argv[0]) if argv else 5
    print(f"load average at the start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    times = []
    for i in range(n):
        served, text, warnings = one_run()
        if served is None:
            print(f"run {i + 1}: the page was never served. What it printed:\n{text}")
            return 1
        what = "first run" if i == 0 else "relaunch"
        print(f"run {i + 1} ({what}): page served after {served:.2f} s, {len(text.splitlines())} lines printed, "
              f"{len(warnings)} warning lines")
        for w in warnings:
            print(f"    {w}")
        if i > 0:
            times.append(served)
    if times:
        print(f"relaunch to page served: median {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}, "
              f"{len(times)} runs)")
        bare = []
        for i in range(len(times)):
            served, text, _ = one_run(bare=True)
            if served is None:
                print(f"Jupyter alone, run {i + 1}: the page was never served. What it printed:\n{text}")
                return 1
            bare.append(served)
        print(f"Jupyter alone (python -m notebook) to page served: median {statistics.median(bare):.2f} s "
              f"(min {min(bare):.2f}, max {max(bare):.2f}, {len(bare)} runs); the launcher adds "
              f"{statistics.median(times) - statistics.median(bare):+.2f} s")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
