"""Kernel figures over the real protocol, as medians of several kernel starts (./threadlab bench kernel).

Start to kernel_info reply; first `1+1` after ready (sent at once, and in other starts half a
second later, as a person would: the kernel uses that time to warm up); median round trip of
`1+1` over 50 runs; resident memory of the kernel's process tree after start and after those runs;
shutdown time.
Printed beside the goals (issue 18's) and the load average; nothing is asserted: shared machines are noisy.

A/B of two installed kernels (each an install prefix, e.g. made by `./threadlab install-kernel
--prefix /tmp/a` from each build): `python3 tools/bench_kernel.py --compare /tmp/a /tmp/b [STARTS]`
alternates their starts (A B B A ...), so both see the same load, and prints each one's medians,
the CPU time (both JVMs) per round trip and at the first reply, and B/A. On a busy machine the CPU
figures move much less than the wall-clock ones.

`python3 tools/bench_kernel.py --cells NOTEBOOK [PREFIX]` prints the CPU and wall time of each code
cell of a notebook run in one kernel (the installed one, or the one under PREFIX).
"""
import os
import statistics
import sys
import time

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

STARTS = int(os.environ.get("THREADLAB_BENCH_STARTS", "5"))
ROUND_TRIPS = 50


def tree(pid):
    out = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            for child in f.read().split():
                out += tree(int(child))
    except OSError:
        pass
    return out


def rss_mb(pid):
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                total += int(next(l for l in f if l.startswith("VmRSS:")).split()[1])
        except (OSError, StopIteration):
            pass
    return total / 1024


def cpu_ms(pids):
    """User + system CPU time of these processes so far, in ms."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total * 1000 / tick


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def manager(prefix=None):
    if prefix is None:
        return KernelManager(kernel_name="threadlab")
    kernels = os.path.join(prefix, "share", "jupyter", "kernels")
    if not os.path.isdir(os.path.join(kernels, "threadlab")):
        sys.exit(f"no ThreadLab kernel in {prefix}: install one with ./threadlab install-kernel --prefix {prefix}")
    return KernelManager(kernel_name="threadlab", kernel_spec_manager=KernelSpecManager(kernel_dirs=[kernels]))


def execute(kc, code):
    msg_id = kc.execute(code)
    while True:
        reply = kc.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def first_after_pause(pause):
    """Time of the first `1+1`, sent `pause` seconds after kernel_info was answered."""
    km = KernelManager(kernel_name="threadlab")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        time.sleep(pause)
        t = time.monotonic()
        execute(kc, "1+1")
        return time.monotonic() - t
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def one_start(prefix=None):
    t0 = time.monotonic()
    km = manager(prefix)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    ready = time.monotonic() - t0
    pid = km.provisioner.process.pid
    t1 = time.monotonic()
    execute(kc, "1+1")
    first = time.monotonic() - t1
    cpu_first = cpu_ms(tree(pid))
    time.sleep(0.5)
    mem_start = rss_mb(pid)
    trips = []
    family = tree(pid)
    cpu0 = cpu_ms(family)
    for i in range(ROUND_TRIPS):
        t = time.monotonic()
        execute(kc, "1+1")
        trips.append(time.monotonic() - t)
    cpu_trip = (cpu_ms(family) - cpu0) / ROUND_TRIPS
    time.sleep(0.5)
    mem_after = rss_mb(pid)
    family = tree(pid)
    t2 = time.monotonic()
    km.shutdown_kernel(now=False)
    while any(os.path.exists(f"/proc/{p}") for p in family) and time.monotonic() - t2 < 10:
        time.sleep(0.01)
    shutdown = time.monotonic() - t2
    kc.stop_channels()
    return ready, first, statistics.median(trips), mem_start, mem_after, shutdown, cpu_trip, cpu_first


def compare(a, b, starts):
    """A/B of two installed kernels, their starts alternated (A B B A ...) so that both see the same load."""
    rows = {a: [], b: []}
    load_before = load_average()
    for i in range(starts):
        for prefix in ((a, b) if i % 2 == 0 else (b, a)):
            rows[prefix].append(one_start(prefix))
    names = [("start to kernel_info reply", "s", 1), ("first 1+1 after ready", "ms", 1000),
             (f"median 1+1 round trip ({ROUND_TRIPS} runs)", "ms", 1000), ("RSS of the process tree after start", "MB", 1),
             ("RSS after the runs", "MB", 1), ("shutdown until every process is gone", "s", 1),
             ("CPU (both JVMs) per round trip", "ms", 1), ("CPU (both JVMs) at the first reply", "ms", 1)]
    print(f"A/B, {starts} starts each, alternated; load average {load_before} before, {load_average()} after")
    print(f"  A = {a}\n  B = {b}")
    print(f"{'figure (medians)':40} {'A':>9} {'B':>9} {'B/A':>7}")
    for k, (name, unit, scale) in enumerate(names):
        ma = statistics.median(r[k] * scale for r in rows[a])
        mb = statistics.median(r[k] * scale for r in rows[b])
        print(f"{name:40} {ma:9.2f} {mb:9.2f} {mb / ma if ma else float('nan'):7.3f}  {unit}")
    return 0


def cells_cost(notebook, prefix=None):
    """CPU (both JVMs) and wall time of each code cell of a notebook, run in order in one fresh kernel:
    which cells make a lesson's cost (the class benchmark gives only the sum)."""
    import nbformat
    cells = [c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code" and c.source.strip()]
    km = manager(prefix)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        time.sleep(3)   # the kernel's own start-up and warm-up round are not the first cell's
        pid = km.provisioner.process.pid
        print(f"{os.path.basename(notebook)}, one kernel, cells in order; load average {load_average()}")
        print(f"{'CPU ms':>7} {'wall ms':>8}  cell")
        total = 0.0
        for code in cells:
            before, t = cpu_ms(tree(pid)), time.monotonic()
            execute(kc, code)
            cpu = cpu_ms(tree(pid)) - before
            total += cpu
            print(f"{cpu:7.0f} {1000 * (time.monotonic() - t):8.0f}  {code.splitlines()[0][:60]}")
        print(f"{total:7.0f} ms of CPU in all; load average after: {load_average()}")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return 0


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--cells":
        if len(sys.argv) not in (3, 4):
            sys.exit("usage: bench_kernel.py --cells NOTEBOOK [PREFIX]")
        return cells_cost(sys.argv[2], sys.argv[3] if len(sys.argv) == 4 else None)
    if len(sys.argv) > 1 and sys.argv[1] == "--compare":
        if len(sys.argv) not in (4, 5):
            sys.exit("usage: bench_kernel.py --compare PREFIX_A PREFIX_B [STARTS]")
        return compare(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) == 5 else STARTS)
    rows = [one_start() for _ in range(STARTS)]
    cols = list(zip(*rows))
    # issue 18's goals for the first four; JJava 1.0-a7 took 1.71 s, 200 ms, 78 ms and 250 MB there
    names = [("start to kernel_info reply", "s", 0.6, 1), ("first 1+1 after ready", "ms", 100, 1000),
             ("median 1+1 round trip (50 runs)", "ms", 15, 1000), ("RSS of the process tree after start", "MB", 140, 1),
             ("RSS after the 50 runs", "MB", 200, 1), ("shutdown until every process is gone", "s", 0.5, 1)]
    print(f"Kernel over ZeroMQ, {STARTS} starts (median, min, max); load average {load_average()}")
    print(f"{'figure':40} {'median':>9} {'min':>9} {'max':>9} {'goal':>9}")
    for (name, unit, goal, scale), values in zip(names, cols[:len(names)]):
        v = [x * scale for x in values]
        print(f"{name:40} {statistics.median(v):9.2f} {min(v):9.2f} {max(v):9.2f} {('<= ' + str(goal)):>9}  {unit}")
    cpu = [r[6] for r in rows]
    print(f"{'CPU (both JVMs) per round trip':40} {statistics.median(cpu):9.2f} {min(cpu):9.2f} {max(cpu):9.2f} {'':>9}  ms")
    later = [first_after_pause(0.5) * 1000 for _ in range(STARTS)]
    name = "first 1+1, sent 0.5 s after ready"
    print(f"{name:40} {statistics.median(later):9.2f} {min(later):9.2f} {max(later):9.2f} {'':>9}  ms")
    print(f"load average after: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
