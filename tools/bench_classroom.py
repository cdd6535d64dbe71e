"""./threadlab bench classroom N: N simulated students on one JupyterHub, at the same time.

Each student logs in through the Hub's login page (PAM), starts the server through the Hub's REST
API, starts a ThreadLab kernel and runs the code cells of lectures/00-welcome.ipynb over the
kernel's websocket. Printed: spawn time and cell round trip (median, p95), failures, resident
memory per student (everything running as that student: notebook server and kernel tree) once
idle, and the Hub's CPU (hub and proxy) over the run. The class lives in target/classroom-bench
and is taken down, accounts deleted, at the end.

Goals (issue 17): N = 30 with no failure and cell p95 <= 2 s; <= 200 MB per idle student.
On a shared machine the numbers carry the other work on it; the load average is printed with them.
"""
import argparse
import asyncio
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import classroom  # noqa: E402
import nbformat  # noqa: E402
from hub_client import Student  # noqa: E402


def pct(xs, p):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, int(round(p / 100 * len(xs) + 0.5)) - 1))]


def cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0


async def one(cls, user, password, cells, out, expected_errors):
    rec = {"user": user, "spawn": None, "kernel": None, "cells": [], "failures": [], "errors": 0}
    out.append(rec)
    async with Student(cls, user, password) as s:
        try:
            if not await s.login():
                rec["failures"].append("login refused")
                return
            rec["spawn"] = await s.start_server()
            rec["kernel"] = await s.start_kernel()
            for code in cells:
                r = await s.execute(code, timeout=120)
                rec["cells"].append(r.seconds)
                # a cell that raises is a lesson (00-welcome shows errors on purpose); no answer is a failure
                if r.status == "error":
                    rec["errors"] += 1
                    i = len(rec["cells"]) - 1
                    if expected_errors is not None and i not in expected_errors:
                        rec["failures"].append(f"cell {i + 1} raised, unlike the instructor's run: {r.error[:200]}")
                elif r.status != "ok":
                    rec["failures"].append(f"cell {len(rec['cells'])}: {r.status} {r.error[:200]}")
        except Exception as e:  # counted, not fatal: the others go on
            rec["failures"].append(f"{type(e).__name__}: {e}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, nargs="?", default=10)
    ap.add_argument("--notebook", default=os.path.join(ROOT, "lectures", "00-welcome.ipynb"))
    ap.add_argument("--dir", default=os.path.join(ROOT, "target", "classroom-bench"))
    ap.add_argument("--idle-seconds", type=float, default=10, help="wait before measuring idle memory")
    ap.add_argument("--keep", action="store_true", help="leave the class up")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench classroom needs root (system accounts, cgroups)")
    nb = nbformat.read(args.notebook, as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    # the cells that raise in the instructor's run of the same lecture (same cells, answers filled in)
    expected_errors = None
    source = os.path.join(ROOT, "notebooks", os.path.basename(args.notebook))
    if os.path.isfile(source):
        inst = [c for c in nbformat.read(source, as_version=4).cells if c.cell_type == "code" and c.source.strip()]
        if len(inst) == len(cells):
            expected_errors = {i for i, c in enumerate(inst)
                               if any(o.get("output_type") == "error" for o in c.get("outputs", []))}
    d = args.dir
    if os.path.isfile(os.path.join(d, "private", "class.json")):
        subprocess.run([sys.executable, os.path.join(HERE, "classroom.py"), "--dir", d, "down", "--delete-accounts"],
                       capture_output=True)
    for sub in ("private", "home", "live"):
        shutil.rmtree(os.path.join(d, sub), ignore_errors=True)
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o755)
    users = [f"tlb{i:03d}" for i in range(1, args.n + 1)]
    roster = os.path.join(d, "roster.csv")
    with open(roster, "w") as f:
        f.write("".join(u + "\n" for u in users))
    port = classroom.free_port("127.0.0.1")
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, os.path.join(HERE, "classroom.py"), "--dir", d, "up", "--roster", roster,
                        "--port", str(port), "--name", "tlbench", "--instructor", "tlbteach",
                        "--home-base", os.path.join(d, "home"), "--cull-after", "0", "--timeout", "300"])
    if r.returncode != 0:
        sys.exit("bench classroom: the class did not come up")
    up = time.monotonic() - t0
    cls = classroom.load_class(d)
    with open(os.path.join(d, "private", "passwords.txt")) as f:
        pw = {row["user"]: row["password"] for row in csv.DictReader(f)}
    proxy = int(open(os.path.join(d, "private", "jupyterhub-proxy.pid")).read())
    hub = cls["hub_pid"]
    load0 = os.getloadavg()
    cpu0, w0 = cpu_seconds(hub) + cpu_seconds(proxy), time.monotonic()
    out = []

    async def all_of_them():
        await asyncio.gather(*(one(cls, u, pw[u], cells, out, expected_errors) for u in users))
    try:
        asyncio.run(all_of_them())
        wall = time.monotonic() - w0
        hub_cpu = (cpu_seconds(hub) + cpu_seconds(proxy) - cpu0) / wall
        load1 = os.getloadavg()
        time.sleep(args.idle_seconds)
        rss = []
        for u in users:
            acct = classroom.account(u)
            pids = classroom.pids_of_uid(acct.pw_uid) if acct else []
            if pids:
                rss.append(sum(classroom.rss_kb(p) for p in pids) / 1024)
        alive = sum(1 for u in users if (classroom.api(cls, "GET", f"/users/{u}").get("servers") or {}).get("", {}).get("ready"))
    finally:
        if not args.keep:
            subprocess.run([sys.executable, os.path.join(HERE, "classroom.py"), "--dir", d, "down", "--delete-accounts"],
                           capture_output=True)
    spawns = [r["spawn"] for r in out if r["spawn"] is not None]
    kernels = [r["kernel"] for r in out if r["kernel"] is not None]
    rts = [x for r in out for x in r["cells"]]
    fails = [(r["user"], f) for r in out for f in r["failures"]]
    print(f"\nbench classroom: {args.n} students at once, {len(cells)} cells of {os.path.basename(args.notebook)} each; "
          f"{os.cpu_count()} cores, load average {load0[0]:.1f} before, {load1[0]:.1f} after (shared machine)")
    print(f"  hub up (accounts, lectures, hub start)   {up:7.1f} s")
    print(f"  spawn (REST request to server ready)     median {statistics.median(spawns) if spawns else float('nan'):6.2f} s   p95 {pct(spawns, 95):6.2f} s")
    print(f"  kernel start (request to first reply)    median {statistics.median(kernels) if kernels else float('nan'):6.2f} s   p95 {pct(kernels, 95):6.2f} s")
    print(f"  cell round trip over the websocket       median {statistics.median(rts) if rts else float('nan'):6.2f} s   p95 {pct(rts, 95):6.2f} s   ({len(rts)} cells)")
    expected = len(expected_errors) if expected_errors is not None else None
    errs = sorted({r["errors"] for r in out})
    # which cells make the tail: a cell's own work (a lesson that times something) or the hub and machine
    per_cell = {}
    for r in out:
        for i, x in enumerate(r["cells"]):
            per_cell.setdefault(i, []).append(x)
    slow = sorted(per_cell, key=lambda i: -statistics.median(per_cell[i]))[:3]
    print("  slowest cells (median over students)     " + "; ".join(
        f"#{i + 1} {statistics.median(per_cell[i]):.2f} s ({cells[i].strip().splitlines()[0][:40]!r})" for i in slow))
    print(f"  cells that raised, per student           {errs}" + (f" (the instructor's run of the lecture: {expected})" if expected is not None else ""))
    print(f"  failures                                 {len(fails)}" + "".join(f"\n    {u}: {f[:200]}" for u, f in fails[:10]))
    print(f"  servers alive at the end                 {alive} of {args.n}")
    print(f"  resident memory per idle student         median {statistics.median(rss) if rss else float('nan'):6.0f} MB   max {max(rss) if rss else float('nan'):6.0f} MB"
          "   (notebook server + kernel + execution JVM)")
    print(f"  hub CPU (hub + proxy) over the run       {100 * hub_cpu:6.1f} % of one core ({wall:.0f} s)")
    print(f"  goals: cell p95 <= 2 s: {'met' if rts and pct(rts, 95) <= 2 else 'NOT met'}; "
          f"no failure: {'met' if not fails else 'NOT met'}; <= 200 MB per idle student: "
          f"{'met' if rss and statistics.median(rss) <= 200 else 'NOT met'}")
    return 0 if not fails else 1


if __name__ == "__main__":
    sys.exit(main())
