"""A class on one server: JupyterHub with one system account per student, per-student limits, and
the assignment flow (release, collect, grade, return). Run it through the launcher, as root:

    ./threadlab classroom up --roster students.csv [--port 8000] [--ip 127.0.0.1] [--dir /srv/threadlab-class]
    ./threadlab classroom status
    ./threadlab classroom release EXERCISE          # the student version into every ~/exercises/
    ./threadlab classroom collect EXERCISE [--deadline 2025-01-31T23:59]
    ./threadlab classroom grade EXERCISE [--jobs N] [-- GRADE.PY ARGS]
    ./threadlab classroom return EXERCISE          # feedback.md and the score into every ~/feedback/EXERCISE/
    ./threadlab classroom gradebook                 # the whole class, every exercise collected so far
    ./threadlab classroom down [--delete-accounts]

The class directory (--dir) holds what students may read (the kernelspec, the live-coding folder
live/) and, in private/ (root only, 0700), what they may not: the hub's database and secrets,
passwords.txt (0600), collected and submitted notebooks, grades, the logs.

Limits: each student's notebook server, and everything it starts (kernels, the kernel's
execution JVM, its child processes), runs in cgroups of its own (cgroups v1:
/sys/fs/cgroup/{memory,pids,cpu}/threadlab-CLASS/USER) with a memory limit, a task limit and a
CPU share, plus RLIMIT_NPROC for the user; inside them the kernel's own limits
(THREADLAB_HEAP, THREADLAB_MAX_THREADS, THREADLAB_MAX_PROCESSES) fail a runaway cell first, with
a message that says which limit it hit.

Addresses: each student's server and kernels listen on a loopback address of their own
(student_ip: 127.X.Y.Z from the uid, put on lo while the server runs), so that Jupyter's choice of
free ports for one student's kernel cannot collide with another student's.
"""
import argparse
import csv
import datetime as dt
import grp
import http.server
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CGROUP = os.environ.get("THREADLAB_CGROUP_ROOT", "/sys/fs/cgroup")
USERNAME = re.compile(r"^[a-z_][a-z0-9_-]{0,30}$")
MARK = "ThreadLab class "  # the GECOS field of accounts this tool created: it only ever touches those
DEFAULT_DIR = "/srv/threadlab-class"
SUBMIT_CELL_TAG = "threadlab-submit"


class ClassError(Exception):
    """A problem the instructor can fix; the message says how."""


def say(*a):
    print("classroom:", *a, file=sys.stderr, flush=True)


# ---- the class's files -----------------------------------------------------------------------

def private(d):
    return os.path.join(d, "private")


def load_class(d):
    path = os.path.join(private(d), "class.json")
    if not os.path.isfile(path):
        raise ClassError(f"no class in {d}: start one with ./threadlab classroom up --roster students.csv"
                         + ("" if d != DEFAULT_DIR else "") + " (or give --dir)")
    with open(path) as f:
        return json.load(f)


def save_class(d, cls):
    path = os.path.join(private(d), "class.json")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(cls, f, indent=2)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def read_roster(path):
    """[(user, full name)] from a CSV roster: user name first, an optional full name second;
    a header line (user/username/login) and blank or #-lines are skipped. Raises ClassError naming
    every bad line."""
    if not os.path.isfile(path):
        raise ClassError(f"roster {path} not found; it is a CSV file with one student per line: username[,full name]")
    users, errors, seen = [], [], set()
    with open(path, newline="", encoding="utf-8-sig") as f:
        for n, row in enumerate(csv.reader(f), 1):
            if not row or not "".join(row).strip() or row[0].strip().startswith("#"):
                continue
            name = row[0].strip()
            if n == 1 and name.lower() in ("user", "username", "login", "name"):
                continue
            if not USERNAME.match(name):
                errors.append(f"{path}, line {n}: '{name}' is not a valid user name (lower-case letters, digits, "
                              "'_' or '-', starting with a letter or '_', at most 31 characters)")
            elif name in seen:
                errors.append(f"{path}, line {n}: '{name}' appears twice")
            else:
                seen.add(name)
                users.append((name, row[1].strip() if len(row) > 1 else ""))
    if errors:
        raise ClassError("the roster has bad lines; fix them and run this again (no account was created):\n  "
                         + "\n  ".join(errors))
    if not users:
        raise ClassError(f"roster {path} names no student")
    return users


def need_root(what):
    if os.geteuid() != 0:
        raise ClassError(f"{what} needs root: it creates one system account per student, their cgroups "
                         "(memory, tasks, CPU) and runs JupyterHub, which starts each student's server as that "
                         "student. Run it as root (sudo ./threadlab classroom ...).")


# ---- accounts --------------------------------------------------------------------------------

def account(user):
    try:
        return pwd.getpwnam(user)
    except KeyError:
        return None


def ensure_account(user, full, cls_name, home_base):
    """Creates the student's system account (home 0700), or reuses one this tool made before."""
    pw = account(user)
    if pw is not None:
        if not pw.pw_gecos.startswith(MARK):
            raise ClassError(f"the system user '{user}' already exists and is not a ThreadLab student account "
                             "(its GECOS field does not say so); rename the student in the roster, or remove that user")
        return pw
    os.makedirs(home_base, exist_ok=True)
    r = subprocess.run(["useradd", "--create-home", "--base-dir", home_base, "--shell", "/bin/bash",
                        "--comment", f"{MARK}{cls_name}: {full}".replace(":", " -", 1).replace(",", " ")[:200], user],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise ClassError(f"useradd {user} failed: {r.stderr.strip()}")
    pw = pwd.getpwnam(user)
    os.chmod(pw.pw_dir, 0o700)
    return pw


def set_password(user, password):
    r = subprocess.run(["chpasswd"], input=f"{user}:{password}\n", capture_output=True, text=True)
    if r.returncode != 0:
        raise ClassError(f"chpasswd for {user} failed: {r.stderr.strip()}")


def chown_tree(path, pw):
    for d, dirs, files in os.walk(path):
        os.chown(d, pw.pw_uid, pw.pw_gid)
        for n in files:
            os.chown(os.path.join(d, n), pw.pw_uid, pw.pw_gid)


def no_links_below_home(pw, path):
    """Refuses a path in the student's home that goes through a symbolic link: root follows none the
    student planted (~/exercises -> /etc, or -> another student's folder)."""
    rel = os.path.relpath(path, pw.pw_dir)
    if rel.startswith(".."):
        raise ClassError(f"{path} is not in {pw.pw_name}'s home")
    p = pw.pw_dir
    for part in rel.split(os.sep)[:-1]:
        p = os.path.join(p, part)
        if os.path.islink(p):
            raise ClassError(f"{p} is a symbolic link; {pw.pw_name} must make it a plain folder (nothing was written)")


def read_student_file(pw, path, limit=20 * 2**20):
    """(bytes, mtime) of a regular file the student owns at path (no link on the way), else None."""
    try:
        no_links_below_home(pw, path)
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except (ClassError, OSError):
        return None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if st.st_uid != pw.pw_uid or not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        return f.read(), st.st_mtime


def copy_as(src, dst, pw, mode=0o644):
    """Copies src to dst in the user's home (creating parents as the user), owned by the user."""
    parent = os.path.dirname(dst)
    no_links_below_home(pw, dst)
    made = []
    p = parent
    while not os.path.isdir(p):
        made.append(p)
        p = os.path.dirname(p)
    for m in reversed(made):
        os.mkdir(m, 0o755)
        os.chown(m, pw.pw_uid, pw.pw_gid)
    no_links_below_home(pw, dst)
    tmp = dst + ".threadlab-tmp"
    shutil.copyfile(src, tmp)
    os.chown(tmp, pw.pw_uid, pw.pw_gid)
    os.chmod(tmp, mode)
    os.replace(tmp, dst)


# ---- cgroups (v1) ----------------------------------------------------------------------------

CONTROLLERS = ("memory", "pids", "cpu")


def cgroup_dirs(cls_name, user):
    return {c: os.path.join(CGROUP, c, f"threadlab-{cls_name}", user) for c in CONTROLLERS}


def cgroups_available():
    return all(os.path.isfile(os.path.join(CGROUP, c, "cgroup.procs")) for c in CONTROLLERS)


def write(path, value):
    with open(path, "w") as f:
        f.write(str(value))


def setup_cgroups(cls, user):
    """Creates the student's cgroups with the class's limits; returns their directories ({} without cgroups v1)."""
    if not cgroups_available():
        return {}
    lim = cls["limits"]
    dirs = cgroup_dirs(cls["name"], user)
    for c, d in dirs.items():
        os.makedirs(d, exist_ok=True)
    mem = dirs["memory"]
    write(os.path.join(mem, "memory.limit_in_bytes"), lim["memory_bytes"])
    if os.path.exists(os.path.join(mem, "memory.memsw.limit_in_bytes")):
        try:
            write(os.path.join(mem, "memory.memsw.limit_in_bytes"), lim["memory_bytes"])
        except OSError:
            pass
    write(os.path.join(dirs["pids"], "pids.max"), lim["tasks"])
    write(os.path.join(dirs["cpu"], "cpu.shares"), lim["cpu_shares"])
    if lim.get("cpus"):
        write(os.path.join(dirs["cpu"], "cpu.cfs_period_us"), 100000)
        write(os.path.join(dirs["cpu"], "cpu.cfs_quota_us"), int(lim["cpus"] * 100000))
    return dirs


def cgroup_pids(d):
    try:
        with open(os.path.join(d, "cgroup.procs")) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def kill_cgroup(d, seconds=15):
    """SIGKILLs every process in cgroup d until none is left (a fork bomb refills it, but only up to pids.max)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pids = cgroup_pids(d)
        if not pids:
            return True
        for p in pids:
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.05)
    return not cgroup_pids(d)


def class_cpu_group(cls_name):
    return os.path.join(CGROUP, "cpu", f"threadlab-{cls_name}")


def hub_cpu_group(cls_name):
    # beside the class's group, not in it; a '.' keeps it apart from every user name
    return os.path.join(CGROUP, "cpu", f"threadlab-{cls_name}.hub")


def weigh_class(cls):
    """CPU weights against the rest of the machine (cgroups v1 cpu.shares). The class's group holds
    every student's group, and at its default weight (1024) the whole class counted as much as one
    ordinary process outside it: beside other work, 100 students shared one process's CPU and their
    kernels missed their start timeouts. It weighs its users' shares together instead, so each student
    counts as one process. The hub (and its proxy and service) gets a group weighing as much as the
    whole class: a busy class cannot starve the one process every login, spawn and activity report
    waits for; it uses a few percent of a core. Returns the hub's group (None without cgroups)."""
    if not cgroups_available():
        return None
    weight = min(262144, cls["limits"]["cpu_shares"] * (1 + len(cls["students"])))
    for d in (class_cpu_group(cls["name"]), hub_cpu_group(cls["name"])):
        os.makedirs(d, exist_ok=True)
        write(os.path.join(d, "cpu.shares"), weight)
    return hub_cpu_group(cls["name"])


def remove_cgroups(cls_name, user=None):
    if user is None and os.path.isdir(hub_cpu_group(cls_name)):
        kill_cgroup(hub_cpu_group(cls_name))
        try:
            os.rmdir(hub_cpu_group(cls_name))
        except OSError:
            pass
    for c in CONTROLLERS:
        top = os.path.join(CGROUP, c, f"threadlab-{cls_name}")
        targets = [os.path.join(top, user)] if user else ([os.path.join(top, u) for u in os.listdir(top)
                                                            if os.path.isdir(os.path.join(top, u))] + [top]
                                                           if os.path.isdir(top) else [])
        for d in targets:
            if os.path.isdir(d):
                kill_cgroup(d)
                try:
                    os.rmdir(d)
                except OSError:
                    pass


def cgroup_stat(cls_name, user):
    dirs = cgroup_dirs(cls_name, user)

    def rd(c, f):
        try:
            with open(os.path.join(dirs[c], f)) as fh:
                return int(fh.read().split()[0])
        except (OSError, ValueError, IndexError):
            return None
    return {"memory_bytes": rd("memory", "memory.usage_in_bytes"), "memory_limit": rd("memory", "memory.limit_in_bytes"),
            "memory_failcnt": max(rd("memory", "memory.failcnt") or 0, rd("memory", "memory.memsw.failcnt") or 0),
            "oom_kills": _oom_kills(dirs["memory"]), "tasks": rd("pids", "pids.current"),
            "tasks_max": rd("pids", "pids.max") if os.path.exists(os.path.join(dirs["pids"], "pids.max")) else None,
            "pids_events_max": _pids_events(dirs["pids"])}


def _oom_kills(d):
    try:
        with open(os.path.join(d, "memory.oom_control")) as f:
            return int(dict(line.split() for line in f if line.strip()).get("oom_kill", 0))
    except (OSError, ValueError):
        return None


def _pids_events(d):
    try:
        with open(os.path.join(d, "pids.events")) as f:
            return int(f.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None


def student_preexec(cls, user):
    """What the spawner runs in the student's server process before it becomes the student:
    join the student's cgroups; without cgroups, cap the user's tasks with RLIMIT_NPROC instead."""
    import resource
    dirs = cgroup_dirs(cls["name"], user) if cgroups_available() else {}
    tasks = cls["limits"]["tasks"]

    def preexec():
        pid = str(os.getpid())
        for d in dirs.values():
            with open(os.path.join(d, "cgroup.procs"), "w") as f:
                f.write(pid)
        if not dirs:
            # per user, not per cgroup: only the fallback, or it would refuse forks before pids.max is reached
            resource.setrlimit(resource.RLIMIT_NPROC, (tasks, tasks))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return preexec


# ---- each student's own loopback address ----------------------------------------------------

def student_ip(uid):
    """The loopback address of the user's notebook server and kernels: 127.X.Y.Z from the uid, one
    per account (uids below 150 * 65536), never 127.0.0.1 or Debian's 127.0.1.1. Linux delivers all of
    127.0.0.0/8 to the loopback device, so every student's ports are their own: a port one student's
    server picked for a kernel cannot be taken by another student's server before the kernel binds it
    (Jupyter picks free ports, closes them and the kernel binds them seconds later)."""
    return f"127.{100 + (uid >> 16) % 150}.{(uid >> 8) & 255}.{uid & 255}"


def ip_tool():
    return shutil.which("ip") or next((p for p in ("/usr/sbin/ip", "/sbin/ip", "/bin/ip") if os.path.exists(p)), None)


def loopback_addresses():
    """The addresses configured on the loopback device (besides the /8 every Linux has)."""
    tool = ip_tool()
    if not tool:
        return set()
    r = subprocess.run([tool, "-4", "-o", "addr", "show", "dev", "lo"], capture_output=True, text=True)
    return {line.split()[3].split("/")[0] for line in r.stdout.splitlines() if len(line.split()) > 3}


def add_loopback(ip):
    """Puts ip on the loopback device, so that Jupyter's kernel manager, which launches kernels only
    on an address of this machine's interfaces, accepts it (Linux would route it without this).
    Returns None, or why it could not (no iproute2, no CAP_NET_ADMIN)."""
    tool = ip_tool()
    if not tool:
        return "the 'ip' command (iproute2) is missing: apt-get install iproute2"
    r = subprocess.run([tool, "-4", "addr", "add", f"{ip}/32", "dev", "lo"], capture_output=True, text=True)
    if r.returncode != 0 and "exists" not in r.stderr:
        return f"ip addr add {ip}/32 dev lo: {r.stderr.strip()}"
    return None


def remove_loopback(ip):
    tool = ip_tool()
    if tool and ip != "127.0.0.1" and ip in loopback_addresses():
        subprocess.run([tool, "-4", "addr", "del", f"{ip}/32", "dev", "lo"], capture_output=True)


# ---- processes -------------------------------------------------------------------------------

def proc_uid(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("Uid:"):
                    return int(line.split()[1])
    except OSError:
        return None


def pids_of_uid(uid):
    out = []
    for p in os.listdir("/proc"):
        if p.isdigit() and proc_uid(int(p)) == uid:
            out.append(int(p))
    return out


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_pss_kb(pid):
    """(RSS, PSS) of one process in kB, or None when it is gone. PSS counts a page shared by k
    processes as 1/k for each: on a class server, libjvm.so, the JDK's and the kernel's start-up
    cache and Python's libraries are shared by every student, so PSS is one student's fair share
    and RSS counts the shared pages in full for each."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        return None
    return rss, pss


ROLES = ("notebook server", "kernel JVM", "execution JVM", "other")


def role(pid):
    """Which of a student's processes this is: one of ROLES."""
    cmd = cmdline(pid)
    if "org.threadlab.kernel.Main" in cmd:
        return "kernel JVM"
    if "-Dthreadlab.side=" in cmd:   # the kernel starts its execution JVM with the side channel's port
        return "execution JVM"
    if "jupyterhub-singleuser" in cmd:
        return "notebook server"
    return "other"


def memory_by_role(pids):
    """{role: [rss_kb, pss_kb]} summed over pids."""
    out = {r: [0, 0] for r in ROLES}
    for p in pids:
        m = rss_pss_kb(p)
        if m:
            r = out[role(p)]
            r[0] += m[0]
            r[1] += m[1]
    return out


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def descendants(pid):
    children = {}
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open(f"/proc/{p}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(p))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def port_in_use(ip, port):
    s = socket.socket(socket.AF_INET6 if ":" in ip else socket.AF_INET)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind((ip, port))
        return False
    except OSError:
        return True
    finally:
        s.close()


def free_port(ip):
    s = socket.socket()
    s.bind((ip, 0))
    p = s.getsockname()[1]
    s.close()
    return p


def who_listens(port):
    """The command line of the process listening on port (best effort, from /proc/net/tcp and fds)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                for line in list(f)[1:]:
                    parts = line.split()
                    if parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                        inodes.add(parts[9])
        except OSError:
            pass
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            for fd in os.listdir(f"/proc/{p}/fd"):
                link = os.readlink(f"/proc/{p}/fd/{fd}")
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return f"pid {p}: {cmdline(int(p))[:120]}"
        except OSError:
            continue
    return None


def listening(pids):
    """{pid: [(ip, port)]}: the TCP sockets each of pids listens on, from /proc/net/tcp{,6} and the
    processes' file descriptors. A JVM listens on IPv6 sockets; an IPv4-mapped address is given as IPv4."""
    import ipaddress
    by_inode = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                for line in list(f)[1:]:
                    parts = line.split()
                    if parts[3] != "0A":  # LISTEN
                        continue
                    hex_ip, hex_port = parts[1].split(":")
                    # the kernel prints each 32-bit word of the address in host (little-endian) order
                    raw = b"".join(int(hex_ip[i:i + 8], 16).to_bytes(4, "little") for i in range(0, len(hex_ip), 8))
                    ip = ipaddress.ip_address(raw)
                    if ip.version == 6 and ip.ipv4_mapped:
                        ip = ip.ipv4_mapped
                    by_inode[parts[9]] = (str(ip), int(hex_port, 16))
        except OSError:
            continue
    out = {}
    for p in pids:
        try:
            for fd in os.listdir(f"/proc/{p}/fd"):
                link = os.readlink(f"/proc/{p}/fd/{fd}")
                if link.startswith("socket:[") and link[8:-1] in by_inode:
                    out.setdefault(p, []).append(by_inode[link[8:-1]])
        except OSError:
            continue
    return out


# ---- the Hub's REST API ----------------------------------------------------------------------

def api(cls, method, path, body=None, token=None, timeout=30):
    url = f"http://{cls['hub_ip']}:{cls['hub_port']}/hub/api{path}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Authorization": f"token {token or cls['service_token']}",
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        text = r.read().decode()
        return json.loads(text) if text else None


def hub_running(d, cls):
    pid = cls.get("hub_pid")
    return bool(pid) and alive(pid) and "jupyterhub" in cmdline(pid)


# ---- up / down / status ----------------------------------------------------------------------

def limits_from(args):
    def size(s):
        m = re.fullmatch(r"(\d+)([kKmMgG]?)", s.strip())
        if not m:
            raise ClassError(f"'{s}' is not a size; write e.g. 1536M or 2G")
        return int(m.group(1)) * {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}[m.group(2).lower()]
    mem = size(args.memory)
    heap = size(args.heap)
    if heap >= mem:
        raise ClassError(f"--heap {args.heap} must be below --memory {args.memory}: the kernel's JVMs need memory beside the heap")
    return {"memory_bytes": mem, "heap": args.heap, "tasks": args.tasks, "cpu_shares": args.cpu_shares,
            "cpus": args.cpus, "max_threads": args.max_threads, "max_processes": args.max_processes}


def kernel_newer_than(spec):
    """True when the built kernel (its jar or a jar it ships) is newer than the class's kernelspec."""
    t = os.stat(spec).st_mtime
    lib = os.path.join(ROOT, "kernel", "target", "lib")
    jars = [os.path.join(ROOT, "kernel", "target", "threadlab-kernel.jar")]
    jars += [os.path.join(lib, n) for n in os.listdir(lib)] if os.path.isdir(lib) else []
    return any(os.path.exists(j) and os.stat(j).st_mtime > t for j in jars)


def lecture_files():
    d = os.path.join(ROOT, "lectures")
    return sorted(os.path.join(d, n) for n in os.listdir(d) if n.endswith(".ipynb")) if os.path.isdir(d) else []


def hide_instructor_files():
    """solutions/ and grading/ (hidden tests) closed to everyone but root; the repository may be world-readable."""
    closed = []
    for sub in ("solutions", "grading"):
        p = os.path.join(ROOT, sub)
        if os.path.isdir(p):
            mode = stat.S_IMODE(os.stat(p).st_mode)
            if mode & 0o007:
                os.chmod(p, mode & 0o770)
                closed.append(p)
            os.chown(p, 0, 0)
    return closed


def cmd_up(args):
    need_root("classroom up")
    d = os.path.abspath(args.dir)
    roster = read_roster(args.roster)
    if not USERNAME.match(args.instructor):
        raise ClassError(f"--instructor '{args.instructor}' is not a valid user name")
    if args.instructor in {u for u, _ in roster}:
        raise ClassError(f"the instructor '{args.instructor}' is also in the roster; give the instructor another name")
    if os.path.isfile(os.path.join(private(d), "class.json")):
        old = load_class(d)
        if hub_running(d, old):
            raise ClassError(f"the class in {d} is already up (hub pid {old['hub_pid']}, "
                             f"http://{old['ip']}:{old['port']}/); './threadlab classroom down' first")
    if port_in_use(args.ip, args.port):
        who = who_listens(args.port)
        raise ClassError(f"port {args.port} on {args.ip} is in use" + (f" ({who})" if who else "")
                         + "; choose another with --port, or stop what listens there")
    if not shutil.which("jupyterhub") or not shutil.which("jupyterhub-singleuser"):
        raise ClassError("JupyterHub is not installed: apt-get install jupyterhub (./threadlab classroom does it as root)")
    limits = limits_from(args)
    cls_name = args.name
    for p in (d, os.path.join(d, "live"), os.path.join(d, "share")):
        os.makedirs(p, exist_ok=True)
        os.chmod(p, 0o755)
    os.makedirs(private(d), exist_ok=True)
    os.chmod(private(d), 0o700)
    home_base = os.path.abspath(args.home_base)
    # every account first, so a bad one stops us before the hub starts
    pw_file = os.path.join(private(d), "passwords.txt")
    passwords = {}
    if os.path.isfile(pw_file):
        with open(pw_file) as f:
            for row in csv.reader(f):
                if len(row) == 3 and row[0] != "user":
                    passwords[row[0]] = row[2]
    people = [(args.instructor, "instructor", "instructor")] + [(u, full, "student") for u, full in roster]
    for u, full, role in people:
        pw = ensure_account(u, full or role, cls_name, home_base)
        if u not in passwords:
            passwords[u] = secrets.token_urlsafe(9)
            set_password(u, passwords[u])
    fd = os.open(pw_file + ".tmp", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["user", "role", "password"])
        for u, _, role in people:
            w.writerow([u, role, passwords[u]])
    os.chmod(pw_file + ".tmp", 0o600)
    os.replace(pw_file + ".tmp", pw_file)
    closed = hide_instructor_files()
    # lectures and the class folder for every student; what is there already is kept
    lectures = lecture_files()
    for u, _, role in people:
        pw = pwd.getpwnam(u)
        for src in lectures:
            dst = os.path.join(pw.pw_dir, "lectures", os.path.basename(src))
            if not os.path.exists(dst):
                copy_as(src, dst, pw)
        link = os.path.join(pw.pw_dir, "class")
        if role == "student" and not os.path.lexists(link):
            os.symlink(os.path.join(d, "live"), link)
            os.lchown(link, pw.pw_uid, pw.pw_gid)
        if role == "instructor":
            live = os.path.join(pw.pw_dir, "live")
            if not os.path.isdir(live):
                os.mkdir(live, 0o755)
                os.chown(live, pw.pw_uid, pw.pw_gid)
    # the kernelspec every student's server finds (JUPYTER_PATH), installed by the launcher
    spec = os.path.join(d, "share", "share", "jupyter", "kernels", "threadlab", "kernel.json")
    if args.install_kernel and (not os.path.isfile(spec) or kernel_newer_than(spec)):
        say("installing the ThreadLab kernel for the class")
        r = subprocess.run([os.path.join(ROOT, "threadlab"), "install-kernel", "--prefix", os.path.join(d, "share")])
        if r.returncode != 0:
            raise ClassError("installing the kernel failed; the messages above say why")
    if not os.path.isfile(spec):
        raise ClassError(f"no ThreadLab kernelspec at {spec}; run ./threadlab install-kernel --prefix {os.path.join(d, 'share')}")
    for top, dirs, files in os.walk(os.path.join(d, "share")):
        os.chmod(top, 0o755)
        for n in files:
            os.chmod(os.path.join(top, n), 0o644)
    hub_port, proxy_port, service_port = (free_port("127.0.0.1") for _ in range(3))
    cls = {"name": cls_name, "dir": d, "ip": args.ip, "port": args.port, "hub_ip": "127.0.0.1", "hub_port": hub_port,
           "proxy_api_port": proxy_port, "service_port": service_port, "instructor": args.instructor,
           "students": [u for u, _ in roster], "home_base": home_base, "limits": limits,
           "cull_after": args.cull_after, "cull_every": args.cull_every, "spawn_limit": args.spawn_limit,
           "service_token": secrets.token_hex(32), "jupyter_path": os.path.join(d, "share", "share", "jupyter"),
           "root": ROOT, "python": sys.executable, "created": time.time()}
    save_class(d, cls)
    if cgroups_available():
        for u in [args.instructor] + cls["students"]:
            setup_cgroups(cls, u)
    else:
        say("cgroups v1 (memory, pids, cpu) are not mounted under", CGROUP,
            "- only RLIMIT_NPROC and the kernel's own limits apply")
    hub_group = weigh_class(cls)
    log = open(os.path.join(private(d), "hub.log"), "ab")
    env = dict(os.environ, THREADLAB_CLASS=os.path.join(private(d), "class.json"),
               NODE_PATH=os.environ.get("NODE_PATH", "/usr/share/nodejs"))
    hub = subprocess.Popen(["jupyterhub", "-f", os.path.join(ROOT, "classroom", "jupyterhub_config.py")],
                           cwd=private(d), env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                           start_new_session=True, preexec_fn=(lambda: write(os.path.join(hub_group, "cgroup.procs"), os.getpid()))
                           if hub_group else None)
    cls["hub_pid"] = hub.pid
    save_class(d, cls)
    deadline = time.monotonic() + args.timeout
    while True:
        try:
            api(cls, "GET", "/", timeout=5)
            urllib.request.urlopen(f"http://{args.ip}:{args.port}/hub/login", timeout=5).read()
            break
        except (OSError, urllib.error.URLError):
            pass
        if hub.poll() is not None or time.monotonic() > deadline:
            tail = open(os.path.join(private(d), "hub.log"), errors="replace").read()[-2000:]
            stop_hub(cls)
            raise ClassError(f"JupyterHub did not come up ({'it exited with ' + str(hub.returncode) if hub.poll() is not None else 'timed out'}); "
                             f"the end of {private(d)}/hub.log:\n{tail}")
        time.sleep(0.3)
    print(f"class '{cls_name}' is up: http://{args.ip}:{args.port}/  ({len(roster)} students, instructor "
          f"{args.instructor} is an admin)")
    print(f"passwords: {pw_file} (root only)")
    if closed:
        print("closed to students:", ", ".join(closed))
    return 0


def stop_hub(cls, seconds=20):
    pid = cls.get("hub_pid")
    if pid and alive(pid) and "jupyterhub" in cmdline(pid):
        tree = [pid] + descendants(pid)
        try:
            os.kill(pid, signal.SIGTERM)  # the hub stops every student's server and its proxy on its way out
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and any(alive(p) for p in tree):
            time.sleep(0.1)
        for p in tree:
            if alive(p):
                try:
                    os.kill(p, signal.SIGKILL)
                except ProcessLookupError:
                    pass


def class_users(cls):
    return [cls["instructor"]] + cls["students"]


def leftovers(cls):
    """Processes of the class still alive: the hub, and anything running as one of its users."""
    out = []
    if cls.get("hub_pid") and alive(cls["hub_pid"]):
        out.append(cls["hub_pid"])
    for u in class_users(cls):
        pw = account(u)
        if pw:
            out += [p for p in pids_of_uid(pw.pw_uid) if alive(p)]
    return out


def cmd_down(args):
    need_root("classroom down")
    d = os.path.abspath(args.dir)
    cls = load_class(d)
    stop_hub(cls)
    # whatever a student left behind (detached processes, a fork bomb) dies with the student's cgroups
    for u in class_users(cls):
        for c in cgroup_dirs(cls["name"], u).values():
            if os.path.isdir(c):
                kill_cgroup(c)
        pw = account(u)
        if pw:
            for p in pids_of_uid(pw.pw_uid):
                try:
                    os.kill(p, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            remove_loopback(student_ip(pw.pw_uid))
    remove_cgroups(cls["name"])
    deadline = time.monotonic() + 10
    while leftovers(cls) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = leftovers(cls)
    if args.delete_accounts:
        for u in class_users(cls):
            pw = account(u)
            if pw and pw.pw_gecos.startswith(MARK):
                subprocess.run(["userdel", "--remove", u], capture_output=True)
    cls["hub_pid"] = None
    save_class(d, cls)
    if left:
        print("classroom down: still alive: " + ", ".join(f"{p} ({cmdline(p)[:60]})" for p in left))
        return 1
    print(f"class '{cls['name']}' is down; no process of it is left"
          + ("; accounts deleted" if args.delete_accounts else ""))
    return 0


def cmd_status(args):
    d = os.path.abspath(args.dir)
    cls = load_class(d)
    if not hub_running(d, cls):
        print(f"class '{cls['name']}' ({d}) is down")
        return 3
    users = {u["name"]: u for u in api(cls, "GET", "/users")}
    print(f"class '{cls['name']}' is up: http://{cls['ip']}:{cls['port']}/  hub pid {cls['hub_pid']}")
    # RSS counts pages shared with other students (libraries, the JVMs' start-up cache) in full for
    # each; PSS gives each process its share of them (the fair figure on a shared server)
    print(f"{'user':16} {'role':10} {'server':8} {'address':15} {'last activity':21} {'kernels':>7} {'RSS MB':>7} {'PSS MB':>7} {'cgroup MB':>9} {'tasks':>9} {'OOM kills':>9} {'fork refused':>12}")
    for u in class_users(cls):
        m = users.get(u, {})
        server = m.get("servers", {}).get("", {})
        state = "ready" if server.get("ready") else ("pending" if server.get("pending") else "-")
        pw = account(u)
        pids = pids_of_uid(pw.pw_uid) if pw else []
        kernels = sum(1 for p in pids if "org.threadlab.kernel.Main" in cmdline(p))
        mem = [m for m in map(rss_pss_kb, pids) if m]
        rss, pss = sum(m[0] for m in mem) / 1024, sum(m[1] for m in mem) / 1024
        cg = cgroup_stat(cls["name"], u)
        cgmem = f"{cg['memory_bytes'] / 2**20:.0f}" if cg["memory_bytes"] is not None else "-"
        tasks = f"{cg['tasks']}/{cg['tasks_max']}" if cg["tasks"] is not None else "-"
        last = (m.get("last_activity") or "-")[:19]
        role = "instructor" if u == cls["instructor"] else "student"
        addr = ",".join(sorted({ip for socks in listening(pids).values() for ip, _ in socks})) or "-"
        print(f"{u:16} {role:10} {state:8} {addr:15} {last:21} {kernels:7} {rss:7.0f} {pss:7.0f} {cgmem:>9} {tasks:>9} "
              f"{cg['oom_kills'] if cg['oom_kills'] is not None else '-':>9} "
              f"{cg['pids_events_max'] if cg['pids_events_max'] is not None else '-':>12}")
    return 0


# ---- assignments -----------------------------------------------------------------------------

def exercise_path(name):
    """The student version exercises/NAME.ipynb; NAME may be a unique prefix ('e1-' or the full stem)."""
    d = os.path.join(ROOT, "exercises")
    names = sorted(n[:-6] for n in os.listdir(d) if n.endswith(".ipynb"))
    stem = name[:-6] if name.endswith(".ipynb") else os.path.basename(name)
    if stem in names:
        return stem, os.path.join(d, stem + ".ipynb")
    matches = [n for n in names if n.startswith(stem)]
    if len(matches) == 1:
        return matches[0], os.path.join(d, matches[0] + ".ipynb")
    raise ClassError(f"no single exercise named '{name}'" + (f" (it matches {', '.join(matches)})" if matches else "")
                     + "; the exercises are: " + ", ".join(names))


def with_submit_cell(src, stem):
    import nbformat
    nb = nbformat.read(src, as_version=4)
    if not any(SUBMIT_CELL_TAG in c.get("metadata", {}).get("tags", []) for c in nb.cells):
        md = nbformat.v4.new_markdown_cell("## Hand in\n\nSave the notebook (Ctrl-S), then run the cell below. "
                                           "It hands in the notebook as saved and shows the receipt; you can hand "
                                           "in again until the deadline, and the last one counts.")
        code = nbformat.v4.new_code_cell(f'org.threadlab.classroom.Submission.submit("{stem}");')
        for c in (md, code):
            c.metadata["tags"] = [SUBMIT_CELL_TAG]
        nb.cells += [md, code]
    return nb


def cmd_release(args):
    need_root("classroom release")
    import nbformat
    d = os.path.abspath(args.dir)
    cls = load_class(d)
    stem, src = exercise_path(args.exercise)
    nb = with_submit_cell(src, stem)
    tmp = os.path.join(private(d), f"release-{stem}.ipynb")
    nbformat.write(nb, tmp)
    released, kept = [], []
    for u in cls["students"]:
        pw = pwd.getpwnam(u)
        dst = os.path.join(pw.pw_dir, "exercises", stem + ".ipynb")
        if os.path.exists(dst) and not args.force:
            kept.append(u)
            continue
        try:
            copy_as(tmp, dst, pw)
            released.append(u)
        except ClassError as e:
            say(f"not released to {u}: {e}")
    os.remove(tmp)
    cls.setdefault("released", {})[stem] = time.time()
    save_class(d, cls)
    print(f"released {stem} to {len(released)} students" + (f"; kept the copy {len(kept)} already have "
          f"({', '.join(kept)}; --force replaces it)" if kept else ""))
    return 0


def parse_deadline(s):
    if not s:
        return None
    try:
        t = dt.datetime.fromisoformat(s)
    except ValueError:
        raise ClassError(f"--deadline '{s}' is not a date and time; write e.g. 2025-03-01T23:59 (local time) or with +01:00")
    return t.timestamp()


def iso(ts):
    return dt.datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")


def submitted_path(d, stem, user):
    return os.path.join(private(d), "submitted", stem, user, stem + ".ipynb")


def cmd_collect(args):
    need_root("classroom collect")
    d = os.path.abspath(args.dir)
    cls = load_class(d)
    stem, _ = exercise_path(args.exercise)
    deadline = parse_deadline(args.deadline)
    out = os.path.join(private(d), "collected", stem)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    rows = []
    for u in cls["students"]:
        pw = account(u)
        home = os.path.join(pw.pw_dir, "exercises", stem + ".ipynb") if pw else None
        sub = submitted_path(d, stem, u)
        # a hand-in through submit() counts (its time is the hub's, not the file's); else the home copy as saved
        got = read_student_file(pw, home) if home else None
        if os.path.isfile(sub):
            with open(sub, "rb") as f:
                data = f.read()
            how, when = "submitted", json.load(open(sub + ".receipt.json"))["received"]
        elif got is not None:
            (data, when), how = got, "home"
        else:
            rows.append({"student": u, "status": "missing", "source": "", "modified": "", "late": ""})
            continue
        dst = os.path.join(out, u, stem + ".ipynb")
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(dst, "wb") as f:
            f.write(data)
        os.utime(dst, (when, when))
        late = deadline is not None and when > deadline
        rows.append({"student": u, "status": "collected", "source": how, "modified": iso(when),
                     "late": "late" if late else ("on time" if deadline is not None else "")})
    with open(os.path.join(out, "collection.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, ["student", "status", "source", "modified", "late"])
        w.writeheader()
        w.writerows(rows)
    n = sum(r["status"] == "collected" for r in rows)
    print(f"collected {stem}: {n} notebooks, {len(rows) - n} missing"
          + (f", {sum(r['late'] == 'late' for r in rows)} late" if deadline is not None else "")
          + f"; {os.path.join(out, 'collection.csv')}")
    return 0


def cmd_grade(args):
    need_root("classroom grade")
    d = os.path.abspath(args.dir)
    load_class(d)
    stem, _ = exercise_path(args.exercise)
    col = os.path.join(private(d), "collected", stem)
    if not os.path.isfile(os.path.join(col, "collection.csv")):
        raise ClassError(f"{stem} has not been collected; run ./threadlab classroom collect {stem} first")
    subs = sorted(os.path.join(col, u, stem + ".ipynb") for u in os.listdir(col)
                  if os.path.isfile(os.path.join(col, u, stem + ".ipynb")))
    out = os.path.join(private(d), "grades", stem)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    if subs:
        # the grader names each submission (its folder under submissions/); which student that is, we keep
        sys.path.insert(0, os.path.join(ROOT, "tools"))
        from grade import unique_names
        with open(os.path.join(out, "students.json"), "w") as f:
            json.dump({n: os.path.basename(os.path.dirname(p)) for n, p in zip(unique_names(subs), subs)}, f)
        cmd = [sys.executable, os.path.join(ROOT, "tools", "grade.py"), *subs, "--out", out,
               "--jobs", str(args.jobs or os.cpu_count() or 1), *args.grade_args]
        # the grader runs notebooks through the class's own kernelspec
        r = subprocess.run(cmd, env=dict(os.environ, JUPYTER_PATH=load_class(d)["jupyter_path"]))
        if r.returncode != 0:
            raise ClassError(f"the grader failed (exit {r.returncode}); its messages are above")
    write_class_gradebook(d, load_class(d))
    print(f"class gradebook: {os.path.join(private(d), 'gradebook.csv')}")
    return 0


def exercise_results(d, stem):
    """{student: {score, max, review, name}} from the grader's batch.json for one exercise."""
    path = os.path.join(private(d), "grades", stem, "batch.json")
    if not os.path.isfile(path):
        return {}
    with open(path) as f:
        batch = json.load(f)
    with open(os.path.join(private(d), "grades", stem, "students.json")) as f:
        who = json.load(f)
    return {who.get(s["name"], s["student"]): s for s in batch["submissions"]}


def write_class_gradebook(d, cls):
    """One row per student and collected exercise: score, max, the points the machine could not judge
    (a timing test on a busy machine: never awarded, flagged for review), the collection's status and lateness."""
    rows = []
    col_root = os.path.join(private(d), "collected")
    for stem in sorted(os.listdir(col_root)) if os.path.isdir(col_root) else []:
        coll = {}
        cpath = os.path.join(col_root, stem, "collection.csv")
        if os.path.isfile(cpath):
            with open(cpath, newline="") as f:
                coll = {r["student"]: r for r in csv.DictReader(f)}
        res = exercise_results(d, stem)
        total = max((r["max"] for r in res.values()), default="")
        unjudged = {}
        gpath = os.path.join(private(d), "grades", stem, "gradebook.csv")
        if os.path.isfile(gpath):
            with open(gpath, newline="") as f:
                by_grader = {r["student"]: u for u, r in res.items()}
                for g in csv.DictReader(f):
                    if "NOT JUDGED" in g["review"]:
                        unjudged.setdefault(by_grader.get(g["student"], g["student"]), []).append((g["test"], int(g["max"])))
        for u in cls["students"]:
            c = coll.get(u, {"status": "missing", "modified": "", "late": ""})
            r = res.get(u)
            if c["status"] == "missing":
                score, review = 0, "missing: no notebook at collection"
            elif r is None:
                score, review = "", "collected, not graded yet"
            else:
                score = r["score"]
                review = "; ".join(r.get("review", []) + [f"NOT JUDGED on this machine: {t} ({m} points)"
                                                          for t, m in unjudged.get(u, [])])
            not_judged = sum(m for _, m in unjudged.get(u, []))
            rows.append([u, stem, score, total, not_judged, c["status"], c.get("modified", ""), c.get("late", ""), review])
    path = os.path.join(private(d), "gradebook.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student", "exercise", "score", "max", "not_judged", "status", "handed_in", "late", "review"])
        w.writerows(rows)
    return path


def cmd_return(args):
    need_root("classroom return")
    d = os.path.abspath(args.dir)
    cls = load_class(d)
    stem, _ = exercise_path(args.exercise)
    res = exercise_results(d, stem)
    if not res:
        raise ClassError(f"{stem} has not been graded; run ./threadlab classroom grade {stem} first")
    sub_root = os.path.join(private(d), "grades", stem, "submissions")
    total = max(r["max"] for r in res.values())  # a notebook that could not be read has no rows, but the same total
    n = 0
    for u in cls["students"]:
        r = res.get(u)
        if r is None:
            continue
        pw = pwd.getpwnam(u)
        dst = os.path.join(pw.pw_dir, "feedback", stem)
        fb = os.path.join(sub_root, r["name"], "feedback.md")
        score = os.path.join(private(d), f"score-{u}.txt")
        with open(score, "w") as f:
            f.write(f"{stem}: {r['score']} of {total} points\n")
        try:
            if os.path.isfile(fb):
                copy_as(fb, os.path.join(dst, "feedback.md"), pw)
            copy_as(score, os.path.join(dst, "score.txt"), pw)
            n += 1
        except ClassError as e:
            say(f"not returned to {u}: {e}")
        finally:
            os.remove(score)
    print(f"returned {stem} to {n} students (~/feedback/{stem}/feedback.md and score.txt)")
    return 0


def cmd_gradebook(args):
    d = os.path.abspath(args.dir)
    path = write_class_gradebook(d, load_class(d))
    with open(path) as f:
        sys.stdout.write(f.read())
    return 0


# ---- the hub service: submissions, idle culling, live coding ---------------------------------

def whoami(cls, token):
    """The user a JupyterHub token belongs to (the Hub answers), or None."""
    try:
        m = api(cls, "GET", "/user", token=token, timeout=10)
        return m.get("name") if m.get("kind", "user") == "user" else None
    except (OSError, urllib.error.URLError, ValueError):
        return None


def receive(d, cls, user, stem):
    """Copies the student's saved ~/exercises/STEM.ipynb into private/submitted, with the hub's time."""
    pw = account(user)
    if pw is None or user not in cls["students"]:
        return 403, {"error": f"{user} is not a student of this class"}
    try:
        stem, _ = exercise_path(stem)
    except ClassError as e:
        return 404, {"error": str(e)}
    src = os.path.join(pw.pw_dir, "exercises", stem + ".ipynb")
    # read as the file it is, never through a link the student planted to someone else's file
    got = read_student_file(pw, src)
    if got is None:
        return 404, {"error": f"~/exercises/{stem}.ipynb is not there as a notebook of yours (a plain file you own, "
                              "at most 20 MB, no link on the way): save the notebook under that name first"}
    data, saved = got
    dst = submitted_path(d, stem, user)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(dst, "wb") as f:
        f.write(data)
    import hashlib
    receipt = {"user": user, "exercise": stem, "received": time.time(), "saved": saved, "bytes": len(data),
               "sha256": hashlib.sha256(data).hexdigest()}
    with open(dst + ".receipt.json", "w") as f:
        json.dump(receipt, f)
    receipt["received_at"] = iso(receipt["received"])
    receipt["saved_at"] = iso(receipt["saved"])
    return 200, receipt


def serve_submissions(d, cls):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            token = self.headers.get("Authorization", "").removeprefix("token ").strip()
            user = whoami(cls, token) if token else None
            if user is None:
                code, body = 401, {"error": "not signed in to the class (no valid JupyterHub token)"}
            else:
                n = int(self.headers.get("Content-Length") or 0)
                try:
                    req = json.loads(self.rfile.read(min(n, 4096)) or b"{}")
                    code, body = receive(d, cls, user, str(req.get("exercise", "")))
                except ValueError:
                    code, body = 400, {"error": "the request is not JSON"}
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *a):
            pass
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", cls["service_port"]), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def parse_time(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def cull_once(cls, now=None):
    """Stops, through the Hub's REST API, every server idle longer than cull_after seconds; returns their users."""
    now = now or time.time()
    culled = []
    for u in api(cls, "GET", "/users?state=ready") or []:
        for name, s in (u.get("servers") or {}).items():
            last = s.get("last_activity") or u.get("last_activity")
            if s.get("ready") and last and now - parse_time(last) > cls["cull_after"]:
                path = f"/users/{u['name']}/server" if not name else f"/users/{u['name']}/servers/{name}"
                try:
                    api(cls, "DELETE", path)
                    culled.append(u["name"])
                except urllib.error.HTTPError as e:
                    if e.code != 202:
                        raise
                    culled.append(u["name"])
    return culled


def sync_live(cls, seen):
    """Copies the instructor's ~/live/*.ipynb, as saved, into the class's read-only live/ folder."""
    pw = account(cls["instructor"])
    if pw is None:
        return
    src = os.path.join(pw.pw_dir, "live")
    dst = os.path.join(cls["dir"], "live")
    try:
        names = [n for n in os.listdir(src) if n.endswith(".ipynb") and not n.startswith(".")]
    except OSError:
        return
    for n in names:
        p = os.path.join(src, n)
        try:
            fd = os.open(p, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            key = (st.st_mtime_ns, st.st_size)
            if seen.get(n) == key or not stat.S_ISREG(st.st_mode) or st.st_size > 50 * 2**20:
                continue
            data = f.read()
        tmp = os.path.join(dst, "." + n + ".tmp")
        with open(tmp, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, os.path.join(dst, n))
        seen[n] = key


def cmd_service(args):
    """Run by the hub as its managed service 'threadlab' (as root)."""
    d = os.path.abspath(args.dir)
    cls = load_class(d)
    cls["service_token"] = os.environ.get("JUPYTERHUB_API_TOKEN", cls["service_token"])
    serve_submissions(d, cls)
    seen, last_cull = {}, time.monotonic()
    while True:
        try:
            sync_live(cls, seen)
        except OSError as e:
            print("live sync:", e, file=sys.stderr, flush=True)
        if cls["cull_after"] > 0 and time.monotonic() - last_cull >= cls["cull_every"]:
            last_cull = time.monotonic()
            try:
                for u in cull_once(cls):
                    print(f"culled the idle server of {u}", file=sys.stderr, flush=True)
            except (OSError, urllib.error.URLError, ValueError) as e:
                print("cull:", e, file=sys.stderr, flush=True)
        time.sleep(1)


# ---- command line ----------------------------------------------------------------------------

def main(argv=None):
    p = argparse.ArgumentParser(prog="./threadlab classroom", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dir", default=os.environ.get("THREADLAB_CLASS_DIR", DEFAULT_DIR),
                   help=f"the class's directory (default {DEFAULT_DIR}, or $THREADLAB_CLASS_DIR)")
    sub = p.add_subparsers(dest="cmd", required=True)
    up = sub.add_parser("up", help="create the accounts and start JupyterHub")
    up.add_argument("--roster", required=True, help="CSV: username[,full name], one student a line")
    up.add_argument("--port", type=int, default=8000)
    up.add_argument("--ip", default="127.0.0.1", help="bind address (default loopback)")
    up.add_argument("--name", default="class", help="the class's name (cgroups threadlab-NAME)")
    up.add_argument("--instructor", default="instructor", help="the admin account's user name")
    up.add_argument("--home-base", default="/home", help="where student homes are created")
    up.add_argument("--memory", default="2G", help="memory limit per student: server, kernels, children (default 2G)")
    up.add_argument("--heap", default="768m", help="-Xmx of a student's execution JVM (THREADLAB_HEAP)")
    up.add_argument("--tasks", type=int, default=1024, help="threads+processes per student (pids.max, RLIMIT_NPROC)")
    up.add_argument("--cpu-shares", type=int, default=1024, help="cpu.shares per student (equal shares by default)")
    up.add_argument("--cpus", type=float, default=0, help="hard CPU cap per student in cores (0: none)")
    up.add_argument("--max-threads", type=int, default=512, help="THREADLAB_MAX_THREADS of every kernel")
    up.add_argument("--max-processes", type=int, default=32, help="THREADLAB_MAX_PROCESSES of every kernel")
    up.add_argument("--cull-after", type=int, default=3600, help="stop servers idle this many seconds (0: never)")
    up.add_argument("--cull-every", type=int, default=60, help="seconds between idle checks")
    up.add_argument("--timeout", type=float, default=120, help="seconds to wait for the hub")
    up.add_argument("--spawn-limit", type=int, default=10,
                    help="servers starting at once; more students logging in are asked to try again shortly (0: no limit)")
    up.add_argument("--no-install-kernel", dest="install_kernel", action="store_false")
    down = sub.add_parser("down", help="stop the hub, every student's server and everything they started")
    down.add_argument("--delete-accounts", action="store_true", help="also delete the accounts this tool created")
    sub.add_parser("status", help="who is running what")
    for name in ("release", "collect", "grade", "return"):
        s = sub.add_parser(name)
        s.add_argument("exercise")
        if name == "release":
            s.add_argument("--force", action="store_true", help="replace copies students already have")
        if name == "collect":
            s.add_argument("--deadline", help="ISO date and time; later hand-ins are flagged late")
        if name == "grade":
            s.add_argument("--jobs", type=int, default=0)
            s.add_argument("--grade-args", dest="grade_args", default=[], help=argparse.SUPPRESS)
    sub.add_parser("gradebook")
    sub.add_parser("service")
    argv = list(sys.argv[1:] if argv is None else argv)
    # after "--": options passed on to tools/grade.py (classroom grade EX -- --no-run)
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    args = p.parse_args(argv)
    if args.cmd == "grade":
        args.grade_args = extra
    fn = {"up": cmd_up, "down": cmd_down, "status": cmd_status, "release": cmd_release, "collect": cmd_collect,
          "grade": cmd_grade, "return": cmd_return, "gradebook": cmd_gradebook, "service": cmd_service}[args.cmd]
    try:
        return fn(args)
    except ClassError as e:
        print(f"classroom: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
