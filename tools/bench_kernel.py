"""Kernel figures over the real protocol, as medians of several kernel starts (./threadlab bench kernel).

Start to kernel_info reply; first `1+1` after ready (sent at once, and in other starts half a
second later, as a person would: the kernel uses that time to warm up); median round trip of
`1+1` over 50 runs; resident memory of the kernel's process tree after start and after those runs;
shutdown time.
Printed beside the goals; nothing is asserted: shared machines are noisy.
"""
import os
import statistics
import sys
import time

from jupyter_client import KernelManager

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


def one_start():
    t0 = time.monotonic()
    km = KernelManager(kernel_name="threadlab")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    ready = time.monotonic() - t0
    t1 = time.monotonic()
    execute(kc, "1+1")
    first = time.monotonic() - t1
    pid = km.provisioner.process.pid
    time.sleep(0.5)
    mem_start = rss_mb(pid)
    trips = []
    for i in range(ROUND_TRIPS):
        t = time.monotonic()
        execute(kc, "1+1")
        trips.append(time.monotonic() - t)
    time.sleep(0.5)
    mem_after = rss_mb(pid)
    family = tree(pid)
    t2 = time.monotonic()
    km.shutdown_kernel(now=False)
    while any(os.path.exists(f"/proc/{p}") for p in family) and time.monotonic() - t2 < 10:
        time.sleep(0.01)
    shutdown = time.monotonic() - t2
    kc.stop_channels()
    return ready, first, statistics.median(trips), mem_start, mem_after, shutdown


def main():
    rows = [one_start() for _ in range(STARTS)]
    cols = list(zip(*rows))
    names = [("start to kernel_info reply", "s", 1.0, 1), ("first 1+1 after ready", "ms", 150, 1000),
             ("median 1+1 round trip (50 runs)", "ms", 20, 1000), ("RSS of the process tree after start", "MB", 160, 1),
             ("RSS after the 50 runs", "MB", 200, 1), ("shutdown until every process is gone", "s", 0.5, 1)]
    print(f"Kernel over ZeroMQ, {STARTS} starts (median, min, max)")
    print(f"{'figure':40} {'median':>9} {'min':>9} {'max':>9} {'goal':>9}")
    for (name, unit, goal, scale), values in zip(names, cols):
        v = [x * scale for x in values]
        print(f"{name:40} {statistics.median(v):9.2f} {min(v):9.2f} {max(v):9.2f} {('<= ' + str(goal)):>9}  {unit}")
    later = [first_after_pause(0.5) * 1000 for _ in range(STARTS)]
    name = "first 1+1, sent 0.5 s after ready"
    print(f"{name:40} {statistics.median(later):9.2f} {min(later):9.2f} {max(later):9.2f} {'':>9}  ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
