"""Grades submitted exercise notebooks: ./threadlab grade SUBMISSION.ipynb... [--out DIR]

For each submission, in parallel up to the number of cores:
1. it runs the notebook headless through the ThreadLab kernel (per-cell time limit, errors
   allowed), so the student gets the notebook back with its outputs;
2. it grades it in a JVM of its own (org.threadlab.grading.Grader run): the submission's solution
   cells, with the instructor's locked cells of solutions/ around them, evaluated by JShell, then
   the visible and hidden tests one at a time, each with its time limit; -Xmx, a thread limit,
   a time budget for the whole JVM (its process group is killed when it runs out), a fresh
   working directory, no environment from the grader, hidden tests only as compiled classes.
   A test that ends the JVM (System.exit, a thread explosion, threads no interrupt stops) costs
   that test its points; the remaining tests run in a fresh JVM.
Then it writes, under --out (default grades/):
   gradebook.csv                        student, exercise, test, points, max (one row per test)
   submissions/NAME/results.json        Gradescope's format (tests with name, score, max_score, output, visibility)
   submissions/NAME/feedback.md         what the student reads: points per test and why
   submissions/NAME/executed.ipynb      the notebook with the outputs of step 1
   submissions/NAME/grader.log          what the submission printed while it was graded
"""
import argparse
import concurrent.futures
import csv
import glob
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VISIBILITY = {"visible": "visible", "hidden": "after_published"}


def java_binary():
    home = os.environ.get("JAVA_HOME")
    return os.path.join(home, "bin", "java") if home else "java"


def kernel_lib_jars():
    jars = glob.glob(os.path.join(ROOT, "kernel-lib", "target", "threadlab-kernel-lib-*.jar"))
    jars = [j for j in jars if not j.endswith(("-sources.jar", "-javadoc.jar"))]
    deps = glob.glob(os.path.join(ROOT, "kernel-lib", "target", "lib", "*.jar"))
    if not jars or not deps:
        sys.exit("grade: kernel-lib is not built; run ./threadlab build (./threadlab grade does it for you)")
    return jars + deps


class Batch:
    """What every submission of a batch shares: the compiled hidden tests, the jars, the solution notebooks."""

    def __init__(self, args):
        self.args = args
        self.java = java_binary()
        self.tmp = tempfile.mkdtemp(prefix="threadlab-grade-")
        # the grading JVMs see copies outside the repository, so their class path does not point at it
        lib = os.path.join(self.tmp, "lib")
        os.makedirs(lib)
        for jar in kernel_lib_jars():
            shutil.copy(jar, lib)
        self.classpath = os.path.join(lib, "*")
        self.hidden = os.path.join(self.tmp, "hidden")
        prep = subprocess.run([self.java, "-cp", self.classpath, "org.threadlab.grading.Grader", "prepare",
                               args.hidden, self.hidden], capture_output=True, text=True)
        if prep.returncode != 0:
            sys.exit("grade: preparing the hidden tests failed:\n" + prep.stderr)
        manifest = json.loads(prep.stdout.strip().splitlines()[-1])
        self.tests = {e["name"]: e["tests"] for e in manifest["exercises"]}
        self.solutions = {}
        for path in sorted(glob.glob(os.path.join(args.solutions, "*.ipynb"))):
            nb = nbformat.read(path, as_version=4)
            self.solutions[os.path.basename(path)] = nb

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


def run_in_kernel(path, out_path, args):
    """Step 1: the notebook headless through the kernel. Returns notes for the feedback."""
    from nbclient import NotebookClient
    notes = []
    nb = nbformat.read(path, as_version=4)
    workdir = tempfile.mkdtemp(prefix="threadlab-run-")
    client = NotebookClient(nb, timeout=max(1, int(args.cell_timeout)), kernel_name="threadlab", allow_errors=True,
                            interrupt_on_timeout=True, resources={"metadata": {"path": workdir}})
    try:
        client.execute()
    except Exception as e:  # a dead kernel or a timeout must not stop the batch
        notes.append(f"running the notebook stopped: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for i, cell in enumerate(nb.cells):
        for o in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if o.get("output_type") == "error":
                notes.append(f"cell {i} raised {o.get('ename')}: {str(o.get('evalue'))[:200]}")
                break
    nbformat.write(nb, out_path)
    return notes


def hiding_sources(cmd, hidden_sources):
    """cmd, run where the repository (and the hidden tests' sources) cannot be seen.

    As root on Linux the grading JVM gets a mount namespace of its own with an empty tmpfs over
    the repository: a submission that walks the disk finds nothing there. Elsewhere the command is
    returned as it is, and only the working folder, class path and environment keep it away.
    """
    if not (sys.platform.startswith("linux") and hasattr(os, "geteuid") and os.geteuid() == 0
            and shutil.which("unshare")):
        return cmd
    hide = [ROOT] + [d for d in [os.path.abspath(hidden_sources)] if not d.startswith(ROOT + os.sep)]
    mounts = " && ".join(f'mount -t tmpfs -o size=1m,mode=0555 threadlab-hidden "${i + 1}"' for i in range(len(hide)))
    script = mounts + f' && shift {len(hide)} && exec "$@"'
    return ["unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", script, "sh", *hide, *cmd]


def can_hide_sources():
    return hiding_sources(["true"], ROOT) != ["true"]


def grade_in_jvm(batch, cells, exercises, log_path):
    """Step 2: the grading JVM(s). Returns ({key: result}, {key: reason for tests without result}, notes)."""
    args = batch.args
    results, reasons, notes = {}, {}, []
    deadline = time.monotonic() + args.budget
    all_keys = [t["key"] for e in exercises for t in batch.tests.get(e, [])]
    workdir = tempfile.mkdtemp(prefix="sub-", dir=batch.tmp)
    env = {"PATH": "/usr/bin:/bin", "HOME": workdir, "LANG": "C.UTF-8"}
    cmd = [batch.java, f"-Xmx{args.heap}", "-Xss512k", "-XX:+DisableAttachMechanism", "-XX:-UsePerfData",
           f"-Djava.io.tmpdir={workdir}", "-cp", batch.classpath + os.pathsep + batch.hidden,
           "org.threadlab.grading.Grader", "run"]
    cmd = hiding_sources(cmd, args.hidden)
    log = open(log_path, "w", encoding="utf-8")
    for attempt in range(args.restarts + 1):
        remaining = deadline - time.monotonic()
        if remaining <= 1:
            break
        nonce = secrets.token_hex(16)
        lines = [f"nonce {nonce}", f"hidden {batch.hidden}", f"cell-timeout-ms {int(args.cell_timeout * 1000)}",
                 f"max-threads {args.max_threads}"]
        if args.test_cap:
            lines.append(f"test-cap-ms {int(args.test_cap * 1000)}")
        lines += [f"exercise {e}" for e in exercises]
        lines += [f"skip {k}" for k in list(results) + list(reasons)]
        text = "\n".join(lines) + "\n"
        for kind, gid, source in cells:
            text += f"cell {kind} {len(source)} {gid}\n{source}\n"
        log.write(f"== grading JVM, attempt {attempt + 1}\n")
        log.flush()
        proc = subprocess.Popen(cmd, cwd=workdir, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=log, start_new_session=True)
        timed_out = False
        try:
            out, _ = proc.communicate(text.encode("utf-8"), timeout=remaining)
        except subprocess.TimeoutExpired:
            timed_out = True
            kill_group(proc)
            out, _ = proc.communicate()
        kill_group(proc)  # threads or processes the submission left behind
        events = []
        prefix = nonce + " "
        for raw in out.decode("utf-8", "replace").splitlines():
            if raw.startswith(prefix):
                try:
                    events.append(json.loads(raw[len(prefix):]))
                except ValueError:
                    pass
        started, done, exited, cell_timeout, restart = None, False, False, None, False
        for ev in events:
            kind = ev.get("event")
            if kind == "start":
                started = ev["key"]
            elif kind == "result" and ev["key"] in all_keys and ev["key"] not in results:
                results[ev["key"]] = ev
                started = None
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
        if done:
            break
        rc = proc.returncode
        if timed_out:
            why = f"the submission used up its time budget of {args.budget:.0f} s"
        elif cell_timeout:
            why = f"cell {cell_timeout['cell']} did not finish within {cell_timeout['seconds']:.0f} s (an endless loop or a deadlock?)"
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
    for k in all_keys:
        if k not in results:
            reasons.setdefault(k, "not run: the grader gave up on this submission (too many restarts)")
    log.close()
    shutil.rmtree(workdir, ignore_errors=True)
    return results, reasons, notes


def kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def grade_one(batch, path, name):
    args = batch.args
    start = time.monotonic()
    outdir = os.path.join(args.out, "submissions", name)
    os.makedirs(outdir, exist_ok=True)
    notes, rows = [], []
    try:
        sub = nbformat.read(path, as_version=4)
    except Exception as e:
        sub = None
        notes.append(f"the file is not a notebook Jupyter can read: {type(e).__name__}: {e}")
    source = batch.source_for(sub, os.path.basename(path)) if sub is not None else None
    exercises = graded_exercises(batch.solutions[source]) if source else []
    if sub is not None and source is None:
        notes.append("this notebook answers none of the exercises in solutions/ (no matching nbgrader grade ids)")
    if sub is not None and source:
        if not args.no_run:
            try:
                notes += run_in_kernel(path, os.path.join(outdir, "executed.ipynb"), args)
            except Exception as e:
                notes.append(f"running the notebook failed: {type(e).__name__}: {e}")
        results, reasons, jvm_notes = grade_in_jvm(batch, program_cells(batch.solutions[source], sub), exercises,
                                                   os.path.join(outdir, "grader.log"))
        notes += jvm_notes
        for e in exercises:
            for t in batch.tests.get(e, []):
                r = results.get(t["key"])
                rows.append({"exercise": e, "test": t["name"], "visibility": t["visibility"], "max": t["points"],
                             "points": r["score"] if r else 0, "passed": bool(r and r["passed"]),
                             "message": r["message"] if r else reasons.get(t["key"], "not run")})
    seconds = time.monotonic() - start
    student = student_name(path, source)
    write_results_json(os.path.join(outdir, "results.json"), rows, seconds, notes)
    write_feedback(os.path.join(outdir, "feedback.md"), student, source, rows, notes)
    return {"student": student, "name": name, "source": source, "rows": rows, "seconds": seconds, "notes": notes}


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
        out = ("passed" if r["passed"] else clip(r["message"], 200 if hidden else 600))
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
    if rows:
        lines += ["| test | kind | points | result |", "| --- | --- | --- | --- |"]
        for r in rows:
            if r["passed"]:
                result = "pass" + (f" ({r['message']})" if r["message"] else "")
            elif r["visibility"] == "hidden":
                # hidden tests say what failed, not how they test; the visible test of the same kind says why
                result = "FAIL" + (f": {clip(r['message'], 120)}" if r["message"].startswith(("not run", "failed: ", "not graded")) else "")
            else:
                result = "FAIL: " + clip(r["message"], 600)
            result = result.replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {r['test']} | {r['visibility']} | {r['points']}/{r['max']} | {result} |")
        lines.append("")
    if notes:
        lines += ["## Notes", ""] + [f"- {clip(n, 400)}" for n in notes] + [""]
    lines += ["Visible tests are the ones `check(...)` runs in your notebook; hidden tests check the same "
              "kind of thing with other numbers and threads.", ""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("submissions", nargs="+", help="submitted .ipynb files")
    parser.add_argument("--out", default="grades", help="where the gradebook, results and feedback go (default grades/)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="submissions graded at once (default: the cores)")
    parser.add_argument("--cell-timeout", type=float, default=30, help="seconds a cell may run (kernel run and grading JVM)")
    parser.add_argument("--test-cap", type=float, default=0, help="cut every test's time limit to this many seconds (0: the tests' own)")
    parser.add_argument("--budget", type=float, default=240, help="seconds the grading JVMs of one submission may take in all")
    parser.add_argument("--heap", default="512m", help="-Xmx of a grading JVM")
    parser.add_argument("--max-threads", type=int, default=1000, help="threads a submission may start")
    parser.add_argument("--restarts", type=int, default=6, help="fresh JVMs after a test that ended or poisoned one")
    parser.add_argument("--no-run", action="store_true", help="skip running the notebooks through the kernel (grade only)")
    parser.add_argument("--solutions", default=os.path.join(ROOT, "solutions"))
    parser.add_argument("--hidden", default=os.path.join(ROOT, "grading", "hidden", "src"))
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    missing = [p for p in args.submissions if not os.path.isfile(p)]
    if missing:
        sys.exit("grade: no such file: " + ", ".join(missing))
    os.makedirs(args.out, exist_ok=True)
    os.environ.setdefault("THREADLAB_PROFILE", "ci")  # the kernels inherit it: notebooks pick their small sizes
    batch = Batch(args)
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
                    g = {"student": n, "name": n, "source": None, "rows": [], "seconds": 0,
                         "notes": [f"the grader failed on this submission: {type(e).__name__}: {e}"]}
                graded.append(g)
                if not args.quiet:
                    s = sum(r["points"] for r in g["rows"])
                    m = sum(r["max"] for r in g["rows"])
                    print(f"{s:3}/{m:<3} {g['seconds']:6.1f} s  {n}" + (f"  ({clip(g['notes'][0], 100)})" if g["notes"] and s < m else ""),
                          flush=True)
    finally:
        shutil.rmtree(batch.tmp, ignore_errors=True)
    graded.sort(key=lambda g: g["name"])
    with open(os.path.join(args.out, "gradebook.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student", "exercise", "test", "points", "max"])
        for g in graded:
            for r in g["rows"]:
                w.writerow([g["student"], r["exercise"], r["test"], r["points"], r["max"]])
    wall = time.monotonic() - start
    with open(os.path.join(args.out, "batch.json"), "w", encoding="utf-8") as f:
        json.dump({"wall_seconds": round(wall, 2), "jobs": args.jobs,
                   "submissions": [{"name": g["name"], "student": g["student"], "seconds": round(g["seconds"], 2),
                                    "score": sum(r["points"] for r in g["rows"]), "max": sum(r["max"] for r in g["rows"])}
                                   for g in graded]}, f, indent=2)
    if not args.quiet:
        print(f"graded {len(graded)} submissions in {wall:.1f} s; gradebook: {os.path.join(args.out, 'gradebook.csv')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
