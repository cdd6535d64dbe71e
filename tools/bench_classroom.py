"""./threadlab bench classroom N: N simulated students on one JupyterHub, at the same time.

Each student logs in through the Hub's login page (PAM), starts the server through the Hub's REST
API, starts a ThreadLab kernel and runs the code cells of lectures/00-welcome.ipynb over the
kernel's websocket. Printed: spawn time and cell round trip (median, p95), failures, memory per
student once idle, and the Hub's CPU (hub and proxy) over the run. The class lives in
target/classroom-bench and is taken down, accounts deleted, at the end.

Memory per idle student is given three ways, per process (notebook server, kernel JVM, execution
JVM) and in total: RSS (every page the student's processes have in memory, shared ones counted in
full for each), PSS (a page shared by k processes counts 1/k for each: libjvm.so, the JDK's and the
kernel's start-up cache, Python's libraries are shared by every student on the server, so this is
the fair share of one student on a shared server) and the drop of the machine's MemAvailable from
before the hub started to the idle class, divided by N (what the class really took, kernel memory
such as page tables included; other work on the machine moves it too).

--think S has each student pause between cells, a random 0.5 S to 1.5 S, as a student reading the
prose between two cells does (the default, 0, runs the cells back to back: the class's pure
throughput, which on 2 cores CPU decides). --cells K runs only the first K code cells (0: start the
server and the kernel, run nothing), to
find how many students fit; --concurrency C lets C students start at a time (default: all at once);
the run stops starting students when MemAvailable falls under --min-available GiB (default 3).

Goals (issue 17): N = 30 with no failure and cell p95 <= 2 s; <= 200 MB per idle student; 100
student servers started and alive at once.
On a shared machine the numbers carry the other work on it; the load average is printed with them.
"""
import argparse
import asyncio
import csv
import json
import os
import random
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


def user_cpu(uid):
    """CPU seconds (user + system) the user's live processes have used so far."""
    return sum(cpu_seconds(p) for p in classroom.pids_of_uid(uid))


def mem_available_kb():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1])
    return 0


def procs_by_uid():
    out = {}
    for p in os.listdir("/proc"):
        if p.isdigit():
            uid = classroom.proc_uid(int(p))
            if uid is not None:
                out.setdefault(uid, []).append(int(p))
    return out


class Roll:
    """Counts the students who are ready for the cells (their kernel answered) or out (failed, skipped):
    with --together the cells wait until all are, as a class where everyone opened the lecture first."""

    def __init__(self, n, together):
        self.n, self.together, self.seen = n, together, 0
        self.all_in = asyncio.Event()
        if not together:
            self.all_in.set()

    def arrived(self):
        self.seen += 1
        if self.seen >= self.n:
            self.all_in.set()


async def one(cls, user, password, cells, rec, expected_errors, gate, stop, roll, think=0.0):
    counted = False
    try:
        async with gate:
            if stop.is_set():
                rec["skipped"] = True
                return
            s = rec["student"] = Student(cls, user, password)
            if not await s.login():
                rec["failures"].append("login refused")
                return
            rec["spawn"] = await s.start_server()
            rec["throttled"], rec["queued"] = s.throttled, s.queued
            rec["kernel"] = await s.start_kernel()
        roll.arrived()
        counted = True
        await roll.all_in.wait()
        rec["cells_from"] = time.monotonic()
        acct = classroom.account(user)
        rec["cpu0"] = user_cpu(acct.pw_uid) if acct else None
        for i, code in enumerate(cells):
            if think and i:
                # each student's own pace: the pauses are not in step across the class
                await asyncio.sleep(random.uniform(0.5, 1.5) * think)
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
        rec["done"] = time.monotonic()
        if rec["cpu0"] is not None:
            rec["cpu_cells"] = user_cpu(acct.pw_uid) - rec["cpu0"]
    except asyncio.CancelledError:
        rec["failures"].append("stopped: the machine ran short of memory")
    except Exception as e:  # counted, not fatal: the others go on
        rec["failures"].append(f"{type(e).__name__}: {e}")
    finally:
        if not counted:
            roll.arrived()


async def watch_memory(floor_kb, stop, log):
    """Stops the run (no more students start, those starting are cancelled) when MemAvailable falls under floor_kb."""
    while True:
        avail = mem_available_kb()
        log["min"] = min(log.get("min", avail), avail)
        if avail < floor_kb and not stop.is_set():
            log["stopped"] = avail
            stop.set()
            print(f"bench classroom: MemAvailable {avail / 2**20:.1f} GiB, under the floor: no more students start", flush=True)
        await asyncio.sleep(0.5)


async def still_answers(rec, gate):
    """The kernel answers a cell. With --cells 0 this is its first cell (JShell's first compile), so
    students ask --concurrency at a time, as they started."""
    s = rec.get("student")
    if not s or rec.get("done") is None:
        return False
    try:
        async with gate:
            try:
                r = await s.execute("1 + 1", timeout=300)
            except ConnectionError:
                # the websocket closed while the student waited (the server's ping timeout on a loaded
                # machine); the notebook page opens it again, so does this, once
                rec["reconnected"] = True
                await s.connect(300)
                r = await s.execute("1 + 1", timeout=300)
        ok = r.status == "ok" and "2" in r.text
        if not ok:
            rec["not_answering"] = f"{r.status}: {(r.error or r.text).strip()[:200]}"
        return ok
    except Exception as e:
        rec["not_answering"] = f"{type(e).__name__}: {e}"[:200]
        return False
    finally:
        await s.__aexit__(None, None, None)


def mb(kb):
    return kb / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, nargs="?", default=10)
    ap.add_argument("--notebook", default=os.path.join(ROOT, "lectures", "00-welcome.ipynb"))
    ap.add_argument("--cells", type=int, default=None, help="run only the first K code cells (0: none)")
    ap.add_argument("--concurrency", type=int, default=0, help="students starting at a time (default: all)")
    ap.add_argument("--together", action="store_true",
                    help="every student's server and kernel first, then all run the cells at the same time (the cell "
                         "round trip then measures the lesson, not the others' start-up)")
    ap.add_argument("--think", type=float, default=0.0,
                    help="seconds a student pauses between cells, on average (0.5 to 1.5 times it; default 0: back to back)")
    ap.add_argument("--min-available", type=float, default=3.0, help="GiB of MemAvailable under which no more students start")
    ap.add_argument("--dir", default=os.path.join(ROOT, "target", "classroom-bench"))
    ap.add_argument("--idle-seconds", type=float, default=10, help="wait before measuring idle memory")
    ap.add_argument("--keep", action="store_true", help="leave the class up")
    ap.add_argument("--spawn-limit", type=int, default=10, help="the hub's concurrent_spawn_limit (classroom up --spawn-limit)")
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
    all_cells = len(cells)
    if args.cells is not None:
        cells = cells[:max(0, args.cells)]
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
    avail0 = mem_available_kb()
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, os.path.join(HERE, "classroom.py"), "--dir", d, "up", "--roster", roster,
                        "--port", str(port), "--name", "tlbench", "--instructor", "tlbteach",
                        "--home-base", os.path.join(d, "home"), "--cull-after", "0", "--timeout", "300",
                        "--spawn-limit", str(args.spawn_limit)])
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
    out = [{"user": u, "spawn": None, "kernel": None, "cells": [], "failures": [], "errors": 0, "done": None}
           for u in users]
    memlog = {}
    res = {"per_student": [], "roles": {}, "answering": 0}

    def measure():
        """Memory of every student whose kernel ran its cells, by process; the hub's; the machine's."""
        by_uid = procs_by_uid()
        for rec in out:
            if rec["done"] is None:
                continue
            acct = classroom.account(rec["user"])
            m = classroom.memory_by_role(by_uid.get(acct.pw_uid, []) if acct else [])
            res["per_student"].append(m)
            for r_, v in m.items():
                res["roles"].setdefault(r_, []).append(v)
        res["hub_mem"] = [classroom.rss_pss_kb(p) or (0, 0) for p in (hub, proxy)]
        res["avail1"] = mem_available_kb()
        res["load_idle"] = os.getloadavg()
        res["ready"] = sum(1 for u in users
                           if (classroom.api(cls, "GET", f"/users/{u}").get("servers") or {}).get("", {}).get("ready"))

    async def all_of_them():
        stop = asyncio.Event()
        gate = asyncio.Semaphore(args.concurrency if args.concurrency > 0 else len(users))
        watcher = asyncio.create_task(watch_memory(args.min_available * 2**20, stop, memlog))
        roll = Roll(len(users), args.together)
        tasks = [asyncio.create_task(one(cls, u, pw[u], cells, rec, expected_errors, gate, stop, roll, args.think))
                 for u, rec in zip(users, out)]
        pending = set(tasks)
        while pending:
            _, pending = await asyncio.wait(pending, timeout=0.5)
            if stop.is_set():
                for t in pending:
                    t.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
                break
        res["wall"] = time.monotonic() - w0
        res["hub_cpu"] = (cpu_seconds(hub) + cpu_seconds(proxy) - cpu0) / res["wall"]
        res["load1"] = os.getloadavg()
        await asyncio.sleep(args.idle_seconds)
        watcher.cancel()
        measure()
        # alive: each kernel still answers a cell over its websocket
        res["answering"] = sum(await asyncio.gather(*(still_answers(rec, gate) for rec in out)))
        for rec in out:
            if rec.get("student") is not None and rec.get("done") is None:
                await rec["student"].__aexit__(None, None, None)
    try:
        asyncio.run(all_of_them())
    finally:
        if not args.keep:
            t_down = time.monotonic()
            subprocess.run([sys.executable, os.path.join(HERE, "classroom.py"), "--dir", d, "down", "--delete-accounts"],
                           capture_output=True)
            t_down = time.monotonic() - t_down
    per_student, roles, answering = res["per_student"], res["roles"], res["answering"]
    wall, hub_cpu, load1, load_idle = res["wall"], res["hub_cpu"], res["load1"], res["load_idle"]
    hub_mem, avail1, alive_ready = res["hub_mem"], res["avail1"], res["ready"]
    spawns = [r["spawn"] for r in out if r["spawn"] is not None]
    kernels = [r["kernel"] for r in out if r["kernel"] is not None]
    rts = [x for r in out for x in r["cells"]]
    fails = [(r["user"], f) for r in out for f in r["failures"]]
    skipped = sum(1 for r in out if r.get("skipped"))
    idle = len(per_student)
    med = statistics.median
    nan = float("nan")
    print(f"\nbench classroom: {args.n} students, {len(cells)} of the {all_cells} cells of {os.path.basename(args.notebook)} each"
          f"{f', {args.concurrency} starting at a time' if args.concurrency else ', all at once'}"
          f"{', the cells once every kernel had started' if args.together else ''}"
          f"{f', a pause of {args.think:g} s on average between cells' if args.think else ''} "
          f"(hub's spawn limit {args.spawn_limit or 'none'}); "
          f"{os.cpu_count()} cores, load average {load0[0]:.1f} before, {load1[0]:.1f} after the ramp, {load_idle[0]:.1f} idle (shared machine)")
    print(f"  hub up (accounts, lectures, hub start)   {up:7.1f} s")
    print(f"  all students started (ramp)              {wall:7.1f} s")
    if args.together:
        began = [r["cells_from"] for r in out if r.get("cells_from") is not None]
        ended = [r["done"] for r in out if r.get("done") is not None]
        if began and ended:
            print(f"  cells, all {len(began)} students at once      {max(ended) - min(began):7.1f} s from the last kernel's start "
                  f"to the last cell's answer")
    print(f"  spawn (REST request to server ready)     median {med(spawns) if spawns else nan:6.2f} s   p95 {pct(spawns, 95):6.2f} s")
    print(f"  kernel start (request to first reply)    median {med(kernels) if kernels else nan:6.2f} s   p95 {pct(kernels, 95):6.2f} s")
    if rts:
        print(f"  cell round trip over the websocket       median {med(rts):6.2f} s   p95 {pct(rts, 95):6.2f} s   ({len(rts)} cells)")
        expected = len(expected_errors) if expected_errors is not None and len(cells) == all_cells else None
        errs = sorted({r["errors"] for r in out if r["done"] is not None})
        # which cells make the tail: a cell's own work (a lesson that times something) or the hub and machine
        per_cell = {}
        for r in out:
            for i, x in enumerate(r["cells"]):
                per_cell.setdefault(i, []).append(x)
        slow = sorted(per_cell, key=lambda i: -med(per_cell[i]))[:3]
        print("  slowest cells (median over students)     " + "; ".join(
            f"#{i + 1} {med(per_cell[i]):.2f} s ({cells[i].strip().splitlines()[0][:40]!r})" for i in slow))
        cpu = [r["cpu_cells"] for r in out if r.get("cpu_cells") is not None]
        if cpu:
            print(f"  CPU the cells took per student           median {med(cpu):6.1f} s (server, kernel and execution JVM); "
                  f"{len(cpu)} students need {sum(cpu):.0f} CPU-seconds, {sum(cpu) / (os.cpu_count() or 1):.0f} s "
                  f"of this machine's {os.cpu_count()} cores")
        print(f"  cells that raised, per student           {errs}" + (f" (the instructor's run of the lecture: {expected})" if expected is not None else ""))
    print(f"  failures                                 {len(fails)}" + "".join(f"\n    {u}: {f[:200]}" for u, f in fails[:10]))
    if memlog.get("stopped") is not None:
        print(f"  stopped: MemAvailable fell to {memlog['stopped'] / 2**20:.1f} GiB (floor {args.min_available} GiB); "
              f"{skipped} students never started")
    print(f"  MemAvailable                             {avail0 / 2**20:.1f} GiB before the hub, lowest {memlog.get('min', 0) / 2**20:.1f} GiB, "
          f"{avail1 / 2**20:.1f} GiB with the class idle")
    throttled = [r for r in out if r.get("throttled")]
    if throttled:
        print(f"  told to wait by the hub's spawn limit    {len(throttled)} students, {sum(r['throttled'] for r in throttled)} times "
              f"(HTTP 429 and Retry-After, then asked again; queued median {med(r['queued'] for r in throttled):.0f} s, "
              f"max {max(r['queued'] for r in throttled):.0f} s, counted in spawn)")
    print(f"  servers ready at the end (hub)           {alive_ready} of {args.n}")
    print(f"  kernels answering 1 + 1 at the end       {answering} of {args.n}"
          f"{f' ({args.concurrency} asking at a time, 300 s each)' if args.concurrency else ' (300 s each)'}"
          + (f"; {sum(1 for r in out if r.get('reconnected'))} after opening their websocket again" if any(r.get("reconnected") for r in out) else ""))
    silent = {}
    for r in out:
        if r.get("not_answering"):
            silent.setdefault(r["not_answering"][:110], []).append(r["user"])
    for why, who in sorted(silent.items(), key=lambda x: -len(x[1]))[:8]:
        print(f"    {len(who)} x {why} ({', '.join(who[:3])}{', ...' if len(who) > 3 else ''})")
    print(f"  memory per idle student (median of {idle}), MB:        RSS     PSS")
    for r_ in classroom.ROLES:
        v = roles.get(r_, [])
        if r_ == "other" and not any(x[0] for x in v):
            continue
        print(f"    {r_:46} {mb(med(x[0] for x in v)) if v else nan:7.0f} {mb(med(x[1] for x in v)) if v else nan:7.0f}")
    tot = [(sum(x[0] for x in m.values()), sum(x[1] for x in m.values())) for m in per_student]
    print(f"    {'total':46} {mb(med(x[0] for x in tot)) if tot else nan:7.0f} {mb(med(x[1] for x in tot)) if tot else nan:7.0f}"
          f"   (max {mb(max(x[0] for x in tot)) if tot else nan:.0f} / {mb(max(x[1] for x in tot)) if tot else nan:.0f})")
    if idle:
        print(f"  MemAvailable taken per idle student      {mb((avail0 - avail1) / idle):7.0f} MB   "
              f"(drop from before the hub to the idle class, hub included, / {idle}; other work on the machine moves it)")
    print(f"  hub + proxy memory                       RSS {mb(sum(m[0] for m in hub_mem)):.0f} MB, PSS {mb(sum(m[1] for m in hub_mem)):.0f} MB")
    print(f"  hub CPU (hub + proxy) over the ramp      {100 * hub_cpu:6.1f} % of one core ({wall:.0f} s)")
    if not args.keep:
        print(f"  classroom down                           {t_down:7.1f} s")
    ok_pss = tot and mb(med(x[1] for x in tot)) <= 200
    ok_rss = tot and mb(med(x[0] for x in tot)) <= 200
    paced = f" (students pausing {args.think:g} s between cells)" if args.think else " (cells back to back)"
    print(f"  goals: cell p95 <= 2 s{paced if rts else ''}: {'met' if rts and pct(rts, 95) <= 2 else ('NOT met' if rts else 'not measured')}; "
          f"no failure: {'met' if not fails else 'NOT met'}; <= 200 MB per idle student: "
          f"RSS {'met' if ok_rss else 'NOT met'}, PSS {'met' if ok_pss else 'NOT met'}; "
          f"{args.n} started and alive: {'met' if answering == args.n else f'NOT met ({answering})'}")
    return 0 if not fails else 1


if __name__ == "__main__":
    sys.exit(main())
