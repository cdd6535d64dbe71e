"""Grades submitted exercise notebooks: ./threadlab grade SUBMISSION.ipynb... [--out DIR]

For each submission, in parallel up to the number of cores, within one time budget (--budget) for
the whole submission, each step in a bubblewrap sandbox of its own (tools/grade_sandbox.py: an
unprivileged user, its own PID namespace that dies with the step, no network, no environment, a
read-only view of only what the step needs, a private /tmp):
1. it runs the notebook headless through the ThreadLab kernel (per-cell time limit, errors
   allowed), so the student gets the notebook back with its outputs (at most 1 MB kept);
2. it grades it in a JVM of its own (org.threadlab.grading.Grader run): the submission's solution
   cells, with the instructor's locked cells of solutions/ around them, evaluated by JShell, then
   the visible and hidden tests one at a time, each with its time limit; -Xmx, a thread limit,
   the hidden tests only as compiled classes, read-only. That JVM reports what it saw (a test
   started; passed, failed or not judged); this driver checks every line against what it asked
   for and takes the points from the manifest (Grader prepare, run before any student code).
   Anything unexpected on that channel scores the submission 0 for the instructor to review.
   A test that ends the JVM (System.exit, a thread explosion, threads no interrupt stops) costs
   that test its points; the remaining tests run in a fresh JVM.
Then, once every sandbox is gone, it writes under --out (default grades/):
   gradebook.csv                        student, exercise, test, points, max, review (one row per test)
   batch.json                           times, scores and review notes per submission, the sandbox's start cost
   submissions/NAME/results.json        Gradescope's format (tests with name, score, max_score, output, visibility)
   submissions/NAME/feedback.md         what the student reads: points per test and why
   submissions/NAME/executed.ipynb      the notebook with the outputs of step 1 (at most 1 MB of output)
   submissions/NAME/grader.log          what the submission printed while it was graded (at most 1 MB)
Without a working sandbox it refuses to grade; --no-sandbox grades anyway and says so in capitals.
"""
import argparse
import atexit
import concurrent.futures
import csv
import glob
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

import nbformat

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from grade_sandbox import (INFO_FD, SANDBOX_USER, Sandbox, SandboxUnavailable, TreeUsage, machine_too_busy,  # noqa: E402
                           wait_gone)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VISIBILITY = {"visible": "visible", "hidden": "after_published"}


def java_binary():
    home = os.environ.get("JAVA_HOME")
    return os.path.join(home, "bin", "java") if home else "java"


def kernel_lib_jars():
    """The grading JVM's class path: the grading module's jar and its runtime jars (the helper library, JUnit, ...)."""
    jars = glob.glob(os.path.join(ROOT, "grading-lib", "target", "threadlab-grading-*.jar"))
    jars = [j for j in jars if not j.endswith(("-sources.jar", "-javadoc.jar"))]
    deps = glob.glob(os.path.join(ROOT, "grading-lib", "target", "lib", "*.jar"))
    if not jars or not deps:
        sys.exit("grade: grading-lib is not built; run ./threadlab build (./threadlab grade does it for you)")
    return jars + deps


def readable(top):
    """World-readable, nobody's to write (but the grader's): what sandboxes read."""
    os.chmod(top, 0o755)
    for d, dirs, files in os.walk(top):
        for n in dirs:
            os.chmod(os.path.join(d, n), 0o755)
        for n in files:
            os.chmod(os.path.join(d, n), 0o644)


def kernelspec(tmp):
    """(JUPYTER_PATH, paths the kernel step must see, (copy, original) pairs to bind) for the ThreadLab kernelspec.

    The kernelspec is copied into the batch's folder, readable by the sandbox user (an installed
    one may sit in a folder only its owner can enter), and bound where it was installed, so the
    absolute paths in kernel.json (jars, the AOT cache) stay right.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    try:
        spec = KernelSpecManager().get_kernel_spec("threadlab")
    except NoSuchKernel:
        sys.exit("grade: the ThreadLab kernel is not installed; run ./threadlab grade (it installs a private one), "
                 "or ./threadlab install-kernel, or grade with --no-run")
    res = os.path.realpath(spec.resource_dir)
    copy = os.path.join(tmp, "kernelspec")
    shutil.copytree(res, copy)
    readable(copy)
    paths = []
    jdk = os.path.dirname(os.path.dirname(os.path.realpath(spec.argv[0])))
    if not jdk.startswith("/usr/"):
        paths.append(jdk)
    # JUPYTER_PATH is the folder above kernels/threadlab
    return os.path.dirname(os.path.dirname(res)), paths, [(copy, res)]


PREPARED = {}  # what batches of this process prepared, by what it was made from: one preparation for many batches


def prepared_key(args, java, sandbox):
    """What a batch's preparation depends on: the JVM, its heap, the jars and the hidden tests' sources (with their times)."""
    files = kernel_lib_jars() + sorted(glob.glob(os.path.join(args.hidden, "**", "*"), recursive=True))
    stamps = []
    for f in files:
        try:
            st = os.stat(f)
            stamps.append((f, st.st_mtime_ns, st.st_size))
        except OSError:
            pass
    return (java, os.path.realpath(args.hidden), args.heap, sandbox.enabled, tuple(stamps))


class Batch:
    """What every submission of a batch shares: the compiled hidden tests, the jars, the solution notebooks."""

    def __init__(self, args, sandbox):
        self.args = args
        self.sandbox = sandbox
        self.java = java_binary()
        self.tmp = tempfile.mkdtemp(prefix="threadlab-grade-")
        # the sandbox user must pass through to what is bound for it, and read nothing else here
        os.chmod(self.tmp, 0o711)
        self.cpus = args.cpus
        self.only = {}
        if args.only_tests:
            with open(args.only_tests, encoding="utf-8") as f:
                self.only = {os.path.abspath(k): list(v) for k, v in json.load(f).items()}
        key = prepared_key(args, self.java, sandbox)
        done = PREPARED.get(key)
        if done and all(os.path.exists(p) for p in (done["lib"], done["hidden"], done["hidden_jar"])):
            # a batch before this one in this process (the test suite, the benchmark) prepared the same
            for k, v in done.items():
                setattr(self, k, v)
        else:
            self.prepare(args, sandbox)
            if sandbox.enabled:  # unsandboxed, a trusted submission could still write there: each batch its own
                PREPARED[key] = {k: getattr(self, k) for k in ("lib", "classpath", "hidden", "hidden_jar_dir", "hidden_jar",
                                                               "tests", "startup_cache")}
        # the one file all grading JVMs share: the parallel-sum timing test measures one at a time
        self.timing_lock = os.path.join(self.tmp, "timing.lock")
        open(self.timing_lock, "w").close()
        sandbox.own(self.timing_lock, 0o600)
        real_java = os.path.realpath(shutil.which(self.java) or self.java)
        jdk = os.path.dirname(os.path.dirname(real_java))
        self.java_paths = [] if jdk.startswith("/usr/") else [jdk]
        self.jupyter_path, self.kernel_paths, self.kernel_binds = ("", [], []) if args.no_run else kernelspec(self.tmp)
        self.solutions = {}
        for path in sorted(glob.glob(os.path.join(args.solutions, "*.ipynb"))):
            nb = nbformat.read(path, as_version=4)
            self.solutions[os.path.basename(path)] = nb

    def grading_jvm(self, tmpdir, hidden_classpath, cache=True):
        """The grading JVM's command line, without its sandbox. Its warnings go to stderr: stdout is the result channel."""
        argv = [self.java, f"-Xmx{self.args.heap}", "-Xss512k", "-XX:+DisableAttachMechanism", "-XX:-UsePerfData",
                "-Xlog:disable", "-Xlog:all=warning:stderr"]
        if cache and self.startup_cache:
            argv.append(f"-XX:AOTCache={self.startup_cache}")
        return argv + [f"-Djava.io.tmpdir={tmpdir}", "-cp", self.classpath + os.pathsep + hidden_classpath,
                       "org.threadlab.grading.Grader", "run"]

    def prepare(self, args, sandbox):
        """The jars, the compiled hidden tests (a folder and a jar), the manifest and the start-up cache."""
        folder = tempfile.mkdtemp(prefix="threadlab-grade-prepared-", dir=os.environ.get("TMPDIR") or "/tmp")
        os.chmod(folder, 0o711)
        atexit.register(shutil.rmtree, folder, True)
        # the grading JVMs see copies outside the repository, so their class path does not point at it
        self.lib = os.path.join(folder, "lib")
        os.makedirs(self.lib)
        for jar in kernel_lib_jars():
            shutil.copy(jar, self.lib)
        self.classpath = os.path.join(self.lib, "*")
        self.hidden = os.path.join(folder, "hidden")
        # compiled by the grader's own JVM, where no student code runs; the manifest it prints is where points come from
        prep = subprocess.run([self.java, "-cp", self.classpath, "org.threadlab.grading.Grader", "prepare",
                               args.hidden, self.hidden], capture_output=True, text=True)
        if prep.returncode != 0:
            sys.exit("grade: preparing the hidden tests failed:\n" + prep.stderr)
        # the grading JVMs load the hidden classes from a jar: a start-up cache cannot cover a class
        # path with a non-empty folder on it (the folder stays, for the list of hidden test classes)
        self.hidden_jar_dir = os.path.join(folder, "hidden-jar")
        os.makedirs(self.hidden_jar_dir)
        self.hidden_jar = os.path.join(self.hidden_jar_dir, "hidden-tests.jar")
        with zipfile.ZipFile(self.hidden_jar, "w") as z:
            for where, _, files in os.walk(self.hidden):
                for f in sorted(files):
                    full = os.path.join(where, f)
                    z.write(full, os.path.relpath(full, self.hidden))
        self.startup_cache = None
        readable(self.lib)
        readable(self.hidden)  # every sandbox binds these read-only
        readable(self.hidden_jar_dir)
        manifest = json.loads(prep.stdout.strip().splitlines()[-1])
        self.tests = {e["name"]: e["tests"] for e in manifest["exercises"]}
        if sandbox.enabled:
            self.startup_cache = train_startup_cache(self)

    def pinned(self, cmd):
        """cmd on the CPUs of --cpus only (taskset), or as it is."""
        return ["taskset", "-c", self.cpus] + cmd if self.cpus else cmd

    def source_for(self, nb, filename):
        """The solution notebook a submission answers: the one sharing most grade ids (then the file name)."""
        ids = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb.cells} - {None}
        best, best_n = None, 0
        for name, sol in self.solutions.items():
            sol_ids = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in sol.cells} - {None}
            n = len(ids & sol_ids)
            if n > best_n:
                best, best_n = name, n
        if best is None:
            for name in self.solutions:
                if name[:-6] in filename:
                    return name
        return best


def train_startup_cache(batch):
    """An ahead-of-time cache of the classes a grading JVM loads (JShell, javac, the grader; JDK 25+), or None.

    Made once per batch by a JVM that evaluates one harmless cell, with the class path and flags of
    the grading JVMs; each of them then starts from it (about 0.6 CPU-s less apiece here, on well
    over a hundred JVMs in the grading suite). No student code runs in it. A JDK without the
    option, or any failure, leaves the batch without a cache, as before.
    """
    cache = os.path.join(batch.lib, "grader.aot")
    cell = "int warmUp = java.util.List.of(1, 2).size();"
    program = f"nonce startup\ncell code {len(cell)} warm-up\n{cell}\n"
    argv = batch.grading_jvm(tempfile.gettempdir(), batch.hidden_jar, cache=False)
    argv.insert(1, f"-XX:AOTCacheOutput={cache}")
    try:
        subprocess.run(argv, input=program.encode(), capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if not os.path.isfile(cache):
        return None
    os.chmod(cache, 0o644)
    return cache


def nbgrader(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def graded_exercises(sol):
    return [nbgrader(c)["grade_id"] for c in sol.cells
            if c.cell_type == "code" and nbgrader(c).get("grade") and not nbgrader(c).get("solution")]


def program_cells(sol, sub):
    """The cells the grading JVM evaluates: solution cells from the submission, the rest from solutions/."""
    submitted = {nbgrader(c).get("grade_id"): c.source for c in sub.cells if c.cell_type == "code" and nbgrader(c)}
    cells = []
    for c in sol.cells:
        meta = nbgrader(c)
        if c.cell_type != "code" or not meta:
            continue  # demos and experiments are not graded
        if meta.get("solution"):
            cells.append(("solution", meta["grade_id"], submitted.get(meta["grade_id"], "")))
        else:
            cells.append(("grade" if meta.get("grade") else "locked", meta["grade_id"], c.source))
    return cells


KEEP_BYTES = 1_000_000          # output kept per submission and file (executed.ipynb, grader.log)
CHANNEL_BYTES = 4_000_000       # more than this on the result channel is itself a violation

# The kernel step: runs inside the sandbox, as the sandbox user, with nothing of the grader's but its arguments.
KERNEL_STEP = r"""
import json, sys
import nbformat
from nbclient import NotebookClient
src, out, timeout, workdir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
nb = nbformat.read(src, as_version=4)
client = NotebookClient(nb, timeout=timeout, kernel_name="threadlab", allow_errors=True,
                        interrupt_on_timeout=True, resources={"metadata": {"path": workdir}})
def save(**_):
    nbformat.write(nb, out)  # after every cell: a run stopped by the time budget still leaves what it did
try:
    client.on_cell_executed = save
except Exception:
    pass
try:
    client.execute()
except Exception as e:
    nbformat.write(nb, out)
    print(f"{type(e).__name__}: {e}", file=sys.stderr)
    sys.exit(3)
nbformat.write(nb, out)
"""


class Capture:
    """Reads a pipe to its end in a thread, keeping the first `keep` bytes and counting the rest.

    line_times: when each of the first lines kept arrived (time.monotonic()), for the result channel."""

    MAX_TIMED_LINES = 10_000

    def __init__(self, pipe, keep):
        self.keep, self.data, self.dropped = keep, bytearray(), 0
        self.line_times = []
        self.thread = threading.Thread(target=self._read, args=(pipe,), daemon=True)
        self.thread.start()

    def _read(self, pipe):
        while True:
            chunk = pipe.read1(65536)  # what has arrived: lines are timed as they come
            if not chunk:
                break
            room = self.keep - len(self.data)
            if room > 0:
                self.data += chunk[:room]
                if len(self.line_times) < self.MAX_TIMED_LINES:
                    self.line_times += [time.monotonic()] * chunk[:room].count(b"\n")
            self.dropped += max(0, len(chunk) - max(room, 0))
        pipe.close()

    def join(self):
        self.thread.join(10)
        return bytes(self.data), self.dropped


def run_step(argv, env, cwd, stdin_bytes, timeout, keep_out, keep_err, step=None):
    """Runs one sandboxed step with a hard time limit; returns (rc, out, out_dropped, err, err_dropped, timed_out).

    step (a dict), if given, gets "usage": the CPU time and run-queue wait of the step's process
    tree (grade_sandbox.TreeUsage, sampled while it ran and at the moment its time ran out), and
    "line_times": when each line of its standard output arrived.
    """
    info_r = info_w = None
    if INFO_FD in argv:
        info_r, info_w = os.pipe()
        argv = [a if a != INFO_FD else str(info_w) for a in argv]
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True, pass_fds=(info_w,) if info_w else ())
    if info_w is not None:
        os.close(info_w)
    out, err = Capture(proc.stdout, keep_out), Capture(proc.stderr, keep_err)
    usage = TreeUsage(proc.pid)
    try:
        if stdin_bytes:
            proc.stdin.write(stdin_bytes)
        proc.stdin.close()
    except (BrokenPipeError, OSError):
        pass
    timed_out = False
    try:
        proc.wait(timeout=max(0.1, timeout))
    except subprocess.TimeoutExpired:
        timed_out = True
        usage.sample()  # what the tree got and waited for, up to the moment its time ran out
    usage.stop()
    kill_group(proc)  # the sandbox's PID namespace ends with it; unsandboxed, its process group at least
    proc.wait()
    if info_r is not None:
        # bwrap's SIGKILL reaches the namespace's first process a moment after bwrap itself ends:
        # wait for it, so that nothing of this step is left when the grader goes on
        with os.fdopen(info_r, "rb") as f:
            info = f.read(4096)
        m = re.search(rb'"child-pid"\s*:\s*(\d+)', info)
        if m and not wait_gone(int(m.group(1))):
            raise RuntimeError(f"the sandbox's process {m.group(1).decode()} did not end after SIGKILL")
    o, od = out.join()
    e, ed = err.join()
    if step is not None:
        step["usage"], step["line_times"] = usage, out.line_times
    return proc.returncode, o, od, e, ed, timed_out


def kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def kernel_env():
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "TMPDIR": "/tmp", "USER": "student",
           "JUPYTER_RUNTIME_DIR": "/tmp/jupyter-runtime", "JUPYTER_CONFIG_DIR": "/tmp/jupyter-config",
           "JUPYTER_DATA_DIR": "/tmp/jupyter-data", "PYTHONDONTWRITEBYTECODE": "1", "IPYTHONDIR": "/tmp/ipython"}
    # the instructor's choices for the kernel, nothing else of the grader's environment
    for k in ("THREADLAB_PROFILE", "THREADLAB_HEAP", "THREADLAB_MAX_THREADS", "THREADLAB_MAX_PROCESSES"):
        if os.environ.get(k):
            env[k] = os.environ[k]
    # check(...) only hands the implementation over: the grading JVM runs the tests (and their schedule searches) anyway
    env["THREADLAB_CHECK"] = "bind"
    return env


def python_paths():
    """What the kernel step's Python needs outside /usr (a venv, a pip --user site), never the repository."""
    paths = set()
    for p in [sys.prefix, sys.base_prefix] + [q for q in sys.path if q]:
        p = os.path.realpath(p)
        if os.path.exists(p) and not p.startswith("/usr/") and p != "/usr" and not p.startswith(ROOT + os.sep) and p != ROOT:
            paths.add(p)
    return sorted(paths)


def run_in_kernel(batch, sub_dir, path, out_path, deadline, usages):
    """Step 1: the notebook headless through the kernel, in the sandbox. Returns (notes, review notes).

    Only texts the grader writes reach the feedback: that the run stopped, and which cells raised
    which exception class; what the cells printed stays in executed.ipynb (capped).
    """
    args, sandbox = batch.args, batch.sandbox
    notes, review = [], []
    ind = os.path.join(sub_dir, "in")
    outd = os.path.join(sub_dir, "out")
    os.makedirs(ind)
    os.makedirs(outd)
    src = os.path.join(ind, "submission.ipynb")
    shutil.copy(path, src)
    sandbox.own(ind, 0o700)
    sandbox.own(src, 0o600)
    sandbox.own(outd, 0o700)
    work = "/tmp/run"
    argv = [sys.executable, "-c", KERNEL_STEP, src, os.path.join(outd, "executed.ipynb"),
            str(max(1, int(args.cell_timeout))), work]
    env = kernel_env()
    env["JUPYTER_PATH"] = batch.jupyter_path
    ro = [ind] + batch.kernel_paths + python_paths()
    if sandbox.enabled:
        argv = ["/bin/sh", "-c", f'mkdir -p {work} && exec "$@"', "sh"] + argv
        cmd, penv, cwd = sandbox.command(argv, ro=ro, rw=[outd], env=env, binds_ro=batch.kernel_binds)
    else:
        work = os.path.join(sub_dir, "run")
        os.makedirs(work)
        argv[-1] = work
        cmd, penv, cwd = sandbox.command(argv, ro=ro, rw=[outd], env=dict(env, HOME=work, TMPDIR=work))
        penv.update({k: v for k, v in os.environ.items() if k not in penv and k.startswith(("JAVA", "PYTHON"))})
    remaining = deadline - time.monotonic()
    step = {}
    rc, _, _, err, _, timed_out = run_step(batch.pinned(cmd), penv, cwd, b"", remaining, 0, 20_000, step=step)
    usages.append(step["usage"])
    if timed_out:
        notes.append(f"running the notebook was stopped: the submission used up its time budget of {args.budget:.0f} s")
    elif rc != 0:
        notes.append("running the notebook stopped early (the kernel died or a cell could not be run)")
        review.append(f"kernel step ended with exit code {rc}: {clip(err.decode('utf-8', 'replace').strip()[-300:], 300)}")
    nb = keep_notebook(os.path.join(outd, "executed.ipynb"), path, out_path, notes)
    if nb is not None:
        for i, cell in enumerate(nb.cells):
            for o in cell.get("outputs", []) if cell.cell_type == "code" else []:
                if o.get("output_type") == "error":
                    # the exception's class only: its message is the submission's own text
                    notes.append(f"cell {i} raised {identifier(o.get('ename'))}")
                    break
    return notes, review


def identifier(name):
    name = str(name or "an exception")
    return name if re.fullmatch(r"[A-Za-z_$][\w$.]{0,79}", name) else "an exception"


def keep_notebook(produced, submitted, out_path, notes):
    """Writes out_path from what the kernel step produced, at most about KEEP_BYTES; returns the notebook or None."""
    nb = None
    try:
        size = os.path.getsize(produced)
        if size <= FILE_LIMIT_MB * 1024 * 1024:
            nb = nbformat.read(produced, as_version=4)
    except Exception:
        nb = None
    if nb is None:
        nb = nbformat.read(submitted, as_version=4)
        for c in nb.cells:
            if c.cell_type == "code":
                c.outputs = []
        nbformat.write(nb, out_path)
        return None
    truncated = 0
    used = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for o in cell.get("outputs", []):
            n = len(json.dumps(o))
            if used + n <= KEEP_BYTES:
                kept.append(o)
                used += n
            else:
                truncated += n
        if len(kept) < len(cell.get("outputs", [])):
            kept.append(nbformat.v4.new_output("stream", name="stderr",
                                               text="[the grader kept only the first 1 MB of this notebook's output]\n"))
        cell.outputs = kept
    if truncated:
        notes.append(f"the notebook's output was cut: {truncated // 1000} kB over the 1 MB kept per submission")
    nbformat.write(nb, out_path)
    return nb


FILE_LIMIT_MB = 64


# ---- the result channel: what the grading JVM saw, checked by the driver -------------------

EVENTS = {
    "start": {"key": str},
    "result": {"key": str, "outcome": str, "message": str, "millis": int},
    "cell-error": {"cell": str, "message": str},
    "unbound": {"exercise": str, "message": str},
    "cell-timeout": {"cell": str, "seconds": (int, float)},
    "restart": {"after": str},
    "exit": {},
    "done": {},
}
OUTCOMES = {"passed", "failed", "unjudged"}


class ChannelError(Exception):
    pass


def read_channel(out, dropped, nonce, plan, skip, cell_ids, killed):
    """The events of one grading JVM, checked against what was asked.

    plan: [(exercise, [test keys in order])]; skip: keys not asked this time. Anything else on
    the channel (a line without the nonce, an unknown event or key, a test out of order, twice or
    not asked, a line after the end) raises ChannelError: the submission is scored 0 for review.
    """
    if dropped:
        raise ChannelError(f"more than {CHANNEL_BYTES // 1_000_000} MB on the result channel")
    text = out.decode("utf-8", "replace")
    lines = text.split("\n")
    last = lines.pop()
    if last and not killed:
        raise ChannelError(f"an unfinished line on the result channel: {clip(last, 80)!r}")
    pending = [(ex, [k for k in keys if k not in skip]) for ex, keys in plan]
    ex_i, test_i, running, finished, seen_start = 0, 0, None, None, set()
    events = []
    prefix = nonce + " "
    for n, raw in enumerate(lines, 1):
        where = f"line {n}"
        if not raw.startswith(prefix):
            raise ChannelError(f"{where} is not the grader's: {clip(raw, 80)!r}")
        try:
            ev = json.loads(raw[len(prefix):])
        except ValueError:
            raise ChannelError(f"{where} is not JSON: {clip(raw[len(prefix):], 80)!r}")
        if not isinstance(ev, dict) or ev.get("event") not in EVENTS:
            raise ChannelError(f"{where} is no known event: {clip(raw[len(prefix):], 80)!r}")
        kind = ev["event"]
        schema = EVENTS[kind]
        if set(ev) != set(schema) | {"event"}:
            raise ChannelError(f"{where} ({kind}) has unexpected fields: {sorted(set(ev) ^ (set(schema) | {'event'}))}")
        for k, t in schema.items():
            if not isinstance(ev[k], t) or isinstance(ev[k], bool):
                raise ChannelError(f"{where} ({kind}): {k} has the wrong type")
        if finished:
            raise ChannelError(f"{where} ({kind}) comes after '{finished}' ended the run")
        ev["_line"] = n - 1  # when it arrived tells which time window a time-out covered
        while ex_i < len(pending) and test_i >= len(pending[ex_i][1]):
            ex_i, test_i = ex_i + 1, 0
        current = pending[ex_i][1][test_i] if ex_i < len(pending) else None
        if kind == "start":
            if running or ev["key"] != current:
                raise ChannelError(f"{where}: test {ev['key']!r} was not the one to run next ({current!r})")
            running = ev["key"]
            seen_start.add(pending[ex_i][0])
            events.append(ev)
        elif kind == "result":
            if ev["key"] != running:
                raise ChannelError(f"{where}: a result for {ev['key']!r}, which was not running")
            if ev["outcome"] not in OUTCOMES:
                raise ChannelError(f"{where}: unknown outcome {clip(ev['outcome'], 40)!r}")
            events.append(ev)
            running = None
            test_i += 1
        elif kind in ("cell-error", "cell-timeout"):
            if running or seen_start or ev["cell"] not in cell_ids:
                raise ChannelError(f"{where}: a {kind} for cell {clip(ev['cell'], 40)!r} where none can be")
            events.append(ev)
            if kind == "cell-timeout":
                finished = kind
        elif kind == "unbound":
            names = [ex for ex, _ in pending]
            if running or ev["exercise"] not in names or ev["exercise"] in seen_start:
                raise ChannelError(f"{where}: 'unbound' for {clip(ev['exercise'], 40)!r} where none can be")
            i = names.index(ev["exercise"])
            if i < ex_i:
                raise ChannelError(f"{where}: 'unbound' for {ev['exercise']!r} after its turn")
            seen_start.add(ev["exercise"])
            pending[i] = (pending[i][0], [])
            events.append(ev)
        elif kind == "restart":
            if running or not events or events[-1]["event"] != "result" or events[-1]["key"] != ev["after"]:
                raise ChannelError(f"{where}: a restart after {clip(ev['after'], 60)!r}, which did not just end")
            events.append(ev)
            finished = kind
        elif kind == "exit":
            events.append(ev)
            finished = kind
        elif kind == "done":
            if running or current is not None:
                raise ChannelError(f"{where}: 'done' before every test ran (next: {current!r})")
            events.append(ev)
            finished = kind
    return events


def ran_out_of_cpu(step, ev, seconds):
    """Words saying how the machine starved the time limit of `seconds` that ended with event ev, or None if it did not."""
    times, i = step.get("line_times", []), ev.get("_line")
    end = times[i] if i is not None and i < len(times) else time.monotonic()
    cpu, wait, starved = step["usage"].between(end - seconds, end)
    return too_busy_words(cpu, wait) + f" in {seconds:.0f} s" if machine_too_busy(cpu, wait, seconds, starved) else None


def grade_in_jvm(batch, sub_dir, cells, exercises, log_path, deadline, usages=None, only=None):
    """Step 2: the grading JVM(s), in the sandbox. Returns ({key: result event}, {key: reason}, notes, review).
    With `only` (test names), the other tests are not run: they are skipped from the start, with a reason."""
    args, sandbox = batch.args, batch.sandbox
    results, reasons, notes, review = {}, {}, [], []
    if only is not None:
        known = {t["name"] for e in exercises for t in batch.tests.get(e, [])}
        unknown = sorted(set(only) - known)
        if unknown:
            review.append("--only-tests names no test of this exercise: " + "; ".join(unknown))
        for e in exercises:
            for t in batch.tests.get(e, []):
                if t["name"] not in only:
                    reasons[t["key"]] = NOT_ASKED
    plan = [(e, [t["key"] for t in batch.tests.get(e, [])]) for e in exercises]
    all_keys = [k for _, keys in plan for k in keys]
    cell_ids = {gid for _, gid, _ in cells}
    if sandbox.enabled:
        tmpdir = "/tmp"
        hidden = batch.hidden
        env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "TMPDIR": "/tmp"}
        files_rw = [(batch.timing_lock, "/tmp/threadlab-timing.lock")]
    else:
        tmpdir = os.path.join(sub_dir, "jvm")
        os.makedirs(tmpdir)
        # unsandboxed, each submission still gets its own copy of the hidden classes
        hidden = os.path.join(sub_dir, "hidden")
        shutil.copytree(batch.hidden, hidden)
        env = {"PATH": "/usr/bin:/bin", "HOME": tmpdir, "LANG": "C.UTF-8"}
        files_rw = []
    # sandboxed, the hidden classes come from the batch's jar and the JVM starts from the batch's cache
    argv = batch.grading_jvm(tmpdir, batch.hidden_jar if sandbox.enabled else hidden, cache=sandbox.enabled)
    cmd, penv, cwd = sandbox.command(argv, ro=[batch.lib, hidden, batch.hidden_jar_dir] + batch.java_paths, rw=[], env=env,
                                     files_rw=files_rw)
    log = open(log_path, "wb")
    logged = 0
    violation = None
    for attempt in range(args.restarts + 1):
        remaining = deadline - time.monotonic()
        if remaining <= 1:
            break
        nonce = secrets.token_hex(16)
        skip = set(results) | set(reasons)
        lines = [f"nonce {nonce}", f"hidden {hidden}", f"cell-timeout-ms {int(args.cell_timeout * 1000)}",
                 f"max-threads {args.max_threads}"]
        if args.test_cap:
            lines.append(f"test-cap-ms {int(args.test_cap * 1000)}")
        lines += [f"exercise {e}" for e in exercises]
        lines += [f"skip {k}" for k in sorted(skip)]
        text = "\n".join(lines) + "\n"
        for kind, gid, source in cells:
            text += f"cell {kind} {len(source)} {gid}\n{source}\n"
        step = {}
        rc, out, dropped, err, err_dropped, timed_out = run_step(
            batch.pinned(cmd), penv, cwd, text.encode("utf-8"), remaining, CHANNEL_BYTES, max(0, KEEP_BYTES - logged), step=step)
        if usages is not None:
            usages.append(step["usage"])
        head = f"== grading JVM, attempt {attempt + 1}\n".encode()
        log.write(head + err)
        logged += len(head) + len(err)
        if err_dropped:
            log.write(f"\n[the grader kept only the first 1 MB of this log; {err_dropped} bytes more were dropped]\n".encode())
        try:
            events = read_channel(out, dropped, nonce, plan, skip, cell_ids, killed=timed_out or rc not in (0, None))
        except ChannelError as e:
            violation = str(e)
            break
        started = None
        done = exited = restart = False
        cell_timeout = None
        for ev in events:
            kind = ev["event"]
            if kind == "result":
                busy = ran_out_of_cpu(step, ev, ev["millis"] / 1000) if (
                    ev["outcome"] == "failed" and ev["message"].startswith("did not finish within")) else None
                if busy:
                    # the test's time limit ran out while the machine gave it no CPU: nothing was judged
                    ev = dict(ev, outcome="unjudged", message=UNJUDGED + f"the machine was too busy ({busy}) when the test's "
                              f"time ran out; your instructor regrades it. The test {clip(ev['message'], 200)}")
                    if not any(r.startswith("MACHINE TOO BUSY") for r in review):
                        review.append("MACHINE TOO BUSY: a test ran out of time while the machine gave it no CPU")
                results[ev["key"]] = ev
            elif kind == "cell-error":
                notes.append(ev["message"])
            elif kind == "unbound":
                for t in batch.tests.get(ev["exercise"], []):
                    reasons.setdefault(t["key"], "not graded: " + ev["message"])
            elif kind == "cell-timeout":
                cell_timeout = ev
            elif kind == "exit":
                exited = True
            elif kind == "restart":
                restart = True
            elif kind == "done":
                done = True
        for ev in events:
            if ev["event"] == "start":
                started = ev["key"]  # the test the JVM was in when it ended, if it has no result
            elif ev["event"] == "result":
                started = None
        if done:
            break
        if timed_out:
            why = f"the submission used up its time budget of {args.budget:.0f} s"
        elif cell_timeout:
            why = f"cell {cell_timeout['cell']} did not finish within {cell_timeout['seconds']:.0f} s (an endless loop or a deadlock?)"
            busy = ran_out_of_cpu(step, cell_timeout, cell_timeout["seconds"])
            if busy:
                # the machine, not the cell: the tests it cost are not judged (0 points, for the instructor to regrade)
                why = f"cell {cell_timeout['cell']} did not finish within {cell_timeout['seconds']:.0f} s while the machine was too busy ({busy})"
                notes.append("not judged: " + why + "; your instructor will regrade it")
                review.append("MACHINE TOO BUSY: " + why)
                for k in all_keys:
                    if k not in results:
                        reasons.setdefault(k, UNJUDGED + why)
                break
        elif rc == 3:
            why = f"your code started more than {args.max_threads} threads; the grader stopped it"
        elif exited:
            why = "your code called System.exit, which ends the JVM that grades it; return or throw instead"
        elif restart:
            why = None
        else:
            why = f"the JVM grading your code stopped unexpectedly (exit code {rc}; out of memory or Runtime.halt?)"
        if why is None:
            continue  # the test that left threads running has its result; the rest run in a fresh JVM
        if started:
            reasons[started] = "failed: " + why
            notes.append(f"while testing '{started.split('/', 2)[2]}': {why}")
            if not timed_out and rc != 4:
                continue  # only this test is lost; grade the rest in a fresh JVM
        else:
            notes.append(why)
        for k in all_keys:
            if k not in results:
                reasons.setdefault(k, "not run: " + why)
        break
    log.close()
    if violation:
        review.append("RESULT CHANNEL: " + violation + " (all points withheld; the grader.log shows what ran)")
        notes.append("the grader could not trust this run's results (something other than the grader wrote where "
                     "results go), so it gave no points; your instructor will look at it")
        return {}, {k: "not graded: the results of this run could not be trusted" for k in all_keys}, notes, review
    if time.monotonic() >= deadline and not any(n.startswith("the submission used up") or "time budget" in n for n in notes):
        notes.append(f"the submission used up its time budget of {args.budget:.0f} s")
    for k in all_keys:
        if k not in results:
            reasons.setdefault(k, "not run: the time budget ran out or the grader gave up on this submission (too many restarts)")
    return results, reasons, notes, review


# ---- the static check: what the instructor should look at ---------------------------------

STATIC_CHECKS = [
    ("reflection", r"java\.lang\.reflect|\bsetAccessible\b|\bgetDeclared(Field|Method|Constructor)s?\b|\bClass\.forName\b|\.getMethod\(|\.getField\("),
    ("Unsafe", r"\bUnsafe\b"),
    ("java.lang.invoke", r"java\.lang\.invoke|\bMethodHandles?\b|\bVarHandle\b"),
    ("processes", r"\bProcessBuilder\b|\.exec\s*\(|\bProcessHandle\b"),
    ("System.setOut/setErr/setIn", r"\bSystem\s*\.\s*set(Out|Err|In)\b"),
    ("raw standard streams", r"\bFileDescriptor\s*\.\s*(out|err)\b|/proc/self/fd|/dev/std(out|err)"),
    ("class loaders", r"ClassLoader\b|\bdefineClass\b|\bdefineHiddenClass\b"),
    ("JUnit's classes", r"org\.junit|org\.opentest4j|\bTestAbortedException\b|\bAssumptions\b"),
    ("the grader's classes", r"org\.threadlab\.grading\.(?!exercises\b)(?!Exercises\b)\w+|\bTestRunner\b|\bGrader\b"),
    ("shutdown hooks / halt", r"\baddShutdownHook\b|\.halt\s*\("),
]


def unicode_unescaped(source):
    """Java reads \\uXXXX escapes before anything else, so the check does too."""
    return re.sub(r"\\u+([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), source)


def static_check(sol, sub):
    """Review flags for the submission's code: what it uses that the instructor's solution does not."""
    def code(nb):
        return unicode_unescaped("\n".join(c.source for c in nb.cells if c.cell_type == "code"))
    mine, theirs = code(sub), code(sol)
    flags = []
    for name, pattern in STATIC_CHECKS:
        found = sorted({m.group(0).strip() for m in re.finditer(pattern, mine)})
        if found and not re.search(pattern, theirs):
            flags.append(f"uses {name} ({', '.join(clip(f, 40) for f in found[:3])})")
    return flags


# ---- one submission ------------------------------------------------------------------------

def grade_one(batch, path, name):
    args = batch.args
    start = time.monotonic()
    deadline = start + args.budget
    outdir = os.path.join(args.out, "submissions", name)
    os.makedirs(outdir, exist_ok=True)
    sub_dir = tempfile.mkdtemp(prefix="sub-", dir=batch.tmp)
    os.chmod(sub_dir, 0o711)
    notes, rows, review = [], [], []
    usages = []  # the CPU time and run-queue wait of every step, to tell a busy machine from the code
    kernel_seconds = 0.0
    try:
        sub = nbformat.read(path, as_version=4)
    except Exception as e:
        sub = None
        notes.append(f"the file is not a notebook Jupyter can read: {type(e).__name__}: {clip(str(e), 200)}")
    source = batch.source_for(sub, os.path.basename(path)) if sub is not None else None
    exercises = graded_exercises(batch.solutions[source]) if source else []
    if sub is not None and source is None:
        notes.append("this notebook answers none of the exercises in solutions/ (no matching nbgrader grade ids)")
    try:
        if sub is not None and source:
            review += static_check(batch.solutions[source], sub)
            if not args.no_run and not any(os.path.abspath(path).startswith(os.path.abspath(d) + os.sep) for d in args.no_run_in):
                kernel_start = time.monotonic()
                try:
                    n, r = run_in_kernel(batch, sub_dir, path, os.path.join(outdir, "executed.ipynb"), deadline, usages)
                    notes += n
                    review += r
                except Exception as e:
                    notes.append("running the notebook failed (a problem of the grader's; your instructor will look at it)")
                    review.append(f"kernel step failed: {type(e).__name__}: {clip(str(e), 200)}")
                kernel_seconds = time.monotonic() - kernel_start
            results, reasons, jvm_notes, jvm_review = grade_in_jvm(
                batch, sub_dir, program_cells(batch.solutions[source], sub), exercises,
                os.path.join(outdir, "grader.log"), deadline, usages, batch.only.get(os.path.abspath(path)))
            notes += jvm_notes
            review += jvm_review
            if time.monotonic() >= deadline - 1.5:
                budget_ran_out(args, path, start, usages, reasons, notes, review)
            for e in exercises:
                for t in batch.tests.get(e, []):
                    r = results.get(t["key"])
                    reason = reasons.get(t["key"], "not run")
                    outcome = r["outcome"] if r else ("unjudged" if reason.startswith(UNJUDGED) else "failed")
                    # the points are the manifest's, and only a pass earns them
                    points = t["points"] if outcome == "passed" else 0
                    rows.append({"exercise": e, "test": t["name"], "visibility": t["visibility"], "max": t["points"],
                                 "points": points, "passed": outcome == "passed", "unjudged": outcome == "unjudged",
                                 "message": r["message"] if r else reason})
    finally:
        shutil.rmtree(sub_dir, ignore_errors=True)
    # what the machine kept from being judged: the instructor regrades it (the command names this submission)
    review = [r + "; " + regrade_hint(path) if r.startswith("MACHINE TOO BUSY") else r for r in review]
    seconds = time.monotonic() - start
    student = student_name(path, source)
    write_results_json(os.path.join(outdir, "results.json"), rows, seconds, notes)
    write_feedback(os.path.join(outdir, "feedback.md"), student, source, rows, notes)
    return {"student": student, "name": name, "source": source, "rows": rows, "seconds": seconds, "notes": notes,
            "review": review, "kernel_seconds": kernel_seconds,
            # what the machine gave it: CPU seconds (all its processes' threads; a load-independent cost) and run-queue wait
            "cpu_seconds": sum(u.totals()[0] for u in usages), "cpu_wait_seconds": sum(u.totals()[1] for u in usages)}


NOT_ASKED = "not run: this batch graded only the tests it named (--only-tests)"
UNJUDGED = "could not judge on this machine: "  # TestRunner.UNJUDGED: how a test that judged nothing starts its message


def regrade_hint(path):
    return (f"regrade it on a quieter machine (fewer --jobs, nothing else running): "
            f"./threadlab grade {path} --out grades-regraded")


def too_busy_words(cpu, wait):
    return f"it waited {wait:.1f} s for a CPU and ran {cpu:.1f} s"


def budget_ran_out(args, path, start, usages, reasons, notes, review):
    """The time budget ran out: the code's doing (a fail), or the machine's (the tests it cost are NOT JUDGED)?"""
    cpu = sum(u.totals()[0] for u in usages)
    wait = sum(u.totals()[1] for u in usages)
    starved = sum(u.totals()[2] for u in usages)
    elapsed = time.monotonic() - start
    if not machine_too_busy(cpu, wait, elapsed, starved):
        return
    why = (f"the time budget of {args.budget:.0f} s ran out while the machine was too busy to run this submission "
           f"({too_busy_words(cpu, wait)} in {elapsed:.0f} s)")
    lost = [k for k, r in reasons.items() if "time budget" in r and not r.startswith(UNJUDGED)]
    for k in lost:
        reasons[k] = UNJUDGED + why + "; your instructor regrades it"
    if lost:
        notes.append(f"not judged: {why}; no points were given or taken for the tests it cost, and your instructor will regrade it")
        review.append("MACHINE TOO BUSY: " + why)


def student_of(batch, path):
    """student_name(..) of a submission whose grading failed: its exercise read again, if it can be."""
    try:
        return student_name(path, batch.source_for(nbformat.read(path, as_version=4), os.path.basename(path)))
    except Exception:
        return student_name(path, None)


def student_name(path, source):
    stem = os.path.splitext(os.path.basename(path))[0]
    if source and stem == source[:-6]:
        return os.path.basename(os.path.dirname(os.path.abspath(path)))
    return stem


def clip(text, n=300):
    text = text or ""
    return text if len(text) <= n else text[:n] + "..."


def write_results_json(path, rows, seconds, notes):
    tests = []
    for r in rows:
        hidden = r["visibility"] == "hidden"
        # a hidden test's message stays short: code under test can put any text into an exception
        out = ("passed" if r["passed"] else clip(r["message"], 200 if hidden else 2500))
        if r.get("unjudged"):
            out = "NOT JUDGED, 0 points: " + clip(r["message"], 300)
        tests.append({"name": f"{r['exercise']}: {r['test']}", "score": r["points"], "max_score": r["max"],
                      "output": out, "visibility": VISIBILITY[r["visibility"]]})
    doc = {"score": sum(r["points"] for r in rows), "execution_time": round(seconds, 1),
           "output": "\n".join(clip(n) for n in notes) if notes else "graded", "tests": tests}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)


def write_feedback(path, student, source, rows, notes):
    score, total = sum(r["points"] for r in rows), sum(r["max"] for r in rows)
    lines = [f"# Feedback for {student}: {source[:-6] if source else 'unknown exercise'}", "",
             f"**{score} of {total} points.**", ""]
    details = []
    if rows:
        lines += ["| test | kind | points | result |", "| --- | --- | --- | --- |"]
        for r in rows:
            if r["passed"]:
                result = "pass"
            elif r.get("unjudged"):
                # the machine, not the student: say so, and give no points for what was not judged
                result = "NOT JUDGED: " + clip(r["message"], 300) + " (your instructor sees this)"
            elif r["visibility"] == "hidden":
                # hidden tests say what failed, not how they test; the visible test of the same kind says why
                result = "FAIL" + (f": {clip(r['message'], 120)}" if r["message"].startswith(("not run", "failed: ", "not graded")) else "")
            else:
                head, _, rest = r["message"].partition("\n")
                result = "FAIL: " + clip(head, 600)
                if rest.strip():
                    # an interleaving found by the schedule engine: a table, shown below the summary as it is
                    details.append((r["test"], clip(r["message"], 2500)))
            result = result.replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {r['test']} | {r['visibility']} | {r['points']}/{r['max']} | {result} |")
        lines.append("")
        for test, message in details:
            lines += [f"### {test}", "", "~~~~", message.replace("~~~~", "~ ~ ~ ~"), "~~~~", ""]
    if notes:
        lines += ["## Notes", ""] + [f"- {clip(n, 400)}" for n in notes] + [""]
    lines += ["Visible tests are the ones `check(...)` runs in your notebook; hidden tests check the same "
              "kind of thing with other numbers and threads.", ""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def write_gradebook(path, graded, unsandboxed):
    """One row per test; review says what the instructor should look at (never a silent zero)."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student", "exercise", "test", "points", "max", "review"])
        for g in graded:
            flags = (["UNSANDBOXED (--no-sandbox): STUDENT CODE RAN WITH THE GRADER'S RIGHTS"] if unsandboxed else []) + g.get("review", [])
            rows = g["rows"] or ([{"exercise": "(none)", "test": "(not graded)", "points": 0, "max": 0}] if flags else [])
            for r in rows:
                why = r["message"][len(UNJUDGED):] if r["message"].startswith(UNJUDGED) else r["message"]
                mine = flags + (["NOT JUDGED on this machine: " + clip(why, 200)] if r.get("unjudged") else [])
                w.writerow([g["student"], r["exercise"], r["test"], r["points"], r["max"], "; ".join(mine)])


def unique_names(paths):
    names, seen = [], {}
    for p in paths:
        stem = os.path.splitext(os.path.basename(p))[0]
        parent = os.path.basename(os.path.dirname(os.path.abspath(p)))
        n = f"{parent}-{stem}" if stem in seen or any(os.path.basename(q) == os.path.basename(p) for q in paths if q != p) else stem
        while n in seen:
            n += "-2"
        seen[n] = True
        names.append(n)
    return names


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("submissions", nargs="+", help="submitted .ipynb files")
    parser.add_argument("--out", default="grades", help="where the gradebook, results and feedback go (default grades/)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="submissions graded at once (default: the cores)")
    parser.add_argument("--cell-timeout", type=float, default=30, help="seconds a cell may run (kernel run and grading JVM)")
    parser.add_argument("--test-cap", type=float, default=0, help="cut every test's time limit to this many seconds (0: the tests' own)")
    parser.add_argument("--budget", type=float, default=240,
                        help="seconds one submission may take in all: the notebook run and the grading JVMs")
    parser.add_argument("--cpus", default=None, metavar="LIST",
                        help="run the submissions on these CPUs only (taskset -c LIST, e.g. 0 or 2-5), to leave the rest of a "
                             "server to its users")
    parser.add_argument("--heap", default="512m", help="-Xmx of a grading JVM")
    parser.add_argument("--max-threads", type=int, default=1000, help="threads a submission may start")
    parser.add_argument("--restarts", type=int, default=6, help="fresh JVMs after a test that ended or poisoned one")
    parser.add_argument("--no-run", action="store_true", help="skip running the notebooks through the kernel (grade only)")
    parser.add_argument("--no-run-in", action="append", default=[], metavar="DIR",
                        help="skip the kernel run for the submissions under DIR only (the test suite's corpus); repeatable")
    parser.add_argument("--only-tests", default=None, metavar="FILE",
                        help="a JSON object: a submission's path -> the names of the only tests to run on it (the others get 0, "
                             "'not run'); submissions it does not name get every test. The suite grades its wrong corpus "
                             "answers on the tests they are labelled to fail")
    parser.add_argument("--solutions", default=os.path.join(ROOT, "solutions"))
    parser.add_argument("--hidden", default=os.path.join(ROOT, "grading", "hidden", "src"))
    parser.add_argument("--no-sandbox", action="store_true",
                        help="run student code WITHOUT the bubblewrap sandbox (only for code you trust; the gradebook says UNSANDBOXED)")
    parser.add_argument("--bwrap", default=None, help="the bwrap binary (default: bwrap on PATH, or $THREADLAB_BWRAP)")
    parser.add_argument("--quiet", action="store_true")
    return parser.parse_args(argv)


def prepare(argv):
    """Prepares what a batch with these arguments needs (jars, hidden tests, start-up cache) without grading:
    later batches of this process start from it (a test that loads the machine only while submissions run)."""
    args = parse_args(argv)
    batch = Batch(args, Sandbox(enabled=not args.no_sandbox, bwrap=args.bwrap))
    shutil.rmtree(batch.tmp, ignore_errors=True)


def main(argv=None):
    args = parse_args(argv)
    missing = [p for p in args.submissions if not os.path.isfile(p)]
    if missing:
        sys.exit("grade: no such file: " + ", ".join(missing))
    os.makedirs(args.out, exist_ok=True)
    os.environ.setdefault("THREADLAB_PROFILE", "ci")  # the kernels inherit it: notebooks pick their small sizes
    try:
        sandbox = Sandbox(enabled=not args.no_sandbox, bwrap=args.bwrap)
    except SandboxUnavailable as e:
        sys.exit(f"grade: REFUSING TO GRADE: {e}")
    if args.no_sandbox and not args.quiet:
        print("grade: WARNING: grading WITHOUT A SANDBOX (--no-sandbox): student code runs with your rights", file=sys.stderr)
    batch = Batch(args, sandbox)
    start = time.monotonic()
    names = unique_names(args.submissions)
    graded = []
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = {pool.submit(grade_one, batch, p, n): (p, n) for p, n in zip(args.submissions, names)}
            for f in concurrent.futures.as_completed(futures):
                p, n = futures[f]
                try:
                    g = f.result()
                except Exception as e:  # a bug of ours on one submission must not lose the others
                    # the same student name as a graded submission gets, so the gradebook's row is theirs
                    g = {"student": student_of(batch, p), "name": n, "source": None, "rows": [], "seconds": 0,
                         "notes": ["the grader failed on this submission; your instructor will look at it"],
                         "review": [f"the grader failed: {type(e).__name__}: {clip(str(e), 300)}"]}
                graded.append(g)
                if not args.quiet:
                    s = sum(r["points"] for r in g["rows"])
                    m = sum(r["max"] for r in g["rows"])
                    print(f"{s:3}/{m:<3} {g['seconds']:6.1f} s  {n}" + (f"  ({clip(g['notes'][0], 100)})" if g["notes"] and s < m else ""),
                          flush=True)
    finally:
        shutil.rmtree(batch.tmp, ignore_errors=True)
    graded.sort(key=lambda g: g["name"])
    # written here, by the grader alone, once every submission's sandbox (and all it started) is gone
    write_gradebook(os.path.join(args.out, "gradebook.csv"), graded, unsandboxed=args.no_sandbox)
    wall = time.monotonic() - start
    with open(os.path.join(args.out, "batch.json"), "w", encoding="utf-8") as f:
        json.dump({"wall_seconds": round(wall, 2), "jobs": args.jobs, "sandboxed": not args.no_sandbox,
                   "sandbox_user": SANDBOX_USER if sandbox.drops_privileges else None,
                   # an empty sandbox's start, median of five; each submission starts two (kernel step, grading JVM)
                   "sandbox_start_seconds": round(sandbox.start_seconds, 4) if sandbox.start_seconds is not None else None,
                   "submissions": [{"name": g["name"], "student": g["student"], "seconds": round(g["seconds"], 2),
                                    "kernel_seconds": round(g.get("kernel_seconds", 0), 2),
                                    "cpu_seconds": round(g.get("cpu_seconds", 0), 2),
                                    "cpu_wait_seconds": round(g.get("cpu_wait_seconds", 0), 2),
                                    "score": sum(r["points"] for r in g["rows"]), "max": sum(r["max"] for r in g["rows"]),
                                    "review": g.get("review", [])}
                                   for g in graded]}, f, indent=2)
    if not args.quiet:
        print(f"graded {len(graded)} submissions in {wall:.1f} s; gradebook: {os.path.join(args.out, 'gradebook.csv')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
