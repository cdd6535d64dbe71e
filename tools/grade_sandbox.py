"""The sandbox every step of a submission runs in: bubblewrap (bwrap) as an unprivileged user.

Each step (the notebook run through the kernel, the grading JVM) is one command started as

    setpriv --reuid threadlab-grader ... -- prlimit --fsize ... -- bwrap [namespaces] [binds] -- COMMAND

- a real unprivileged uid: when the grader is root it first becomes the system user
  `threadlab-grader` (created once with useradd); `bwrap --uid` alone would not do, because the
  user namespace maps the sandbox user back to root for files outside it;
- its own PID namespace with --die-with-parent: when the step's command ends or the grader kills
  the step, the kernel kills everything else in the namespace, however it detached (setsid -f,
  double fork);
- no network (a loopback of its own), its own IPC and UTS namespaces, a new session (no TTY),
  no nested user namespaces;
- an empty environment except what the step is given (--clearenv);
- a file system of only what the step needs: /usr read-only, a few files of /etc, /proc, /dev,
  a private /tmp (tmpfs), and the paths the step names, read-only unless said otherwise;
- files it writes are at most FILE_LIMIT bytes each (RLIMIT_FSIZE).

Sandbox(enabled=False) (the grader's --no-sandbox) runs the same commands without any of it.
"""
import os
import pwd
import shutil
import statistics
import subprocess
import sys
import threading
import time

SANDBOX_USER = "threadlab-grader"
INFO_FD = "{info-fd}"  # replaced by run_step with the write end of a pipe
FILE_LIMIT = 64 * 1024 * 1024
TMP_SIZE = 512 * 1024 * 1024
# what of /etc a JVM and Python need (the dynamic linker's cache, time zone, Debian's alternatives
# and JDK configuration); the rest of /etc (shadow, ssh keys, the grader's configuration) is not there
ETC = ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives", "/etc/localtime",
       "/etc/java-17-openjdk", "/etc/java-21-openjdk", "/etc/java-25-openjdk", "/etc/ssl/certs/java",
       "/etc/python3", "/etc/nsswitch.conf", "/etc/hosts"]


class SandboxUnavailable(Exception):
    """bwrap is missing or cannot create namespaces here; the message says what and how to go on."""


HOW_TO_GO_ON = (
    "Grading runs student code, so ThreadLab only does it inside a sandbox. Fix it with one of:\n"
    "  - install bubblewrap: sudo apt-get install bubblewrap (./threadlab grade does it when run as root);\n"
    "  - allow unprivileged user namespaces: sudo sysctl -w kernel.unprivileged_userns_clone=1 and\n"
    "    user.max_user_namespaces=15000 (Debian/Ubuntu), or on Ubuntu 24.04+ an AppArmor profile for bwrap;\n"
    "    in Docker run the container with --security-opt seccomp=unconfined --security-opt apparmor=unconfined,\n"
    "    or grade on the host;\n"
    "  - or grade WITHOUT a sandbox, only for code you trust: add --no-sandbox (every row of the gradebook\n"
    "    then says UNSANDBOXED).")


def ensure_user():
    """(uid, gid) of the unprivileged system user the sandboxes run as; created when missing (needs root)."""
    try:
        pw = pwd.getpwnam(SANDBOX_USER)
    except KeyError:
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        r = subprocess.run([useradd, "--system", "--no-create-home", "--home-dir", "/nonexistent",
                            "--shell", "/usr/sbin/nologin", SANDBOX_USER], capture_output=True, text=True)
        if r.returncode != 0 and "already exists" not in r.stderr:
            raise SandboxUnavailable(f"could not create the system user {SANDBOX_USER} the sandboxes run as "
                                     f"(useradd: {r.stderr.strip() or r.returncode}). Create it yourself: "
                                     f"useradd --system --no-create-home --shell /usr/sbin/nologin {SANDBOX_USER}")
        pw = pwd.getpwnam(SANDBOX_USER)
    if pw.pw_uid == 0:
        raise SandboxUnavailable(f"the user {SANDBOX_USER} has uid 0; it must be an unprivileged user")
    return pw.pw_uid, pw.pw_gid


class Sandbox:
    def __init__(self, enabled=True, bwrap=None):
        self.enabled = enabled
        self.bwrap = bwrap or os.environ.get("THREADLAB_BWRAP") or shutil.which("bwrap")
        self.uid = self.gid = None
        self.start_seconds = None
        if not enabled:
            return
        if not sys.platform.startswith("linux"):
            raise SandboxUnavailable(f"this is {sys.platform}, and the sandbox (bubblewrap) needs Linux namespaces.\n" + HOW_TO_GO_ON)
        if not self.bwrap or not os.path.exists(self.bwrap):
            raise SandboxUnavailable("bubblewrap (bwrap) is not installed.\n" + HOW_TO_GO_ON)
        if os.geteuid() == 0:
            self.uid, self.gid = ensure_user()
        self.start_seconds = self.measure_start()

    @property
    def drops_privileges(self):
        return self.uid is not None

    def own(self, path, mode):
        """Makes path the sandbox user's (when the grader is root), with mode."""
        if self.uid is not None:
            os.chown(path, self.uid, self.gid)
        os.chmod(path, mode)

    def measure_start(self):
        """Median seconds of starting an empty sandbox (five runs); raises SandboxUnavailable if it cannot start."""
        times = []
        for _ in range(5):
            argv, env, cwd = self.command(["/bin/true"], ro=[], rw=[], env={})
            argv = [a if a != INFO_FD else "2" for a in argv]  # the probe's info goes to its stderr
            t0 = time.monotonic()
            r = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=60)
            times.append(time.monotonic() - t0)
            if r.returncode != 0 or "child-pid" not in r.stderr:
                raise SandboxUnavailable(f"bwrap ({self.bwrap}) cannot create the sandbox here"
                                         f"{' as user ' + SANDBOX_USER if self.uid is not None else ''}: "
                                         f"{(r.stderr or r.stdout).strip() or 'exit code ' + str(r.returncode)}\n"
                                         "(it needs user, PID and network namespaces).\n" + HOW_TO_GO_ON)
        return statistics.median(times)

    def command(self, argv, ro, rw, env, tmpfs_tmp=True, files_rw=(), binds_ro=()):
        """(argv, env, cwd) for subprocess: argv in the sandbox with ro/rw paths bound at the same place.

        files_rw: (host file, path inside) pairs bound writable after the private /tmp exists;
        binds_ro: (host path, path inside) pairs bound read-only.
        """
        if not self.enabled:
            return argv, dict(env, PATH=env.get("PATH", "/usr/bin:/bin")), env.get("HOME", "/tmp")
        cmd = []
        if self.uid is not None:
            cmd += ["setpriv", f"--reuid={self.uid}", f"--regid={self.gid}", "--clear-groups", "--inh-caps=-all", "--"]
        cmd += ["prlimit", f"--fsize={FILE_LIMIT}", "--core=0", "--"]
        cmd += [self.bwrap, "--unshare-user", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
                "--unshare-cgroup-try", "--disable-userns", "--die-with-parent", "--new-session", "--clearenv",
                # bwrap tells the PID of the namespace's first process there, so the grader can wait for its end
                "--info-fd", INFO_FD,
                "--ro-bind", "/usr", "/usr"]
        for d in ("bin", "lib", "lib64", "lib32", "sbin"):
            p = "/" + d
            if os.path.islink(p):
                cmd += ["--symlink", os.readlink(p), p]
            elif os.path.isdir(p):
                cmd += ["--ro-bind", p, p]
        for e in ETC:
            cmd += ["--ro-bind-try", e, e]
        cmd += ["--proc", "/proc", "--dev", "/dev"]
        if tmpfs_tmp:
            cmd += ["--size", str(TMP_SIZE), "--tmpfs", "/tmp"]
        for p in ro:
            cmd += ["--ro-bind", p, p]
        for p in rw:
            cmd += ["--bind", p, p]
        for host, inside in binds_ro:
            cmd += ["--ro-bind", host, inside]
        for host, inside in files_rw:
            cmd += ["--bind", host, inside]
        for k, v in env.items():
            cmd += ["--setenv", k, v]
        cmd += ["--chdir", env.get("HOME", "/tmp"), "--"] + list(argv)
        # setpriv and prlimit come from the grader's PATH, not the submission's
        return cmd, {"PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8"}, "/"


def wait_gone(pid, seconds=60.0):
    """Waits until process pid has ended (gone, or a zombie: with it the PID namespace it led has ended).

    The bound is generous: on a machine at a load average of 200, a killed namespace of two JVMs took
    longer than 10 s to end, and giving up fails the whole submission."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.01)
    return False


# ---- was it the code or the machine? -------------------------------------------------------

def machine_too_busy(cpu_seconds, wait_seconds, window_seconds, starved_seconds=None):
    """Whether a time limit of window_seconds ran out because the machine gave the code no CPU.

    cpu_seconds is the CPU time a step's process tree got within the window, wait_seconds the time
    its tasks spent runnable in the run queue, waiting for a CPU (both summed over its threads);
    starved_seconds is the part of the window's wall time in which the tree waited (each sampling
    interval counts at most its own length, however many threads waited in it; without samples,
    wait_seconds up to the window). Code that loops forever burns CPU (a busy loop on a quiet
    machine: wait near 0); code that sleeps or deadlocks past the limit neither burns CPU nor waits
    for one: both are the code's doing, and FAIL. Only when the tree waited for a CPU at least as
    long as it ran, and it was kept waiting for most (two thirds) of the window's wall time, did the machine decide the outcome: NOT JUDGED. (Many threads waiting at once while a JVM
    starts cannot make a sleeper's window look starved: wall time counts once.) A busy loop starved
    as badly is not judged either, which costs it nothing (0 points either way) but a regrade; a
    right answer is never failed for the machine's load.
    """
    starved = min(wait_seconds, window_seconds) if starved_seconds is None else starved_seconds
    return wait_seconds >= cpu_seconds and starved >= window_seconds * 2 / 3


class TreeUsage:
    """CPU time and run-queue wait of a process tree (every thread of every descendant), sampled.

    Linux keeps both per thread in /proc/PID/task/TID/schedstat (time on a CPU, time runnable but
    waiting for one, in ns). Threads come and go, so the last value seen of each is kept; a sample
    at the moment a limit expires (sample()) makes the totals exact up to that moment, missing only
    what threads that ended since the sample before did in between.
    """

    def __init__(self, root_pid, interval=0.25):
        self.root = root_pid
        self.interval = interval
        self.tasks = {}            # tid -> (cpu ns, wait ns), the last seen
        self.retired = [0, 0]      # what tasks whose id was reused had done
        self.series = [(time.monotonic(), 0.0, 0.0, 0.0)]  # (when, cpu s, wait s, starved wall s) totals
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopped.wait(self.interval):
            self.sample()

    def sample(self):
        with self.lock:
            seen, todo = set(), [str(self.root)]
            while todo:
                pid = todo.pop()
                if pid in seen:
                    continue
                seen.add(pid)
                try:
                    tids = os.listdir(f"/proc/{pid}/task")
                except OSError:
                    continue
                for tid in tids:
                    try:
                        with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                            cpu, wait = (int(x) for x in f.read().split()[:2])
                        with open(f"/proc/{pid}/task/{tid}/children") as f:
                            todo += f.read().split()
                    except (OSError, ValueError):
                        continue
                    old = self.tasks.get(tid)
                    if old and (cpu < old[0] or wait < old[1]):  # a new thread under a reused id
                        self.retired[0] += old[0]
                        self.retired[1] += old[1]
                    self.tasks[tid] = (cpu, wait)
            cpu = (self.retired[0] + sum(c for c, _ in self.tasks.values())) / 1e9
            wait = (self.retired[1] + sum(w for _, w in self.tasks.values())) / 1e9
            now, (t0, _, wait0, starved0) = time.monotonic(), self.series[-1]
            # wall time the tree was kept waiting: an interval counts at most its own length
            self.series.append((now, cpu, wait, starved0 + min(max(0.0, wait - wait0), now - t0)))

    def stop(self):
        self.stopped.set()

    def totals(self):
        """(cpu s, wait s, starved wall s) of the whole run so far."""
        with self.lock:
            return self.series[-1][1:]

    def between(self, start, end):
        """(cpu s, wait s, starved wall s) from the last sample at or before start to the last at or before end."""
        with self.lock:
            before = [s for s in self.series if s[0] <= start] or self.series[:1]
            upto = [s for s in self.series if s[0] <= end] or self.series[:1]
            a, b = before[-1], upto[-1]
            return b[1] - a[1], b[2] - a[2], b[3] - a[3]
