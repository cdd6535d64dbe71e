"""End-to-end tests of ./threadlab grade: solutions get every point, generated exercises none (with
readable messages), and five malicious submissions are each graded within their limits with zero
points while the batch goes on. The gradebook CSV and every results.json are checked against their
formats. One batch, graded in parallel, keeps this under about 90 s on 2 cores."""
import csv
import json
import os
import shutil
import sys
import tempfile
import time
import unittest

import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import grade  # noqa: E402

CELL_TIMEOUT = 6
BUDGET = 40
HIDDEN_MARKER = "opposite transfers between two accounts"  # a line of the hidden tests' source

MALICIOUS = {
    "busy-loop": "while (true) {}",
    "deadlock": """void sleepQuietly() { try { Thread.sleep(200); } catch (InterruptedException e) {} }
Object a = new Object(), b = new Object();
Thread t1 = new Thread(() -> { synchronized (a) { sleepQuietly(); synchronized (b) {} } });
Thread t2 = new Thread(() -> { synchronized (b) { sleepQuietly(); synchronized (a) {} } });
t1.start(); t2.start(); t1.join(); t2.join();""",
    "thread-bomb": """for (int i = 0; i < 100_000; i++) {
    new Thread(() -> { try { Thread.sleep(600_000); } catch (InterruptedException e) {} }).start();
}""",
    "system-exit": """class BankAccount implements Account {
    BankAccount(long opening) { System.exit(0); }
    public long balance() { return 0; }
    public void deposit(long amount) {}
    public boolean withdraw(long amount) { return false; }
    public boolean transfer(Account to, long amount) { return false; }
}
System.exit(0);""",
    "read-hidden": """String stolen = "";
for (String start : new String[]{".", "..", "../..", "/work", System.getProperty("user.home"), "REPOSITORY"}) {
    try (var files = Files.walk(Path.of(start), 20)) {
        for (Path p : files.filter(f -> f.toString().endsWith("HiddenTests.java")).toList()) stolen += Files.readString(p);
    } catch (Exception e) { }
}
final String loot = stolen;
class BankAccount implements Account {
    BankAccount(long opening) { throw new IllegalStateException("stolen: " + loot); }
    public long balance() { return 0; }
    public void deposit(long amount) {}
    public boolean withdraw(long amount) { return false; }
    public boolean transfer(Account to, long amount) { return false; }
}
System.out.println(loot);""",
}
# the hunt also walks the repository itself, where the hidden tests' sources are
MALICIOUS["read-hidden"] = MALICIOUS["read-hidden"].replace("REPOSITORY", ROOT.replace("\\", "/"))


def notebooks_in(kind):
    return [n for n in os.listdir(os.path.join(ROOT, kind)) if n.endswith(".ipynb")]


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def malicious_notebook(code, path):
    nb = nbformat.read(os.path.join(ROOT, "exercises", "e1-bank-account.ipynb"), as_version=4)
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            cell.source = code
    nbformat.write(nb, path)


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
        subs = []
        for kind in ("solutions", "exercises"):
            for name in sorted(os.listdir(os.path.join(ROOT, kind))):
                if name.endswith(".ipynb"):
                    d = os.path.join(cls.tmp, "in", kind)
                    os.makedirs(d, exist_ok=True)
                    shutil.copy(os.path.join(ROOT, kind, name), d)
                    subs.append(os.path.join(d, name))
        for name, code in MALICIOUS.items():
            d = os.path.join(cls.tmp, "in", name)
            os.makedirs(d)
            malicious_notebook(code, os.path.join(d, "e1-bank-account.ipynb"))
            subs.append(os.path.join(d, "e1-bank-account.ipynb"))
        cls.out = os.path.join(cls.tmp, "out")
        start = time.monotonic()
        # the kernel run of each notebook is part of the batch for the malicious ones too
        grade.main(subs + ["--out", cls.out, "--cell-timeout", str(CELL_TIMEOUT), "--budget", str(BUDGET), "--quiet"])
        cls.wall = time.monotonic() - start
        with open(os.path.join(cls.out, "batch.json")) as f:
            cls.submissions = json.load(f)["submissions"]
        cls.batch = {s["student"]: s for s in cls.submissions}
        with open(os.path.join(cls.out, "gradebook.csv"), encoding="utf-8") as f:
            cls.rows = list(csv.DictReader(f))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def submission(self, student):
        name = [n for n in os.listdir(os.path.join(self.out, "submissions")) if n.startswith(student + "-")]
        self.assertEqual(1, len(name), name)
        d = os.path.join(self.out, "submissions", name[0])
        with open(os.path.join(d, "feedback.md"), encoding="utf-8") as f:
            return load(os.path.join(d, "results.json")), f.read()

    def test_every_solution_gets_every_point(self):
        for name in os.listdir(os.path.join(self.out, "submissions")):
            if name.startswith("solutions-"):
                doc = load(os.path.join(self.out, "submissions", name, "results.json"))
                total = sum(t["max_score"] for t in doc["tests"])
                self.assertGreater(total, 0, name)
                self.assertEqual(total, doc["score"], f"{name}: {[t for t in doc['tests'] if t['score'] < t['max_score']]}")

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
            with open(os.path.join(d, "feedback.md"), encoding="utf-8") as f:
                self.assertIn("FAIL: your code threw UnsupportedOperationException", f.read())

    def test_malicious_submissions_get_zero_within_limits_and_the_batch_goes_on(self):
        for student in MALICIOUS:
            self.assertIn(student, self.batch, f"{student} is missing from the batch")
            s = self.batch[student]
            self.assertEqual(0, s["score"], student)
            self.assertEqual(10, s["max"], student)
            # the kernel run (cells stopped after CELL_TIMEOUT) plus the grading JVM's budget, with room for a busy machine
            self.assertLess(s["seconds"], 2 * CELL_TIMEOUT * 3 + BUDGET + 60, student)
        self.assertEqual(len(notebooks_in("solutions")) + len(notebooks_in("exercises")) + len(MALICIOUS), len(self.submissions))

    def test_malicious_submissions_are_told_what_happened(self):
        expect = {"busy-loop": "did not finish within", "deadlock": "did not finish within",
                  "thread-bomb": "threads", "system-exit": "System.exit"}
        for student, words in expect.items():
            doc, feedback = self.submission(student)
            self.assertIn(words, doc["output"] + feedback, student)

    def test_hidden_tests_do_not_reach_the_student(self):
        if not grade.can_hide_sources():
            self.skipTest("the repository can be hidden from a submission only as root on Linux (a mount namespace); "
                          "run the test suite as root, or grade inside a container")
        doc, feedback = self.submission("read-hidden")
        self.assertEqual(0, doc["score"])
        self.assertNotIn("HiddenTests(", feedback)
        self.assertNotIn("@Points", json.dumps(doc) + feedback)
        self.assertNotIn("import org.junit", json.dumps(doc) + feedback)

    def test_gradebook_csv_has_one_row_per_test(self):
        self.assertGreater(len(self.rows), 0)
        for r in self.rows:
            self.assertEqual(["student", "exercise", "test", "points", "max"], list(r))
            self.assertTrue(r["student"] and r["exercise"] and r["test"])
            self.assertTrue(0 <= int(r["points"]) <= int(r["max"]), r)
        per = {}
        for r in self.rows:
            per.setdefault((r["student"], r["exercise"]), []).append(r["test"])
        for key, tests in per.items():
            self.assertEqual(len(tests), len(set(tests)), f"a test twice for {key}")

    def test_results_json_follow_gradescope(self):
        for name in os.listdir(os.path.join(self.out, "submissions")):
            validate_gradescope(self, load(os.path.join(self.out, "submissions", name, "results.json")))

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


if __name__ == "__main__":
    unittest.main()
