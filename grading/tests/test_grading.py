"""End-to-end tests of ./threadlab grade, each attack written as a submission: solutions get every
point (or, for a timing test this busy machine could not judge, 0 with "NOT JUDGED"), generated
exercises none, and hostile submissions are graded in their sandbox with zero points while the
batch goes on: endless loops, deadlocks, thread bombs, System.exit, skipped/aborted tests, forged
result lines, detached processes that try to rewrite the gradebook, reads of root-only files,
$HOME, the environment and the hidden tests' sources, writes over the hidden classes, floods of
output, a notebook that sleeps past the time budget. One batch, graded in parallel; the rest are
in-process checks of the result channel and the static check, and a refusal without a sandbox."""
import csv
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import corpus  # noqa: E402
import grade  # noqa: E402
import grade_sandbox  # noqa: E402

CELL_TIMEOUT = 6
BUDGET = 90  # the whole submission; an exercise under the schedule engine starts its JVM too
TOKEN = "tl" + secrets.token_hex(6)            # marks every process the escape submission starts
SECRET = "grader-secret-" + secrets.token_hex(8)  # in the grader's environment only
HIDDEN_SOURCE_MARKERS = ("@HiddenTests(", "import org.junit", "@Points(")


def solution_code(name="e13-bank-account.ipynb", grade_id="bank-account-code"):
    nb = nbformat.read(os.path.join(ROOT, "solutions", name), as_version=4)
    return next(c.source for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id)


DO_NOTHING_ACCOUNT = """class BankAccount implements Account {
    BankAccount(long opening) { %s }
    public long balance() { return 0; }
    public void deposit(long amount) {}
    public boolean withdraw(long amount) { return false; }
    public boolean transfer(Account to, long amount) { return false; }
}"""

MALICIOUS = {
    "busy-loop": "while (true) {}",
    "deadlock": """var both = new CountDownLatch(2);
void bothHoldOne() { both.countDown(); try { both.await(); } catch (InterruptedException e) {} }
Object a = new Object(), b = new Object();
Thread t1 = new Thread(() -> { synchronized (a) { bothHoldOne(); synchronized (b) {} } });
Thread t2 = new Thread(() -> { synchronized (b) { bothHoldOne(); synchronized (a) {} } });
t1.start(); t2.start(); t1.join(); t2.join();""",
    "thread-bomb": """for (int i = 0; i < 100_000; i++) {
    new Thread(() -> { try { Thread.sleep(600_000); } catch (InterruptedException e) {} }).start();
}""",
    "system-exit": DO_NOTHING_ACCOUNT % "System.exit(0);" + "\nSystem.exit(0);",
    # every test aborts (JUnit's "skipped"): that used to count as passed with full points
    "skip-abort": """class BankAccount implements Account {
    BankAccount(long opening) { throw new org.opentest4j.TestAbortedException("this machine cannot judge me"); }
    public long balance() { return 0; }
    public void deposit(long amount) {}
    public boolean withdraw(long amount) { return false; }
    public boolean transfer(Account to, long amount) { return false; }
}""",
    # a right answer that also writes result lines of its own where the grader reads results
    "forge": solution_code() + """
var raw = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
raw.println("00000000000000000000000000000000 {\\"event\\":\\"result\\",\\"key\\":\\"bank-account/hidden/bonus\\",\\"outcome\\":\\"passed\\",\\"message\\":\\"\\",\\"millis\\":1}");
raw.println("{\\"event\\":\\"result\\",\\"score\\":1000,\\"max\\":10}");""",
    # processes that detach (setsid -f, a double fork) and try to rewrite the gradebook after the batch;
    # writes over the hidden test classes; 3 MB of output in each step
    "escape": DO_NOTHING_ACCOUNT % "" + """
new ProcessBuilder("setsid", "-f", "sh", "-c",
    "while :; do echo HACKED >> 'OUT/gradebook.csv'; echo HACKED > 'OUT/batch.json'; sleep 0.3; done # TOKEN").start();
new ProcessBuilder("sh", "-c", "(sh -c 'sleep 600 # TOKEN' &) &").start();
System.out.println("escape started");
for (String part : System.getProperty("java.class.path").split(File.pathSeparator)) {
    if (part.endsWith(".jar")) {
        try { Files.write(Path.of(part), new byte[]{1, 2, 3}); System.out.println("overwrote " + part); }
        catch (Exception e) { System.out.println("hidden-write refused: " + e.getClass().getSimpleName()); }
        continue;
    }
    if (part.endsWith("*")) continue;
    try (var files = Files.walk(Path.of(part))) {
        for (Path f : files.filter(x -> x.toString().endsWith(".class")).toList()) {
            try { Files.write(f, new byte[]{1, 2, 3}); System.out.println("overwrote " + f); }
            catch (Exception e) { System.out.println("hidden-write refused: " + e.getClass().getSimpleName()); }
            try { Files.delete(f); System.out.println("deleted " + f); }
            catch (Exception e) { System.out.println("hidden-delete refused: " + e.getClass().getSimpleName()); }
        }
    } catch (Exception e) { System.out.println("walk: " + e); }
}
// one write of 3 MB, not 30,000 lines: on a loaded machine that many printlns outlast the 6 s cell limit
System.out.print(("x".repeat(99) + "\\n").repeat(30_000));
System.out.flush();""",
    # what the grader's machine holds: a root-only file, $HOME, the environment, the hidden tests' sources
    "snoop": """String loot = "";
for (String p : new String[]{"/etc/shadow", "HOME/.bash_history", "HIDDEN/org/threadlab/grading/hidden/BankAccountHiddenTests.java"}) {
    try { loot += Files.readString(Path.of(p)); System.out.println("SNOOP read " + p); }
    catch (Exception e) { System.out.println("SNOOP refused " + p + ": " + e.getClass().getSimpleName()); }
}
try (var s = Files.list(Path.of("HOME"))) { loot += s.toList(); System.out.println("SNOOP listed HOME"); }
catch (Exception e) { System.out.println("SNOOP refused HOME: " + e.getClass().getSimpleName()); }
for (String start : new String[]{"/", "/work", "/root", "/tmp"}) {
    try (var files = Files.walk(Path.of(start), 12)) {
        for (Path p : files.filter(f -> f.toString().endsWith("HiddenTests.java")).toList()) loot += Files.readString(p);
    } catch (Exception e) { }
}
loot += System.getenv();
System.out.println("SNOOP " + Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:")).findFirst().orElse("?"));
System.out.println("SNOOP LOOT " + loot);
final String stolen = loot;
class BankAccount implements Account {
    BankAccount(long opening) { throw new IllegalStateException("stolen: " + stolen); }
    public long balance() { return 0; }
    public void deposit(long amount) {}
    public boolean withdraw(long amount) { return false; }
    public boolean transfer(Account to, long amount) { return false; }
}
throw new RuntimeException("stolen: " + loot);""",
    # deposits and withdrawals right, transfer always refused: it scored 9/10 before the tests were fixed
    "transfer-refuses": solution_code().replace("BankAccount other = (BankAccount) to;", "if (true) return false;\n        BankAccount other = (BankAccount) to;"),
    "sleeper": DO_NOTHING_ACCOUNT % "",
}
MALICIOUS["escape"] = MALICIOUS["escape"].replace("TOKEN", TOKEN)
MALICIOUS["snoop"] = (MALICIOUS["snoop"].replace("HIDDEN", os.path.join(ROOT, "grading", "hidden", "src"))
                      .replace("HOME", os.path.expanduser("~")))
SLEEPING_CELLS = 60  # of 2 s each, after the solution cell: 120 s against a budget of 90


def notebooks_in(kind):
    return [n for n in os.listdir(os.path.join(ROOT, kind)) if n.endswith(".ipynb")]


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def gradebook_rows(out):
    """The gradebook of a batch written to out: one dict per test and submission."""
    with open(os.path.join(out, "gradebook.csv"), encoding="utf-8") as f:
        return list(csv.DictReader(f))


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def malicious_notebook(student, code, path):
    nb = nbformat.read(os.path.join(ROOT, "exercises", "e13-bank-account.ipynb"), as_version=4)
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            cell.source = code
    if student == "sleeper":
        nb.cells += [nbformat.v4.new_code_cell("Thread.sleep(2_000);") for _ in range(SLEEPING_CELLS)]
    nbformat.write(nb, path)


def processes_with(marker):
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            if marker in cmd and str(os.getpid()) != pid:
                found.append(f"{pid}: {cmd}")
    return found


def _proc(pid):
    """(status dict, full command line) of a process, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            status = dict(l.rstrip("\n").split(":\t", 1) for l in f if ":\t" in l)
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return None
    return status, cmd


def processes_of_uid(uid, marker=None):
    """Live processes of uid (a zombie has ended: it only waits for the system's init to collect it).

    With marker, only those with a process among themselves and their ancestors whose command line
    names marker: every process a sandbox holds descends from its bwrap (a detached one is adopted
    by the sandbox's own init), and bwrap's command line names the batch's folders, so batches that
    other users of this machine run at the same time are not counted.
    """
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        info = _proc(pid)
        if info is None:
            continue
        status, cmd = info
        if int(status.get("Uid", "-1").split()[0]) != uid or status.get("State", "").startswith("Z"):
            continue
        if marker is not None:
            ours, p, seen = False, pid, set()
            while p and p not in seen and p != "0":
                seen.add(p)
                anc = _proc(p)
                if anc is None:
                    break
                if marker in anc[1]:
                    ours = True
                    break
                p = anc[0].get("PPid", "0").strip()
            if not ours:
                continue
        found.append(f"{pid} {status.get('State')}: {cmd[:200]}")
    return found


def validate_gradescope(test, doc):
    """Gradescope's results.json: tests is a list of {name, score, max_score, output, visibility}."""
    test.assertIsInstance(doc, dict)
    test.assertIn("tests", doc)
    test.assertIsInstance(doc["tests"], list)
    for key, kind in (("score", (int, float)), ("execution_time", (int, float)), ("output", str)):
        if key in doc:
            test.assertIsInstance(doc[key], kind, key)
    for t in doc["tests"]:
        test.assertEqual({"name", "score", "max_score", "output", "visibility"}, set(t), t)
        test.assertIsInstance(t["name"], str)
        test.assertIsInstance(t["score"], (int, float))
        test.assertIsInstance(t["max_score"], (int, float))
        test.assertTrue(0 <= t["score"] <= t["max_score"], t)
        test.assertIsInstance(t["output"], str)
        test.assertIn(t["visibility"], {"hidden", "after_due_date", "after_published", "visible"})
    if "score" in doc:
        test.assertEqual(doc["score"], sum(t["score"] for t in doc["tests"]))


class GradingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="threadlab-grading-test-")
        os.chmod(cls.tmp, 0o755)
        cls.out = os.path.join(cls.tmp, "out")
        subs = []
        # the attacks first, so that most honest submissions are graded after them
        for name, code in MALICIOUS.items():
            d = os.path.join(cls.tmp, "in", name)
            os.makedirs(d)
            malicious_notebook(name, code.replace("OUT", cls.out), os.path.join(d, "e13-bank-account.ipynb"))
            subs.append(os.path.join(d, "e13-bank-account.ipynb"))
        for kind in ("solutions", "exercises"):
            for name in sorted(os.listdir(os.path.join(ROOT, kind))):
                if name.endswith(".ipynb"):
                    d = os.path.join(cls.tmp, "in", kind)
                    os.makedirs(d, exist_ok=True)
                    shutil.copy(os.path.join(ROOT, kind, name), d)
                    subs.append(os.path.join(d, name))
        # the labelled corpus (grading/corpus) rides in the same batch: one run of ./threadlab bench grade-accuracy
        # (graded without the kernel run: the labels are about the tests' verdicts, and that halves their cost)
        cls.corpus = corpus.cases(suite=True)
        corpus_dir = os.path.join(cls.tmp, "in", "corpus")
        # a wrong answer is judged by the tests it is labelled to fail, so it is graded on those alone here
        # (its other tests would pass or fail with no verdict of the suite's riding on them; the benchmark
        # grades every test of every case); a right answer gets every test
        only = {}
        for case in cls.corpus:
            path = corpus.write_submission(case, corpus_dir)
            subs.append(path)
            if case.verdict != "correct":
                only[path] = case.must_fail
        only_file = os.path.join(cls.tmp, "only-tests.json")
        with open(only_file, "w", encoding="utf-8") as f:
            json.dump(only, f)
        os.environ["THREADLAB_GRADER_SECRET"] = SECRET
        start = time.monotonic()
        # the batch's folders (named on its sandboxes' command lines) under this test's own folder,
        # so that its processes can be told from those of other batches on the machine
        saved_tempdir, tempfile.tempdir = tempfile.tempdir, cls.tmp
        try:
            grade.main(subs + ["--out", cls.out, "--cell-timeout", str(CELL_TIMEOUT), "--budget", str(BUDGET), "--quiet",
                               # a third at once: many submissions wait (a sleeper, cell time-outs, pipes), not work
                               "--jobs", str((os.cpu_count() or 1) + 1),
                               "--no-run-in", corpus_dir, "--only-tests", only_file])
        finally:
            tempfile.tempdir = saved_tempdir
            del os.environ["THREADLAB_GRADER_SECRET"]
        cls.wall = time.monotonic() - start
        cls.gradebook_text = read(os.path.join(cls.out, "gradebook.csv"))
        cls.batch_text = read(os.path.join(cls.out, "batch.json"))
        with open(os.path.join(cls.out, "batch.json")) as f:
            cls.batch_doc = json.load(f)
        cls.submissions = cls.batch_doc["submissions"]
        # where the suite's time goes (CI must stay under 15 minutes)
        slow = sorted(cls.submissions, key=lambda s: -s["seconds"])
        print(f"\ngrading batch: {len(slow)} submissions in {cls.wall:.0f} s wall, {sum(s['seconds'] for s in slow):.0f} s "
              f"summed, {sum(s['cpu_seconds'] for s in slow):.0f} CPU-s (waited {sum(s['cpu_wait_seconds'] for s in slow):.0f} s "
              f"for a CPU), {cls.batch_doc['jobs']} at once, load average {os.getloadavg()[0]:.1f}; slowest: "
              + ", ".join(f"{s['student']} {s['seconds']:.0f} s (kernel {s['kernel_seconds']:.0f})" for s in slow[:12]), file=sys.stderr)
        cls.batch = {s["student"]: s for s in cls.submissions}
        cls.rows = gradebook_rows(cls.out)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def dir_of(self, student):
        name = [n for n in os.listdir(os.path.join(self.out, "submissions")) if n.startswith(student + "-")]
        self.assertEqual(1, len(name), name)
        return os.path.join(self.out, "submissions", name[0])

    def submission(self, student):
        d = self.dir_of(student)
        return load(os.path.join(d, "results.json")), read(os.path.join(d, "feedback.md"))

    def everything_of(self, student):
        d = self.dir_of(student)
        return {n: read(os.path.join(d, n)) for n in os.listdir(d)}

    def test_every_solution_gets_every_point_it_could_be_judged_on(self):
        for name in os.listdir(os.path.join(self.out, "submissions")):
            if name.startswith("solutions-"):
                doc = load(os.path.join(self.out, "submissions", name, "results.json"))
                total = sum(t["max_score"] for t in doc["tests"])
                self.assertGreater(total, 0, name)
                for t in doc["tests"]:
                    # a timing test this machine was too busy to judge gives 0 and says so; nothing else may fail
                    if t["score"] < t["max_score"]:
                        self.assertTrue(t["output"].startswith("NOT JUDGED, 0 points: could not judge on this machine"), (name, t))
                        self.assertEqual(0, t["score"], t)

    def test_unjudged_tests_are_shown_to_the_instructor(self):
        for r in self.rows:
            if r["student"] == "solutions" and int(r["points"]) < int(r["max"]):
                self.assertIn("NOT JUDGED on this machine", r["review"], r)

    def test_every_exercise_gets_zero_with_readable_messages(self):
        names = [n for n in os.listdir(os.path.join(self.out, "submissions")) if n.startswith("exercises-")]
        self.assertEqual(len(notebooks_in("exercises")), len(names))
        for name in names:
            d = os.path.join(self.out, "submissions", name)
            doc = load(os.path.join(d, "results.json"))
            self.assertEqual(0, doc["score"], name)
            self.assertGreater(len(doc["tests"]), 0)
            for t in doc["tests"]:
                if t["visibility"] == "visible":
                    self.assertIn("not done yet", t["output"], t)
                    self.assertNotIn("Exception in thread", t["output"])
                    self.assertNotIn("\tat ", t["output"])  # words, not a stack trace
            # in words: "your code threw ...", or a test's own "await() threw ..." where it calls the stub itself
            self.assertRegex(read(os.path.join(d, "feedback.md")), r"FAIL: [^|\n]*threw [\w.]*UnsupportedOperationException", name)

    def test_malicious_submissions_get_zero_within_the_budget_and_the_batch_goes_on(self):
        for student in MALICIOUS:
            self.assertIn(student, self.batch, f"{student} is missing from the batch")
            s = self.batch[student]
            if student != "transfer-refuses":
                self.assertEqual(0, s["score"], student)
            self.assertEqual(10, s["max"], student)
            # the budget covers the whole submission, the notebook run included; room for a busy machine
            self.assertLess(s["seconds"], BUDGET + 25, student)
        self.assertEqual(len(notebooks_in("solutions")) + len(notebooks_in("exercises")) + len(MALICIOUS) + len(self.corpus),
                         len(self.submissions))

    def test_malicious_submissions_are_told_what_happened(self):
        expect = {"busy-loop": "did not finish within", "deadlock": "did not finish within",
                  "thread-bomb": "threads", "system-exit": "System.exit", "sleeper": f"time budget of {BUDGET} s"}
        for student, words in expect.items():
            doc, feedback = self.submission(student)
            self.assertIn(words, doc["output"] + feedback, student)

    def test_a_notebook_sleeping_past_the_budget_is_stopped_at_the_budget(self):
        s = self.batch["sleeper"]
        self.assertGreater(s["seconds"], BUDGET - 5)  # it did sleep: the kernel step ran until the budget
        self.assertLess(s["seconds"], BUDGET + 25)    # and no longer, though its cells wanted 60 s
        doc, feedback = self.submission("sleeper")
        self.assertIn("running the notebook was stopped: the submission used up its time budget", feedback)
        self.assertEqual(0, doc["score"])
        # once it slept through more than two thirds of the budget (neither running nor waiting for a CPU), the
        # code used it up: a FAIL, not the machine's doing. (At a load of 100 the kernel may not even start within
        # the budget: then it is NOT JUDGED, rightly, and still 0 points.)
        nb = nbformat.reads(self.everything_of("sleeper")["executed.ipynb"], as_version=4)
        slept = sum(1 for c in nb.cells if c.cell_type == "code" and c.source.startswith("Thread.sleep(2_000)")
                    and c.get("execution_count"))
        if slept * 2 > BUDGET * 2 / 3 + 2:
            self.assertNotIn("NOT JUDGED", feedback)
            self.assertFalse(any("NOT JUDGED" in r["review"] or "MACHINE TOO BUSY" in r["review"]
                                 for r in self.rows if r["student"] == "sleeper"))

    def test_skipped_or_aborted_tests_award_nothing(self):
        doc, feedback = self.submission("skip-abort")
        self.assertEqual(0, doc["score"])
        self.assertTrue(all(t["output"].startswith("NOT JUDGED, 0 points") for t in doc["tests"]), doc["tests"])
        self.assertIn("NOT JUDGED", feedback)
        rows = [r for r in self.rows if r["student"] == "skip-abort"]
        self.assertTrue(rows and all("NOT JUDGED on this machine" in r["review"] for r in rows), rows)
        self.assertTrue(all("uses JUnit's classes" in r["review"] for r in rows), rows)

    def test_forged_result_lines_zero_the_submission_for_review(self):
        doc, feedback = self.submission("forge")
        self.assertEqual(0, doc["score"], doc)
        self.assertIn("could not trust", feedback)
        rows = [r for r in self.rows if r["student"] == "forge"]
        self.assertTrue(rows and all("RESULT CHANNEL" in r["review"] for r in rows), rows)
        self.assertTrue(all("uses raw standard streams" in r["review"] for r in rows), rows)

    def test_a_transfer_that_always_refuses_earns_only_the_deposit_and_withdraw_points(self):
        self.assertLessEqual(self.batch["transfer-refuses"]["score"], 4)

    def test_nothing_a_submission_started_outlives_the_batch(self):
        self.assertEqual([], processes_with(TOKEN))
        if os.geteuid() == 0:
            import pwd
            # nothing of this batch runs as the sandbox user once it is over (other batches on this machine aside)
            self.assertEqual([], processes_of_uid(pwd.getpwnam(grade_sandbox.SANDBOX_USER).pw_uid, marker=self.tmp))
        time.sleep(1.0)  # the writer looped every 0.3 s: had it survived, it would have written by now
        self.assertEqual(self.gradebook_text, read(os.path.join(self.out, "gradebook.csv")))
        self.assertEqual(self.batch_text, read(os.path.join(self.out, "batch.json")))
        self.assertNotIn("HACKED", self.gradebook_text + self.batch_text)
        # the attack did run (in the kernel step, whose output the notebook keeps)
        self.assertIn("escape started", self.everything_of("escape")["executed.ipynb"])

    def test_hidden_classes_are_read_only_for_every_submission(self):
        log = self.everything_of("escape")["grader.log"]
        self.assertIn("hidden-write refused", log)
        self.assertNotIn("overwrote ", log)
        self.assertNotIn("deleted ", log)

    def test_output_is_capped_per_submission(self):
        d = self.dir_of("escape")
        for name in ("executed.ipynb", "grader.log"):
            self.assertLess(os.path.getsize(os.path.join(d, name)), 1_300_000, name)
            self.assertIn("kept only the first 1 MB", read(os.path.join(d, name)), name)

    def test_secrets_of_the_grading_machine_do_not_reach_the_submission(self):
        files = self.everything_of("snoop")
        leaked = "\n".join(files.values())
        # what the submission printed (its source, in executed.ipynb, names the strings it would print)
        nb = nbformat.reads(files["executed.ipynb"], as_version=4)
        printed = files["grader.log"] + json.dumps([c.get("outputs", []) for c in nb.cells if c.cell_type == "code"])
        self.assertIn("SNOOP refused /etc/shadow", files["grader.log"])
        self.assertIn("SNOOP refused " + os.path.join(ROOT, "grading", "hidden", "src"), files["grader.log"])
        self.assertIn("SNOOP refused " + os.path.expanduser("~"), files["grader.log"])
        self.assertIn("SNOOP refused", printed)
        self.assertNotRegex(printed, r"SNOOP (read|listed) /")
        for marker in HIDDEN_SOURCE_MARKERS:
            self.assertNotIn(marker, leaked, marker)
        self.assertNotIn(SECRET, leaked)
        if os.path.exists("/etc/shadow") and os.access("/etc/shadow", os.R_OK):
            first = read("/etc/shadow").splitlines()[0]
            self.assertNotIn(first, leaked)
        uid_line = [line for line in files["grader.log"].splitlines() if line.startswith("SNOOP Uid:")]
        self.assertTrue(uid_line, "the submission printed no Uid line")
        uids = uid_line[0].split()[2:]
        self.assertNotIn("0", uids, uid_line)  # not root, not even inside its user namespace
        if os.geteuid() == 0:
            import pwd
            self.assertEqual(str(pwd.getpwnam(grade_sandbox.SANDBOX_USER).pw_uid), uids[0])

    def test_nothing_of_the_kernel_step_but_the_graders_words_reaches_feedback(self):
        doc, feedback = self.submission("snoop")
        executed = self.everything_of("snoop")["executed.ipynb"]
        # the kernel step's exception carried its environment (JUPYTER_CONFIG_DIR is only there); the
        # feedback names the cell and the exception's class, not its text
        self.assertIn("JUPYTER_CONFIG_DIR", executed)
        self.assertIn("raised RuntimeException", feedback)
        self.assertNotIn("JUPYTER_CONFIG_DIR", feedback + json.dumps(doc))

    def test_gradebook_csv_has_one_row_per_test_and_a_review_column(self):
        self.assertGreater(len(self.rows), 0)
        for r in self.rows:
            self.assertEqual(["student", "exercise", "test", "points", "max", "review"], list(r))
            self.assertTrue(r["student"] and r["exercise"] and r["test"])
            self.assertTrue(0 <= int(r["points"]) <= int(r["max"]), r)
            self.assertNotIn("UNSANDBOXED", r["review"])
        per = {}
        for r in self.rows:
            per.setdefault((r["student"], r["exercise"]), []).append(r["test"])
        for key, tests in per.items():
            self.assertEqual(len(tests), len(set(tests)), f"a test twice for {key}")
        self.assertTrue(self.batch_doc["sandboxed"])

    def test_results_json_follow_gradescope(self):
        for name in os.listdir(os.path.join(self.out, "submissions")):
            validate_gradescope(self, load(os.path.join(self.out, "submissions", name, "results.json")))

    def test_the_corpus_labels_hold(self):
        # every buggy case loses every test it is labelled with; every correct case gets every point it could be judged on
        rows = corpus.rows_by_student(os.path.join(self.out, "gradebook.csv"))
        self.assertGreaterEqual(sum(c.verdict == "buggy" for c in self.corpus), 15)
        self.assertGreaterEqual(sum(c.verdict == "correct" for c in self.corpus), 6)
        # the cases left to the benchmark (// suite: no) take no test out of the suite's hands: every test
        # some wrong answer is labelled with is still lost by one the suite grades
        in_suite = {(c.exercise, t) for c in self.corpus if c.verdict == "buggy" for t in c.must_fail}
        every = {(c.exercise, t) for c in corpus.cases() if c.verdict == "buggy" for t in c.must_fail}
        self.assertEqual(set(), every - in_suite)
        wrong = []
        for case in self.corpus:
            false_pass, false_fail, _ = corpus.judge(case, rows.get(case.id, []))
            if case.verdict == "gap":
                continue  # a known gap: graded and reported by the benchmark, not a verdict of this suite
            if false_pass or false_fail:
                wrong.append(f"{case.id}: false pass {false_pass}, false fail {false_fail}")
        self.assertEqual([], wrong)

    def test_wrong_corpus_answers_run_only_the_tests_they_are_labelled_to_fail(self):
        trimmed = 0
        for case in self.corpus:
            if case.verdict == "correct":
                continue
            doc, _ = self.submission(case.id)
            for t in doc["tests"]:
                name = t["name"].split(": ", 1)[1]
                if name in case.must_fail:
                    self.assertFalse(t["output"].startswith(grade.NOT_ASKED), (case.id, name))
                else:
                    self.assertEqual((0, grade.NOT_ASKED), (t["score"], t["output"]), (case.id, name))
                    trimmed += 1
        self.assertGreater(trimmed, 0)
        # a right answer gets every test
        for case in self.corpus:
            if case.verdict == "correct":
                doc, _ = self.submission(case.id)
                self.assertFalse(any(t["output"].startswith(grade.NOT_ASKED) for t in doc["tests"]), case.id)

    def test_engine_failures_show_the_interleaving_and_the_line_to_replay_it(self):
        # a race the schedule engine found: in words, as a table, with the line to paste into the notebook
        doc, feedback = self.submission("corpus-bank-account-racy-deposit")
        self.assertIn("Under the schedule engine", feedback)
        self.assertIn("Replay it in your notebook: interleave(() -> new Scenarios.Transfers(BankAccount::new)", feedback)
        self.assertIn("step thr  action", feedback)
        doc, feedback = self.submission("corpus-bank-account-lock-order-deadlock")
        self.assertIn("DEADLOCK", feedback)

    def test_points_in_the_notebooks_match_the_tests(self):
        # the check cell's nbgrader points is what the tests of its exercise are worth
        for name in os.listdir(os.path.join(self.out, "submissions")):
            if not name.startswith("solutions-"):
                continue
            doc = load(os.path.join(self.out, "submissions", name, "results.json"))
            nb = nbformat.read(os.path.join(ROOT, "solutions", name[len("solutions-"):] + ".ipynb"), as_version=4)
            points = sum(c.metadata["nbgrader"].get("points", 0) for c in nb.cells
                         if c.get("metadata", {}).get("nbgrader", {}).get("grade"))
            self.assertEqual(points, sum(t["max_score"] for t in doc["tests"]), name)


class ResultChannelTest(unittest.TestCase):
    """The driver's judgement of what a grading JVM wrote: anything not asked for is refused."""
    NONCE = "ab" * 16
    PLAN = [("bank-account", ["bank-account/visible/a", "bank-account/hidden/b"])]

    def line(self, **ev):
        return (self.NONCE + " " + json.dumps(ev, separators=(",", ":")) + "\n")

    def honest(self):
        return [self.line(event="start", key="bank-account/visible/a"),
                self.line(event="result", key="bank-account/visible/a", outcome="passed", message="", millis=3),
                self.line(event="start", key="bank-account/hidden/b"),
                self.line(event="result", key="bank-account/hidden/b", outcome="unjudged", message="one core", millis=3),
                self.line(event="done")]

    def judge(self, lines, skip=(), killed=False):
        return grade.read_channel("".join(lines).encode(), 0, self.NONCE, self.PLAN, set(skip), {"bank-account-code"}, killed)

    def refused(self, lines, **kw):
        with self.assertRaises(grade.ChannelError):
            self.judge(lines, **kw)

    def test_an_honest_run_is_read(self):
        events = self.judge(self.honest())
        self.assertEqual(["passed", "unjudged"], [e["outcome"] for e in events if e["event"] == "result"])

    def test_a_score_in_a_result_is_refused(self):
        lines = self.honest()
        lines[1] = self.line(event="result", key="bank-account/visible/a", outcome="passed", message="", millis=3, score=1000)
        self.refused(lines)

    def test_unknown_events_outcomes_and_keys_are_refused(self):
        for bad in (self.line(event="bonus"),
                    self.line(event="start", key="bank-account/hidden/extra"),
                    self.line(event="cell-error", cell="not-a-cell", message="x")):
            self.refused([bad] + self.honest())
        lines = self.honest()
        lines[1] = self.line(event="result", key="bank-account/visible/a", outcome="PASSED!", message="", millis=3)
        self.refused(lines)

    def test_duplicates_order_and_unasked_tests_are_refused(self):
        h = self.honest()
        self.refused(h[:2] + h[1:2] + h[2:])               # the same result twice
        self.refused(h[2:4] + h[0:2] + h[4:])              # out of order
        self.refused(h, skip={"bank-account/visible/a"})  # a result for a test not asked this time
        self.refused(h[:4] + h[1:2])                      # a result without a start
        self.refused(h + [self.line(event="done")])       # anything after the end

    def test_lines_without_the_nonce_or_malformed_are_refused(self):
        h = self.honest()
        self.refused(["not the grader\n"] + h)
        self.refused([h[0].replace(self.NONCE, "cd" * 16)] + h[1:])
        self.refused([self.NONCE + " {not json\n"] + h)
        self.refused(h[:-1] + [h[-1].rstrip("\n")])  # an unfinished line, the JVM not killed
        self.judge(h[:-1] + [h[-1][:10]], killed=True)  # killed mid-line: the rest of the run is 'not run'
        with self.assertRaises(grade.ChannelError):
            grade.read_channel(b"", 5_000_000, self.NONCE, self.PLAN, set(), set(), False)  # a flood


class StaticCheckTest(unittest.TestCase):
    def flags(self, code, solution_code_=""):
        sub = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        sol = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(solution_code_)])
        return "; ".join(grade.static_check(sol, sub))

    def test_what_can_subvert_the_grader_is_flagged(self):
        cases = {"reflection": "f.setAccessible(true);", "Unsafe": "sun.misc.Unsafe u;",
                 "java.lang.invoke": "java.lang.invoke.MethodHandles.lookup();",
                 "processes": "new ProcessBuilder(\"ls\").start();", "System.setOut": "System.setOut(null);",
                 "class loaders": "new java.net.URLClassLoader(null);", "JUnit's classes": "throw new org.opentest4j.TestAbortedException();",
                 "raw standard streams": "new FileOutputStream(FileDescriptor.out);"}
        for name, code in cases.items():
            self.assertIn(name, self.flags(code), code)
        # Java reads \\u escapes first, so must the check
        self.assertIn("Unsafe", self.flags("sun.misc.\\u0055nsafe u;"))

    def test_what_the_solution_uses_is_not_flagged(self):
        self.assertEqual("", self.flags("new ProcessBuilder(\"sleep\", \"1\").start();", "var pb = new ProcessBuilder(cmd);"))
        self.assertEqual("", self.flags("synchronized (this) { balance += amount; }"))


class SandboxRefusalTest(unittest.TestCase):
    def test_grading_refuses_where_bwrap_cannot_create_namespaces(self):
        tmp = tempfile.mkdtemp(prefix="threadlab-refusal-")
        try:
            fake = os.path.join(tmp, "bwrap")
            with open(fake, "w") as f:
                f.write("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
            os.chmod(fake, 0o755)
            os.chmod(tmp, 0o755)
            out = os.path.join(tmp, "out")
            nb = os.path.join(ROOT, "solutions", "e13-bank-account.ipynb")
            with self.assertRaises(SystemExit) as e:
                grade.main([nb, "--out", out, "--bwrap", fake, "--quiet"])
            msg = str(e.exception.code)
            self.assertIn("REFUSING TO GRADE", msg)
            self.assertIn("No permissions to create new namespace", msg)
            self.assertIn("--no-sandbox", msg)
            self.assertFalse(os.path.exists(os.path.join(out, "gradebook.csv")))
            # and graded anyway, on request, it says so in capitals on every row
            grade.main([nb, "--out", out, "--bwrap", fake, "--no-sandbox", "--no-run", "--quiet"])
            with open(os.path.join(out, "gradebook.csv"), encoding="utf-8") as f:
                rows = list(csv.DictReader(f))
            self.assertTrue(rows)
            for r in rows:
                self.assertIn("UNSANDBOXED (--no-sandbox)", r["review"])
            self.assertEqual(10, sum(int(r["points"]) for r in rows))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


class MachineTooBusyTest(unittest.TestCase):
    """Was it the code or the machine? grade_sandbox.machine_too_busy on figures measured on the shared
    2-core test machine (TreeUsage of the process tree, stopped at the window's end), and TreeUsage live."""

    def test_a_busy_loop_given_a_cpu_fails(self):
        # taskset -c 1 chrt -f 1 sh -c 'while :; do :; done', stopped after 4 s: 3.80 s on a CPU, 0.19 s waiting for one
        self.assertFalse(grade_sandbox.machine_too_busy(3.80, 0.19, 4))

    def test_a_sleeper_fails(self):
        # sh -c 'sleep 100' stopped after 6 s at a load average of 12.6: 0.00 s and 0.00 s;
        # pinned to CPU 0 beside four busy loops there: 0.00 s and 0.05 s
        self.assertFalse(grade_sandbox.machine_too_busy(0.00, 0.00, 6))
        self.assertFalse(grade_sandbox.machine_too_busy(0.00, 0.05, 6))

    def test_a_little_waiting_in_a_long_window_is_the_codes_doing(self):
        # a JVM start (about 1 s on a CPU, 2 s waiting at a load of 8) inside a 90 s budget the code then slept through
        self.assertFalse(grade_sandbox.machine_too_busy(1.0, 2.0, 90))

    def test_code_starved_of_cpu_is_not_judged(self):
        # jshell pinned to CPU 0 beside four busy loops, stopped after 6 s: 0.68 s on a CPU, 11.05 s waiting (its threads summed)
        self.assertTrue(grade_sandbox.machine_too_busy(0.68, 11.05, 6))
        # a busy loop there: 0.33 s and 5.65 s; unpinned at a load average of 13 on the 2 cores: 1.40 s and 4.65 s.
        # Not judged either (0 points, flagged for a regrade): the machine cannot tell it from a starved right answer
        self.assertTrue(grade_sandbox.machine_too_busy(0.33, 5.65, 6))
        self.assertTrue(grade_sandbox.machine_too_busy(1.40, 4.65, 6))

    def test_tree_usage_counts_every_descendant_while_it_runs(self):
        # a busy loop two processes down is always either on a CPU or waiting for one: the two add up to the time it ran
        p = subprocess.Popen(["sh", "-c", "sh -c 'while :; do :; done' & sleep 60"], start_new_session=True)
        usage = grade_sandbox.TreeUsage(p.pid)
        start = time.monotonic()
        try:
            time.sleep(3)
            usage.sample()  # here, not left to the sampler's thread, which a loaded machine may hold back
            elapsed = usage.series[-1][0] - start
            cpu, wait, starved = usage.totals()
        finally:
            usage.stop()
            os.killpg(p.pid, 9)
            p.wait()
        self.assertGreater(cpu + wait, 0.5 * elapsed, (cpu, wait, elapsed))
        self.assertLess(cpu + wait, elapsed + 1, (cpu, wait, elapsed))
        self.assertLessEqual(starved, min(wait, elapsed) + 0.01, (starved, wait, elapsed))

    def test_many_threads_waiting_at_once_count_once_in_wall_time(self):
        # a JVM starting at a load of 100: 10 s of it with eight threads waiting, then 80 s of sleep in a 90 s budget:
        # summed, 64 s of waiting; in wall time at most 10 s, a ninth of the window: the sleep used the budget
        self.assertFalse(grade_sandbox.machine_too_busy(3.0, 64.0, 90, starved_seconds=10.0))
        self.assertTrue(grade_sandbox.machine_too_busy(3.0, 64.0, 90, starved_seconds=70.0))
        # the suite's sleeper at a load average of 4-9: its kernel's threads, waking often, waited 46.1 s in all
        # for a CPU and ran 5.4 s in its 90 s budget, which it slept through: the code's, a FAIL
        self.assertFalse(grade_sandbox.machine_too_busy(5.4, 46.1, 90))


class StarvedGradingTest(unittest.TestCase):
    """A right answer starved of CPU is NOT JUDGED (0 points, flagged for a regrade), never failed: graded
    on CPU 0 only (--cpus 0) beside four busy loops pinned there, with a 5 s budget that the starved
    notebook run, or the starved grading JVM, uses up. A busy-loop submission, as starved, is not
    judged either (0 points)."""
    BUDGET = 5
    HOGS = 4

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="threadlab-starved-test-")
        os.chmod(cls.tmp, 0o755)
        cls.out = os.path.join(cls.tmp, "out")
        subs = []
        for name in ("kernel-run", "no-kernel-run"):
            d = os.path.join(cls.tmp, "in", name)
            os.makedirs(d)
            shutil.copy(os.path.join(ROOT, "solutions", "e13-bank-account.ipynb"), d)
            subs.append(os.path.join(d, "e13-bank-account.ipynb"))
        d = os.path.join(cls.tmp, "in", "busy-loop")
        os.makedirs(d)
        malicious_notebook("busy-loop", MALICIOUS["busy-loop"], os.path.join(d, "e13-bank-account.ipynb"))
        subs.append(os.path.join(d, "e13-bank-account.ipynb"))
        argv = subs + ["--out", cls.out, "--budget", str(cls.BUDGET), "--cpus", "0", "--jobs", "3", "--quiet",
                       "--no-run-in", os.path.join(cls.tmp, "in", "no-kernel-run"), "--no-run-in", os.path.join(cls.tmp, "in", "busy-loop")]
        saved_tempdir, tempfile.tempdir = tempfile.tempdir, cls.tmp
        hogs = []
        try:
            # the batch's preparation first (done already when the main batch ran in this process), then the hogs
            grade.prepare(argv)
            hogs = [subprocess.Popen(["timeout", "300", "taskset", "-c", "0", "sh", "-c", "while :; do :; done"])
                    for _ in range(cls.HOGS)]
            grade.main(argv)
        finally:
            tempfile.tempdir = saved_tempdir
            for h in hogs:
                h.terminate()
            for h in hogs:
                h.wait()
        cls.rows = gradebook_rows(cls.out)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def graded(self, student):
        rows = [r for r in self.rows if r["student"] == student]
        self.assertTrue(rows, student)
        d = os.path.join(self.out, "submissions", student + "-e13-bank-account")
        return rows, load(os.path.join(d, "results.json")), read(os.path.join(d, "feedback.md"))

    def test_a_starved_right_answer_is_not_judged_never_failed(self):
        for student in ("kernel-run", "no-kernel-run"):
            rows, doc, feedback = self.graded(student)
            self.assertEqual(0, doc["score"], student)
            for r in rows:
                self.assertEqual("0", r["points"], r)
                self.assertIn("NOT JUDGED on this machine", r["review"], r)
                self.assertIn("MACHINE TOO BUSY", r["review"], r)
                self.assertIn("./threadlab grade " + os.path.join(self.tmp, "in", student, "e13-bank-account.ipynb"), r["review"], r)
            for t in doc["tests"]:
                self.assertTrue(t["output"].startswith("NOT JUDGED, 0 points: could not judge on this machine"), t)
            self.assertIn("NOT JUDGED", feedback)
            self.assertNotIn("| FAIL", feedback)
            self.assertIn("too busy", feedback)
            # and by the corpus's rules: no false fail
            case = corpus.Case.__new__(corpus.Case)
            case.verdict, case.must_fail, case.path, case.exercise = "correct", [], student, "bank-account"
            self.assertEqual(([], []), corpus.judge(case, rows)[:2])

    def test_a_starved_busy_loop_gets_nothing(self):
        rows, doc, feedback = self.graded("busy-loop")
        self.assertEqual(0, doc["score"])
        self.assertTrue(all(r["points"] == "0" and "NOT JUDGED" in r["review"] for r in rows), rows)


if __name__ == "__main__":
    unittest.main()
