"""A class on JupyterHub, end to end, with real parts: the launcher's `classroom` commands, Debian's
JupyterHub and proxy, PAM logins, real system accounts, cgroups v1, the ThreadLab kernel over the
Hub's websocket, the sandboxed grader.

One hub, three students and an instructor:
- the exercise is released to every home;
- student 1 logs in through the Hub's login page, saves the solution's code into the released
  notebook (as the notebook page does), runs it through the kernel and hands it in with submit();
- student 2 leaves it blank;
- student 3 tries to read student 1's notebook, the solutions and the hidden tests (refused by the
  operating system), then allocates without end and runs a fork bomb: only student 3's kernel and
  cgroup suffer, student 1's kernel keeps answering, and the messages say which limit bit;
- collect (deadline between release and hand-in: student 1 late, student 2 on time, student 3's
  corrupt notebook collected), grade in parallel (student 1 full marks, 2 and 3 zero, the corrupt
  one graded as such without stopping the rest), return (feedback.md and score.txt in each home);
- the live-coding folder, idle culling through the REST API, a missing notebook;
- down, with no process of the class left (checked through /proc).

Needs root and cgroups v1; run by ./threadlab test (step "a class on JupyterHub").
"""
import asyncio
import csv
import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools"))
# tools/classroom.py, by its path: the folder classroom/ of this test has the same name
import importlib.util  # noqa: E402
_spec = importlib.util.spec_from_file_location("classroom_tool", os.path.join(ROOT, "tools", "classroom.py"))
classroom = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(classroom)
import nbformat  # noqa: E402
from hub_client import Student  # noqa: E402

DIR = os.environ.get("THREADLAB_CLASSROOM_TEST_DIR", os.path.join(ROOT, "target", "classroom-test"))
STUDENTS = ["tlstu1", "tlstu2", "tlstu3"]
TEACHER = "tlteach"


def launcher(*args, check=True, timeout=600):
    r = subprocess.run([os.path.join(ROOT, "threadlab"), "classroom", "--dir", DIR, *args],
                       capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError(f"classroom {' '.join(args)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr[-3000:]}")
    return r


def pick_exercise():
    """The exercise the test uses: from the directories as they are now (names change), the smallest
    whose solution notebook exists; THREADLAB_CLASSROOM_EXERCISE picks another."""
    want = os.environ.get("THREADLAB_CLASSROOM_EXERCISE")
    names = sorted(n[:-6] for n in os.listdir(os.path.join(ROOT, "exercises")) if n.endswith(".ipynb")
                   and os.path.isfile(os.path.join(ROOT, "solutions", n)))
    if want:
        return want
    size = lambda n: os.path.getsize(os.path.join(ROOT, "solutions", n + ".ipynb"))  # noqa: E731
    return min(names, key=size)


def solved(released, solution):
    """The released notebook with the solution's code in its solution cells (matched by grade_id)."""
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in solution.cells}
    for c in released.cells:
        g = c.metadata.get("nbgrader", {})
        if g.get("solution") and g.get("grade_id") in by_id:
            c.source = by_id[g["grade_id"]].source
    return released


def run(coro):
    return asyncio.get_event_loop().run_until_complete(coro)


class ClassroomEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if os.geteuid() != 0:
            raise unittest.SkipTest("needs root (system accounts, cgroups)")
        asyncio.set_event_loop(asyncio.new_event_loop())
        if os.path.isfile(os.path.join(DIR, "private", "class.json")):
            launcher("down", "--delete-accounts", check=False)
        # the class's kernelspec (share/) is kept between runs: up installs it again only when the kernel changed
        for sub in ("private", "home", "live"):
            shutil.rmtree(os.path.join(DIR, sub), ignore_errors=True)
        os.makedirs(DIR, exist_ok=True)
        for p in (os.path.dirname(DIR), DIR):
            os.chmod(p, os.stat(p).st_mode | 0o755)
        cls.roster = os.path.join(DIR, "roster.csv")
        with open(cls.roster, "w") as f:
            f.write("username,full name\n" + "".join(f"{u},Student {i}\n" for i, u in enumerate(STUDENTS, 1)))
        cls.port = classroom.free_port("127.0.0.1")
        t0 = time.monotonic()
        # small limits, so that the runaway cells of student 3 hit them fast
        launcher("up", "--roster", cls.roster, "--port", str(cls.port), "--name", "tltest", "--instructor", TEACHER,
                 "--home-base", os.path.join(DIR, "home"), "--memory", "900M", "--heap", "256m", "--tasks", "300",
                 "--cpus", "1", "--max-processes", "8", "--cull-after", "0")
        cls.up_seconds = time.monotonic() - t0
        cls.cls = classroom.load_class(DIR)
        with open(os.path.join(DIR, "private", "passwords.txt")) as f:
            cls.passwords = {r["user"]: r["password"] for r in csv.DictReader(f)}
        cls.exercise = pick_exercise()
        cls.students = {}

    @classmethod
    def tearDownClass(cls):
        for s in getattr(cls, "students", {}).values():
            try:
                run(s.__aexit__(None, None, None))
            except Exception:
                pass
        if os.path.isfile(os.path.join(DIR, "private", "class.json")):
            cls.down = launcher("down", "--delete-accounts", check=False)

    def student(self, user):
        s = self.students.get(user)
        if s is None:
            s = Student(self.cls, user, self.passwords[user])
            self.assertTrue(run(s.login()), f"{user} could not log in through the Hub's login page")
            self.assertIsNotNone(s.token)
            run(s.start_server())
            self.students[user] = s
        return s

    def home(self, user):
        return pwd.getpwnam(user).pw_dir

    def browser_check(self, user):
        node, chromium = shutil.which("node"), os.environ.get("CHROMIUM", "/usr/bin/chromium")
        if not (node and os.path.exists(chromium) and os.path.isfile(os.path.join(ROOT, "e2e", "node_modules", "playwright-core", "package.json"))):
            # ./threadlab test installs all three (the browser step needs them too); alone, say what was not run
            print("\nclassroom: BROWSER CHECK NOT RUN: node, Chromium or e2e/node_modules/playwright-core is missing", file=sys.stderr)
            return
        pw = pwd.getpwnam(user)
        path = os.path.join(pw.pw_dir, "browser.ipynb")
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('"hello from " + System.getProperty("user.name")')],
                                      metadata={"kernelspec": {"name": "threadlab", "display_name": "Java (ThreadLab)", "language": "java"}})
        nbformat.write(nb, path)
        os.chown(path, pw.pw_uid, pw.pw_gid)
        secret = os.path.join(DIR, "private", "browser-password")
        with open(os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write(self.passwords[user])
        r = subprocess.run([node, os.path.join(ROOT, "classroom", "browser.mjs"), "--url", f"http://127.0.0.1:{self.port}",
                            "--user", user, "--password-file", secret, "--notebook", "browser.ipynb", "--chromium", chromium],
                           capture_output=True, text=True, timeout=300)
        os.remove(secret)
        lines = [json.loads(x) for x in r.stdout.splitlines() if x.startswith("{")]
        self.assertTrue(lines and lines[-1]["ok"], f"browser check: {r.stdout[-1000:]} {r.stderr[-1000:]}")
        self.assertIn(f"hello from {user}", lines[-1]["output"])

    def mark(self, phase):
        """Phase times on stderr: where the test's minutes go on a loaded machine."""
        now = time.monotonic()
        self.phases.append(f"{phase} {now - self.t_last:.0f} s")
        self.t_last = now

    def test_class(self):
        ex = self.exercise
        self.phases, self.t_last = [f"up {self.up_seconds:.0f} s"], time.monotonic()
        # ---- up: accounts, passwords, admin, lectures, kernel, limits
        mode = stat.S_IMODE(os.stat(os.path.join(DIR, "private", "passwords.txt")).st_mode)
        self.assertEqual(mode, 0o600)
        self.assertEqual(set(self.passwords), set(STUDENTS) | {TEACHER})
        users = {u["name"]: u for u in classroom.api(self.cls, "GET", "/users")}
        self.assertTrue(users[TEACHER]["admin"])
        self.assertFalse(any(users[u]["admin"] for u in STUDENTS))
        lectures = sorted(os.listdir(os.path.join(ROOT, "lectures")))
        for u in STUDENTS:
            pw = pwd.getpwnam(u)
            self.assertGreater(pw.pw_uid, 0)
            self.assertEqual(stat.S_IMODE(os.stat(pw.pw_dir).st_mode), 0o700)
            self.assertEqual(sorted(os.listdir(os.path.join(pw.pw_dir, "lectures"))), lectures)

        # ---- CPU weights: the class weighs its users together (each student counts as one process
        # beside the machine's other work), the hub as much as the whole class, with its proxy in it
        with open(os.path.join(classroom.class_cpu_group("tltest"), "cpu.shares")) as f:
            self.assertEqual(int(f.read()), 1024 * (len(STUDENTS) + 1))
        with open(os.path.join(classroom.hub_cpu_group("tltest"), "cpu.shares")) as f:
            self.assertEqual(int(f.read()), 1024 * (len(STUDENTS) + 1))
        hub_group = classroom.cgroup_pids(classroom.hub_cpu_group("tltest"))
        self.assertIn(self.cls["hub_pid"], hub_group)
        with open(os.path.join(DIR, "private", "jupyterhub-proxy.pid")) as f:
            self.assertIn(int(f.read()), hub_group)

        # ---- release
        launcher("release", ex)
        for u in STUDENTS:
            st = os.stat(os.path.join(self.home(u), "exercises", ex + ".ipynb"))
            self.assertEqual(st.st_uid, pwd.getpwnam(u).pw_uid)
        deadline = time.time() + 1
        time.sleep(1.5)

        # every server and both kernels start at once: on a loaded machine each start takes long, together
        # they take about as long as one
        async def sign_in(user):
            st = Student(self.cls, user, self.passwords[user])
            self.students[user] = st
            self.assertTrue(await st.login(), f"{user} could not log in through the Hub's login page")
            await st.start_server()
            if user != STUDENTS[1]:
                await st.start_kernel()

        async def everyone():
            await asyncio.gather(*(sign_in(u) for u in STUDENTS))
        run(everyone())

        self.mark("servers and kernels")
        # ---- each student's server and kernel listen on the student's own loopback address only, so
        # one student's server can never pick ports another student's kernel is about to bind
        addrs = {}
        for u in (STUDENTS[0], STUDENTS[2]):
            uid = pwd.getpwnam(u).pw_uid
            mine = classroom.student_ip(uid)
            socks = classroom.listening(classroom.pids_of_uid(uid))
            by_role = {}
            for pid, ss in socks.items():
                by_role.setdefault(classroom.role(pid), []).extend(ss)
            self.assertIn("notebook server", by_role, f"{u}'s server listens nowhere: {socks}")
            self.assertEqual({ip for ip, _ in by_role["notebook server"]}, {mine}, f"{u}'s server: {by_role}")
            # the kernel's five Jupyter channels (shell, iopub, stdin, control, heartbeat)
            kernel = [ip for ip, _ in by_role.get("kernel JVM", [])]
            self.assertGreaterEqual(kernel.count(mine), 5, f"{u}'s kernel does not listen on {mine}: {by_role}")
            addrs[u] = mine
        self.assertNotEqual(addrs[STUDENTS[0]], addrs[STUDENTS[2]])
        self.addrs = addrs
        # ---- student 1 solves it through the kernel and hands it in
        s1 = self.student(STUDENTS[0])
        nb = nbformat.from_dict(run(s1.contents_get(f"exercises/{ex}.ipynb"))["content"])
        solution = nbformat.read(os.path.join(ROOT, "solutions", ex + ".ipynb"), as_version=4)
        nb = solved(nb, solution)
        run(s1.contents_put(f"exercises/{ex}.ipynb", nb))
        for c in nb.cells:
            if c.cell_type != "code" or classroom.SUBMIT_CELL_TAG in c.metadata.get("tags", []):
                continue
            r = run(s1.execute(c.source, timeout=180))
            self.assertEqual(r.status, "ok", f"the solution's cell failed in student 1's kernel:\n{c.source}\n{r.error[:2000]}")
        submit = [c for c in nb.cells if classroom.SUBMIT_CELL_TAG in c.metadata.get("tags", []) and c.cell_type == "code"]
        self.assertEqual(len(submit), 1, "release adds one hand-in cell")
        r = run(s1.execute(submit[0].source))
        self.assertEqual(r.status, "ok", r.error)
        self.assertIn(f"handed in: {ex} by {STUDENTS[0]}", r.text)
        self.assertTrue(os.path.isfile(classroom.submitted_path(DIR, ex, STUDENTS[0])))

        self.mark("student 1 solved and handed in")
        # ---- student 3: refused reads, then runaway cells that hurt only student 3
        s3 = self.student(STUDENTS[2])
        targets = [os.path.join(self.home(STUDENTS[0]), "exercises", ex + ".ipynb"),
                   os.path.join(ROOT, "solutions", ex + ".ipynb"),
                   os.path.join(ROOT, "grading", "hidden", "src"),
                   os.path.join(DIR, "private", "passwords.txt")]
        for t in targets:
            code = (f'var p = java.nio.file.Path.of("{t}");\n'
                    'if (java.nio.file.Files.isDirectory(p)) java.nio.file.Files.list(p).count(); '
                    'else java.nio.file.Files.readString(p);')
            r = run(s3.execute(code))
            self.assertEqual(r.status, "error", f"student 3 could read {t}: {r.text[:200]}")
            self.assertIn("AccessDeniedException", r.error, f"reading {t}: {r.error[:300]}")
        # nor through student 1's notebook server, with student 3's own token
        r = run(s3.fetch(s1.server(f"api/contents/exercises/{ex}.ipynb"), token=s3.token, raise_error=False))
        self.assertIn(r.code, (302, 403, 404), "student 3 reached student 1's server")

        # endless allocation: the kernel's heap limit stops it and says so
        r = run(s3.execute("var hog = new java.util.ArrayList<long[]>(); while (true) hog.add(new long[1 << 20]);",
                           timeout=120))
        self.assertEqual(r.status, "error")
        self.assertIn("OutOfMemoryError", r.error)
        self.assertIn("THREADLAB_HEAP", r.error, "the message names the limit and how to change it")
        # memory outside the JVM (a child process): the student's memory cgroup stops it
        cg = classroom.cgroup_stat("tltest", STUDENTS[2])
        r = run(s3.execute('var big = run("python3", "-c", "b = bytearray(2 * 1024**3); b[::4096] = b\\"x\\" * (len(b) // 4096); print(\\"survived\\")");\n'
                           'System.out.println("exit " + big.exitCode());', timeout=120))
        after = classroom.cgroup_stat("tltest", STUDENTS[2])
        self.assertNotIn("survived", r.text, "a 2 GiB child ran past a 900 MB memory limit")
        self.assertIn("exit 137", r.text, "the child was not killed (SIGKILL) by the memory cgroup")
        self.assertGreater(after["oom_kills"], cg["oom_kills"],
                           f"the memory cgroup's OOM killer did not act: {r.status} {r.text[:500]} {r.error[:1000]}")
        # a fork bomb in the shell: pids.max holds it inside student 3's cgroup
        r = run(s3.execute('sh("b() { b | b & }; b; sleep 4");', timeout=120))
        bomb = classroom.cgroup_stat("tltest", STUDENTS[2])
        self.assertGreater(bomb["pids_events_max"], 0, f"the bomb never reached pids.max: {r.status} {r.text[:300]} {r.error[:600]}")
        self.assertLessEqual(bomb["tasks"], 300)
        # student 1's kernel answers meanwhile, and quickly enough for a loaded machine
        r1 = run(s1.execute("1 + 1", timeout=60))
        self.assertEqual((r1.status, r1.text.strip()), ("ok", "2"))
        self.assertEqual(classroom.cgroup_stat("tltest", STUDENTS[0])["pids_events_max"], 0)
        # student 3 saves a corrupt notebook (after the deadline)
        r = run(s3.execute(f'java.nio.file.Files.writeString(java.nio.file.Path.of(System.getProperty("user.home"), "exercises", "{ex}.ipynb"), "{{not a notebook");'))
        # stopping student 3's server through the Hub takes the bomb with it
        run(s3.stop_server())
        t0 = time.monotonic()
        while classroom.cgroup_pids(classroom.cgroup_dirs("tltest", STUDENTS[2])["pids"]) and time.monotonic() - t0 < 60:
            time.sleep(0.2)
        self.assertEqual(classroom.cgroup_pids(classroom.cgroup_dirs("tltest", STUDENTS[2])["pids"]), [],
                         "processes of student 3 outlived the server")

        self.mark("refused reads, OOM, fork bomb")
        # ---- collect, grade, return
        launcher("collect", ex, "--deadline", time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(deadline)))
        with open(os.path.join(DIR, "private", "collected", ex, "collection.csv")) as f:
            col = {r["student"]: r for r in csv.DictReader(f)}
        self.assertEqual((col[STUDENTS[0]]["status"], col[STUDENTS[0]]["source"], col[STUDENTS[0]]["late"]),
                         ("collected", "submitted", "late"))
        self.assertEqual((col[STUDENTS[1]]["status"], col[STUDENTS[1]]["late"]), ("collected", "on time"))
        self.assertEqual((col[STUDENTS[2]]["status"], col[STUDENTS[2]]["late"]), ("collected", "late"))
        t0 = time.monotonic()
        launcher("grade", ex, "--jobs", "3", "--", "--no-run", "--quiet")
        self.grade_seconds = time.monotonic() - t0
        with open(os.path.join(DIR, "private", "gradebook.csv")) as f:
            book = {r["student"]: r for r in csv.DictReader(f) if r["exercise"] == ex}
        full = int(book[STUDENTS[0]]["max"])
        self.assertGreater(full, 0)
        # every test the machine judged passes; a timing test a busy machine could not judge earns
        # nothing and is flagged for review, never counted as passed or failed
        unjudged = int(book[STUDENTS[0]]["not_judged"])
        self.assertEqual(int(book[STUDENTS[0]]["score"]), full - unjudged, book[STUDENTS[0]])
        self.assertEqual(bool(unjudged), "NOT JUDGED" in book[STUDENTS[0]]["review"])
        self.assertLess(unjudged, full)
        self.assertEqual(int(book[STUDENTS[1]]["score"]), 0)
        self.assertEqual(int(book[STUDENTS[2]]["score"]), 0)
        launcher("return", ex)
        for u, score in ((STUDENTS[0], full - unjudged), (STUDENTS[1], 0), (STUDENTS[2], 0)):
            fb = os.path.join(self.home(u), "feedback", ex, "feedback.md")
            self.assertEqual(os.stat(fb).st_uid, pwd.getpwnam(u).pw_uid)
            with open(os.path.join(self.home(u), "feedback", ex, "score.txt")) as f:
                self.assertEqual(f.read().strip(), f"{ex}: {score} of {full} points")
        text = run(s1.contents_get(f"feedback/{ex}/feedback.md"))["content"]
        self.assertIn(f"**{full - unjudged} of {full} points.**", text)
        with open(os.path.join(self.home(STUDENTS[2]), "feedback", ex, "feedback.md")) as f:
            self.assertIn("not a notebook", f.read())

        self.mark("collect, grade, return")
        # ---- a student with no notebook at collection is recorded as missing
        os.remove(os.path.join(self.home(STUDENTS[1]), "exercises", ex + ".ipynb"))
        launcher("collect", ex)
        r = launcher("gradebook")
        rows = {row["student"]: row for row in csv.DictReader(r.stdout.splitlines()) if row["exercise"] == ex}
        self.assertEqual(rows[STUDENTS[1]]["status"], "missing")

        # ---- live coding: the instructor's saved notebook appears read-only in every student's class/
        teacher = pwd.getpwnam(TEACHER)
        demo = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("threads(2, i -> i).join();")])
        path = os.path.join(teacher.pw_dir, "live", "demo.ipynb")
        nbformat.write(demo, path)
        os.chown(path, teacher.pw_uid, teacher.pw_gid)
        t0 = time.monotonic()
        while time.monotonic() - t0 < 30:
            try:
                got = run(s1.contents_get("class/demo.ipynb"))
                break
            except Exception:
                time.sleep(0.5)
        else:
            self.fail("the instructor's live notebook did not reach class/ in 30 s")
        self.assertEqual(got["content"]["cells"][0]["source"], "threads(2, i -> i).join();")
        self.assertFalse(got["writable"])
        r = run(s1.fetch(s1.server("api/contents/class/demo.ipynb"), method="PUT", token=s1.token, raise_error=False,
                         body={"type": "notebook", "format": "json", "content": demo}))
        self.assertGreaterEqual(r.code, 400, "a student could overwrite the live notebook")

        self.mark("missing, live coding")
        # ---- the browser: student 2 logs in on the Hub's login page in Chromium and runs a cell
        self.browser_check(STUDENTS[1])

        self.mark("browser")
        # ---- idle culling through the REST API (the clock moved on, not waited for)
        culled = classroom.cull_once(self.cls, now=time.time() + 10 ** 6)
        self.assertIn(STUDENTS[0], culled)
        t0 = time.monotonic()
        while time.monotonic() - t0 < 60:
            m = classroom.api(self.cls, "GET", f"/users/{STUDENTS[0]}")
            if not m.get("servers"):
                break
            time.sleep(0.3)
        self.assertFalse(classroom.api(self.cls, "GET", f"/users/{STUDENTS[0]}").get("servers"))

        self.mark("cull")
        # ---- down: nothing of the class is left
        uids = [pwd.getpwnam(u).pw_uid for u in STUDENTS + [TEACHER]]
        hub = self.cls["hub_pid"]
        proxy = int(open(os.path.join(DIR, "private", "jupyterhub-proxy.pid")).read())
        r = launcher("down", "--delete-accounts")
        self.assertIn("no process of it is left", r.stdout)
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                self.assertNotIn(classroom.proc_uid(int(pid)), uids, f"pid {pid} of a student is alive: {classroom.cmdline(int(pid))}")
        self.assertFalse(classroom.alive(hub))
        self.assertFalse(classroom.alive(proxy))
        self.assertFalse(any("classroom.py" in classroom.cmdline(int(p)) and "service" in classroom.cmdline(int(p))
                             and DIR in classroom.cmdline(int(p)) for p in os.listdir("/proc") if p.isdigit()))
        for u in STUDENTS:
            self.assertIsNone(classroom.account(u))
        self.assertFalse(set(self.addrs.values()) & classroom.loopback_addresses(), "down left a student's address on lo")
        self.assertFalse(os.path.isdir(classroom.hub_cpu_group("tltest")))
        os.remove(os.path.join(DIR, "private", "class.json"))  # tearDown has nothing left to do
        self.mark("down")
        print(f"\nclassroom phases: {', '.join(self.phases)} (load average {os.getloadavg()[0]:.0f})", file=sys.stderr)


class BadInput(unittest.TestCase):
    def test_roster_line_without_valid_name_is_rejected_with_its_number(self):
        path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"roster-{os.getpid()}.csv")
        with open(path, "w") as f:
            f.write("username\nann\n\nBad Name\nann\n")
        try:
            with self.assertRaises(classroom.ClassError) as e:
                classroom.read_roster(path)
            self.assertIn("line 4: 'Bad Name' is not a valid user name", str(e.exception))
            self.assertIn("line 5: 'ann' appears twice", str(e.exception))
        finally:
            os.remove(path)

    def test_root_writes_and_reads_nothing_through_a_link_a_student_planted(self):
        import tempfile
        from types import SimpleNamespace
        top = tempfile.mkdtemp()
        try:
            home, elsewhere = os.path.join(top, "home"), os.path.join(top, "elsewhere")
            os.makedirs(home)
            os.makedirs(elsewhere)
            os.symlink(elsewhere, os.path.join(home, "feedback"))
            pw = SimpleNamespace(pw_dir=home, pw_name="ann", pw_uid=os.getuid(), pw_gid=os.getgid())
            src = os.path.join(top, "f.md")
            with open(src, "w") as f:
                f.write("x")
            with self.assertRaises(classroom.ClassError) as e:
                classroom.copy_as(src, os.path.join(home, "feedback", "e1", "feedback.md"), pw)
            self.assertIn("is a symbolic link", str(e.exception))
            self.assertEqual(os.listdir(elsewhere), [])
            with open(os.path.join(elsewhere, "nb.ipynb"), "w") as f:
                f.write("{}")
            self.assertIsNone(classroom.read_student_file(pw, os.path.join(home, "feedback", "nb.ipynb")))
            os.symlink(os.path.join(elsewhere, "nb.ipynb"), os.path.join(home, "nb.ipynb"))
            self.assertIsNone(classroom.read_student_file(pw, os.path.join(home, "nb.ipynb")))
            os.makedirs(os.path.join(home, "ex"))
            with open(os.path.join(home, "ex", "mine.ipynb"), "w") as f:
                f.write("{}")
            self.assertEqual(classroom.read_student_file(pw, os.path.join(home, "ex", "mine.ipynb"))[0], b"{}")
        finally:
            shutil.rmtree(top)

    def test_port_in_use_gets_a_clear_message(self):
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        try:
            r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "classroom.py"), "--dir",
                                os.path.join(DIR + "-bad"), "up", "--roster", "/dev/null", "--port", str(port)],
                               capture_output=True, text=True)
            # the roster is checked first; an empty one says so, so give it a good one
            roster = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"roster-ok-{os.getpid()}.csv")
            with open(roster, "w") as f:
                f.write("ann\n")
            r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "classroom.py"), "--dir",
                                os.path.join(DIR + "-bad"), "up", "--roster", roster, "--port", str(port)],
                               capture_output=True, text=True)
            os.remove(roster)
        finally:
            s.close()
        if os.geteuid() == 0:
            self.assertEqual(r.returncode, 2)
            self.assertIn(f"port {port} on 127.0.0.1 is in use", r.stderr)
            self.assertFalse(os.path.exists(DIR + "-bad"), "a refused 'up' left files behind")

    def test_up_without_root_says_what_it_needs(self):
        r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", os.path.join(ROOT, "threadlab"),
                            "classroom", "--dir", "/nonexistent", "up", "--roster", "x.csv"],
                           capture_output=True, text=True, cwd="/") if os.geteuid() == 0 else \
            subprocess.run([os.path.join(ROOT, "threadlab"), "classroom", "up", "--roster", "x.csv"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 2)
        self.assertIn("needs root", r.stderr)


if __name__ == "__main__":
    unittest.main()
