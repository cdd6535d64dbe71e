"""The grading corpus: right and wrong answers to the exercises, each labelled with what the grader
must do with it. A case is grading/corpus/EXERCISE/CASE.java, the code of the exercise's solution
cell, headed by

    // corpus: buggy | correct | gap
    // what: the mistake (or the approach), in words
    // must fail: a test's display name; another test's name          (buggy and gap cases)
    // suite: no (graded by ./threadlab bench grade-accuracy)            (optional, see below)


A buggy case must lose the points of every test named (a pass there is a FALSE PASS); a correct
case must get every point, or 0 marked NOT JUDGED on a timing test the machine could not judge (any
other lost point is a FALSE FAIL). A gap is a real bug that no test catches on every run yet: it is
graded and its passes are counted and printed, but not as false passes, so the gap stays visible
without failing the suite. Used by ./threadlab bench grade-accuracy (every case) and the grading
suite (every case but those headed "// suite: no": more mistakes of an exercise whose others the
suite grades, kept for the benchmark so that the suite fits its time; the suite runs a wrong answer's
labelled tests only, the benchmark every test)."""
import csv
import glob
import os

import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "grading", "corpus")


class Case:
    def __init__(self, path):
        self.path = path
        self.exercise = os.path.basename(os.path.dirname(path))
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.id = f"corpus-{self.exercise}-{self.name}"
        with open(path, encoding="utf-8") as f:
            text = f.read()
        head, self.must_fail, self.verdict, self.what = {}, [], None, ""
        lines = text.split("\n")
        body_at = 0
        for i, line in enumerate(lines):
            if not line.startswith("// ") or ":" not in line:
                body_at = i
                break
            key, _, value = line[3:].partition(":")
            head[key.strip()] = value.strip()
        self.verdict = head.get("corpus")
        self.what = head.get("what", "")
        self.must_fail = [t.strip() for t in head.get("must fail", "").split(";") if t.strip()]
        self.in_suite = not head.get("suite", "yes").startswith("no")
        self.code = "\n".join(lines[body_at:]).strip() + "\n"
        if self.verdict not in ("buggy", "correct", "gap"):
            raise ValueError(f"{path}: the first line must be '// corpus: buggy', '// corpus: correct' or '// corpus: gap'")
        if self.verdict in ("buggy", "gap") and not self.must_fail:
            raise ValueError(f"{path}: a buggy case names the tests that must fail ('// must fail: test; test')")


def cases(suite=False):
    """Every case, or with suite=True those the grading suite grades on every run."""
    found = [Case(p) for p in sorted(glob.glob(os.path.join(CORPUS, "*", "*.java")))]
    return [c for c in found if c.in_suite] if suite else found


def notebook_of(exercise):
    """The student notebook (exercises/eNN-name.ipynb) of an exercise."""
    found = glob.glob(os.path.join(ROOT, "exercises", f"e[0-9][0-9]-{exercise}.ipynb"))
    if len(found) != 1:
        raise ValueError(f"no single student notebook for exercise {exercise}: {found}")
    return found[0]


def write_submission(case, folder):
    """The student notebook with the case's code in its solution cell; returns its path."""
    src = notebook_of(case.exercise)
    nb = nbformat.read(src, as_version=4)
    cells = [c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("solution")]
    if len(cells) != 1:
        raise ValueError(f"{src} has {len(cells)} solution cells; the corpus fills exactly one")
    cells[0].source = case.code
    d = os.path.join(folder, case.id)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, os.path.basename(src))
    nbformat.write(nb, path)
    return path


def judge(case, rows):
    """(false passes, false fails, not judged) for one grading of a case, from its gradebook rows."""
    by_test = {r["test"]: r for r in rows}
    false_pass, false_fail, unjudged = [], [], []
    if rows and all(r["test"] == "(not graded)" for r in rows):
        # the grader failed on it (its review says why): no points, and no verdict either way
        return [], [], ["not graded: " + "; ".join(r["review"] for r in rows)]
    if not rows:
        return (case.must_fail if case.verdict == "buggy" else []), (["no result"] if case.verdict == "correct" else []), []
    if case.verdict in ("buggy", "gap"):
        for t in case.must_fail:
            r = by_test.get(t)
            if r is None:
                raise ValueError(f"{case.path}: no test called {t!r} in exercise {case.exercise}; known: {sorted(by_test)}")
            if int(r["points"]) > 0:
                false_pass.append(t)
            elif "NOT JUDGED" in r["review"]:
                unjudged.append(t)
    else:
        for t, r in by_test.items():
            if int(r["points"]) < int(r["max"]):
                (unjudged if "NOT JUDGED" in r["review"] else false_fail).append(t)
    return false_pass, false_fail, unjudged


def rows_by_student(gradebook):
    out = {}
    with open(gradebook, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            out.setdefault(r["student"], []).append(r)
    return out
