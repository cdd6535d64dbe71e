"""Memory of browsing the course: starts Jupyter Notebook on the repository (as `./threadlab notebook`
does), opens the index and three lectures the way a browser tab does (POST /api/sessions, which
starts each notebook's kernel), waits until the processes have settled, and prints how many kernels
and JVMs run and their memory (RSS and PSS, summed over every process below Jupyter, Jupyter
itself not counted).

    bench_browse.py [--index-kernel NAME] [NOTEBOOK...]

--index-kernel threadlab opens the index with the Java kernel, as it was before the index named
Python's kernel: the "before" figure. The kernelspec "threadlab" must be on JUPYTER_PATH
(`./threadlab bench browse` sets that up).
"""
import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
DEFAULT = ["lectures/index.ipynb", "lectures/01-processes-and-threads.ipynb", "lectures/05-the-gil.ipynb",
           "lectures/09-race-conditions.ipynb"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descendants(root):
    children = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = open(f"/proc/{d}/stat").read()
                ppid = int(stat[stat.rindex(")") + 2:].split()[1])
                children.setdefault(ppid, []).append(int(d))
            except (OSError, ValueError):
                pass
    out, todo = [], [root]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def memory(pid):
    """(rss_kb, pss_kb, command) of one process, or None when it is gone."""
    try:
        rss = pss = 0
        for line in open(f"/proc/{pid}/smaps_rollup"):
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
        cmd = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")[0].decode(errors="replace")
        return rss, pss, os.path.basename(cmd)
    except OSError:
        return None


def snapshot(server):
    procs = [m for m in (memory(p) for p in descendants(server)) if m]
    return procs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index-kernel", help="open the index with this kernel instead of the one it names")
    ap.add_argument("notebooks", nargs="*", default=DEFAULT)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="threadlab-browse-")
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=os.path.join(tmp, "config"), JUPYTER_RUNTIME_DIR=os.path.join(tmp, "rt"))
    cmd = [sys.executable, "-m", "notebook", "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--port-retries=0",
           f"--NotebookApp.token={token}", f"--notebook-dir={ROOT}"]
    if os.getuid() == 0:
        cmd.append("--allow-root")
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"

    def api(method, path, body=None):
        req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read() or b"null")

    try:
        for _ in range(120):
            try:
                api("GET", "/api/status")
                break
            except OSError:
                time.sleep(0.25)
        for nb in args.notebooks:
            meta = json.load(open(os.path.join(ROOT, nb))).get("metadata", {})
            kernel = meta.get("kernelspec", {}).get("name", "threadlab")
            if args.index_kernel and os.path.basename(nb) == "index.ipynb":
                kernel = args.index_kernel
            api("POST", "/api/sessions", {"path": nb, "type": "notebook", "name": "", "kernel": {"name": kernel}})
            print(f"opened {nb} with kernel {kernel}")
        # settled: the same processes for 5 s in a row, and every kernel's JVMs up
        last, stable, deadline = None, 0, time.time() + 120
        while time.time() < deadline and stable < 5:
            time.sleep(1)
            now = sorted((m[2], ) for m in snapshot(server.pid))
            stable = stable + 1 if now == last else 0
            last = now
        time.sleep(3)
        procs = snapshot(server.pid)
        kernels = len(api("GET", "/api/kernels"))
        jvms = sum(1 for m in procs if m[2] == "java")
        rss = sum(m[0] for m in procs) / 1024
        pss = sum(m[1] for m in procs) / 1024
        for m in sorted(procs, key=lambda m: -m[0]):
            print(f"  {m[2]:<12} RSS {m[0] / 1024:7.1f} MB  PSS {m[1] / 1024:7.1f} MB")
        print(f"{len(args.notebooks)} notebooks open: {kernels} kernels, {jvms} JVMs, {len(procs)} processes, "
              f"RSS {rss:.0f} MB, PSS {pss:.0f} MB")
    finally:
        below = descendants(server.pid)
        server.terminate()  # Jupyter shuts its kernels down, and each kernel its execution JVM
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            pass
        time.sleep(2)
        for p in below:
            try:
                os.kill(p, 9)
            except OSError:
                pass
        try:
            os.killpg(server.pid, 9)
        except OSError:
            pass
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
