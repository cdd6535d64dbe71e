"""./threadlab bench grade [N] [--solution NAME]: grades N copies (default 30) of a solution notebook
in one batch and prints the wall time, the median and slowest time per submission, and submissions
per minute. Every copy must get full points, or the figures would be of a broken grader.

./threadlab bench grade-accuracy [RUNS]: grades the labelled corpus (grading/corpus, see
tools/corpus.py) RUNS times (default 3), each run one batch, and prints per case the false passes
(a buggy answer given the points of a test that must fail), the false fails (a right answer losing
points), the tests not judged, and the time per submission. Exits 1 on any false verdict. With
--no-run it skips each notebook's kernel run, which halves a run's cost: the verdicts come from the
grading JVM alone (the kernel run adds the executed notebook to the feedback, and uses part of each
submission's time budget, which the grading JVM then has whole).

./threadlab bench grade-engine-cost [COPIES]: what the schedule engine adds to a submission's grading.
For every exercise with tests that run under the engine (a test method calling Explore.noFailure,
found in the tests' sources), it grades COPIES (default 2) copies of the solution twice, without the
kernel run: once with every test, once with only the tests that do not use the engine (--only-tests),
and prints per exercise the median CPU seconds (sampled from the sandbox's process tree, which does not
grow with the machine's load as seconds do) and seconds per submission of each, and the difference.
The issue's goal is at most 5 s more per submission; on an otherwise idle machine a submission's
grading is one busy thread at a time, so CPU seconds and seconds are then close. Every test asked
must pass (they are solutions), or the figures would be of a broken grader."""
import argparse
import glob
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402
import grade  # noqa: E402


def accuracy(runs, jobs, no_run=False):
    cases = corpus.cases()
    tmp = tempfile.mkdtemp(prefix="threadlab-bench-accuracy-")
    stats = {c.id: {"fp": 0, "ff": 0, "nj": 0, "secs": []} for c in cases}
    started = time.monotonic()
    try:
        paths = [corpus.write_submission(c, os.path.join(tmp, "in")) for c in cases]
        for run in range(runs):
            out = os.path.join(tmp, f"out{run}")
            grade.main(paths + ["--out", out, "--quiet"] + (["--jobs", str(jobs)] if jobs else []) + (["--no-run"] if no_run else []))
            rows = corpus.rows_by_student(os.path.join(out, "gradebook.csv"))
            secs = {s["student"]: s["seconds"] for s in json.load(open(os.path.join(out, "batch.json")))["submissions"]}
            for c in cases:
                fp, ff, nj = corpus.judge(c, rows.get(c.id, []))
                st = stats[c.id]
                st["fp"] += bool(fp)
                st["ff"] += bool(ff)
                st["nj"] += bool(nj)
                st["secs"].append(secs.get(c.id, 0))
                if (fp and c.verdict == "buggy") or ff:
                    print(f"  run {run + 1}: {c.id}: {'FALSE PASS ' + str(fp) if fp else ''}{'FALSE FAIL ' + str(ff) if ff else ''}", flush=True)
                if nj:
                    print(f"  run {run + 1}: {c.id}: NOT JUDGED {str(nj)[:300]}", flush=True)
            # a line per run, so a benchmark stopped early still leaves what its finished runs found
            done = run + 1
            print(f"  after run {done} of {runs} ({time.monotonic() - started:.0f} s, load average {os.getloadavg()[0]:.1f}): "
                  f"{sum(stats[c.id]['fp'] for c in cases if c.verdict == 'buggy')} false passes in "
                  f"{sum(c.verdict == 'buggy' for c in cases) * done} gradings of buggy cases, "
                  f"{sum(stats[c.id]['ff'] for c in cases)} false fails in "
                  f"{sum(c.verdict == 'correct' for c in cases) * done} gradings of correct ones, "
                  f"{sum(stats[c.id]['nj'] for c in cases)} gradings not judged", flush=True)
        buggy = sum(c.verdict == "buggy" for c in cases)
        gaps = [c for c in cases if c.verdict == "gap"]
        correct = len(cases) - buggy - len(gaps)
        print(f"grade accuracy: {len(cases)} corpus cases ({buggy} buggy, {correct} correct, {len(gaps)} known gaps), {runs} runs, "
              f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end")
        print(f"  {'case':58} {'kind':8} {'false pass':>10} {'false fail':>10} {'not judged':>10} {'s/submission':>13}")
        for c in cases:
            st = stats[c.id]
            print(f"  {c.exercise + '/' + c.name:58} {c.verdict:8} {st['fp']:>7}/{runs:<2} {st['ff']:>7}/{runs:<2} {st['nj']:>7}/{runs:<2}"
                  f" {statistics.median(st['secs']):>9.1f} s")
        fp = sum(stats[c.id]["fp"] for c in cases if c.verdict == "buggy")
        ff = sum(stats[c.id]["ff"] for c in cases)
        gap_passes = sum(stats[c.id]["fp"] for c in gaps)
        all_secs = [x for st in stats.values() for x in st["secs"]]
        print(f"  total: {fp} false passes in {buggy * runs} gradings of buggy cases, {ff} false fails in "
              f"{correct * runs} gradings of correct ones, {sum(st['nj'] for st in stats.values())} not judged (no points, no verdict); median {statistics.median(all_secs):.1f} s per submission "
              f"(slowest {max(all_secs):.1f} s)")
        if gaps:
            print(f"  known gaps (not counted): {gap_passes} of {len(gaps) * runs} gradings passed a labelled test: "
                  + ", ".join(c.exercise + "/" + c.name for c in gaps))
        return 1 if fp or ff else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def engine_tests():
    """Display names of the tests whose method runs the schedule engine (Explore.noFailure, directly or through a
    helper method of the tests that calls it), from their sources."""
    sources = glob.glob(os.path.join(grade.ROOT, "grading-lib", "src", "main", "java", "org", "threadlab", "grading", "exercises", "*Tests.java"))
    sources += glob.glob(os.path.join(grade.ROOT, "grading", "hidden", "src", "**", "*.java"), recursive=True)
    texts = [open(p, encoding="utf-8").read() for p in sources]
    declaration = re.compile(r"\b(\w+)\s*\([^;{}()]*(?:\([^()]*\)[^;{}()]*)*\)\s*(?:throws [\w.,\s]+)?\{")
    helpers = set()
    for text in texts:
        for call in re.finditer(r"Explore\.noFailure\(", text):
            before = [m for m in declaration.finditer(text, 0, call.start())]
            if before and "@Test" not in text[max(0, before[-1].start() - 300):before[-1].start()]:
                helpers.add(before[-1].group(1))
    calls = re.compile(r"Explore\.noFailure\(" + "".join(r"|(?<![\w\"])" + h + r"\(" for h in sorted(helpers)))
    names = set()
    for text in texts:
        # one chunk per test method: from its @Test to the next
        for chunk in text.split("@Test")[1:]:
            m = re.search(r'@DisplayName\("((?:[^"\\]|\\.)*)"\)', chunk)
            if m and calls.search(chunk):
                names.add(m.group(1).encode().decode("unicode_escape"))
    return names


def engine_cost(copies, jobs):
    engine = engine_tests()
    tmp = tempfile.mkdtemp(prefix="threadlab-bench-engine-cost-")
    try:
        solutions = sorted(glob.glob(os.path.join(grade.ROOT, "solutions", "e*.ipynb")))
        def copies_of(variant, sols):
            paths = []
            for sol in sols:
                for i in range(copies):
                    d = os.path.join(tmp, variant, f"{os.path.basename(sol)[:-6]}-{i}")
                    os.makedirs(d)
                    paths.append(os.path.join(d, os.path.basename(sol)))
                    shutil.copy(sol, paths[-1])
            return paths
        # the grader's own manifest gives each exercise's tests (prepared once: the batches below reuse it)
        args = grade.parse_args(["x"])
        batch = grade.Batch(args, grade.Sandbox(enabled=True, bwrap=None))
        shutil.rmtree(batch.tmp, ignore_errors=True)
        with_engine = {e for e, tests in batch.tests.items() if any(t["name"] in engine for t in tests)}
        sols = [s for s in solutions if os.path.basename(s)[:-6].split("-", 1)[1] in with_engine]
        if not sols:
            sys.exit("bench grade-engine-cost: no exercise has tests that use the engine (is grading-lib's source here?)")
        results = {}
        for variant in ("all tests", "without the engine's"):
            paths = copies_of("all" if variant == "all tests" else "without", sols)
            argv = paths + ["--out", os.path.join(tmp, "out-" + variant[:3]), "--quiet", "--no-run"] + (["--jobs", str(jobs)] if jobs else [])
            asked = {}
            if variant != "all tests":
                for p in paths:
                    ex = os.path.basename(p)[:-6].split("-", 1)[1]
                    asked[os.path.abspath(p)] = [t["name"] for t in batch.tests[ex] if t["name"] not in engine]
                with open(os.path.join(tmp, "only.json"), "w") as f:
                    json.dump(asked, f)
                argv += ["--only-tests", os.path.join(tmp, "only.json")]
            print(f"grading {len(paths)} submissions ({variant}), load average {os.getloadavg()[0]:.1f} ...", flush=True)
            grade.main(argv)
            out = argv[argv.index("--out") + 1]
            rows = corpus.rows_by_student(os.path.join(out, "gradebook.csv"))
            for s in json.load(open(os.path.join(out, "batch.json")))["submissions"]:
                ex = s["student"].rsplit("-", 1)[0]
                results.setdefault(ex, {}).setdefault(variant, []).append((s["cpu_seconds"], s["seconds"]))
                for r in rows.get(s["student"], []):
                    wanted = variant == "all tests" or r["test"] in asked.get(os.path.abspath(
                        os.path.join(tmp, "without", s["student"], ex + ".ipynb")), [])
                    if wanted and r["points"] != r["max"]:
                        print(f"  WRONG: {s['student']} lost the points of '{r['test']}' ({variant}): {r}")
                        return 1
        print(f"what the schedule engine adds per submission, median of {copies} copies, --no-run, "
              f"load average {os.getloadavg()[0]:.1f} at the end ({os.cpu_count()} cores)")
        print(f"  {'exercise':26} {'engine tests':>12} {'CPU-s without':>13} {'with':>6} {'added':>6}   {'s without':>9} {'with':>6} {'added':>6}")
        within = 0
        for ex in sorted(results):
            a = results[ex]["without the engine's"]
            b = results[ex]["all tests"]
            ca, cb = statistics.median(x[0] for x in a), statistics.median(x[0] for x in b)
            sa, sb = statistics.median(x[1] for x in a), statistics.median(x[1] for x in b)
            n = sum(t["name"] in engine for t in batch.tests[ex.split("-", 1)[1]])
            within += cb - ca <= 5
            print(f"  {ex:26} {n:>12} {ca:>13.1f} {cb:>6.1f} {cb - ca:>+6.1f}   {sa:>9.1f} {sb:>6.1f} {sb - sa:>+6.1f}")
        print(f"  {within} of {len(results)} exercises within 5 CPU-s more per submission")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("copies", nargs="?", type=int, default=None, help="copies (bench grade, default 30) or runs (--accuracy, default 3)")
    parser.add_argument("--accuracy", action="store_true", help="grade the labelled corpus instead (bench grade-accuracy)")
    parser.add_argument("--engine-cost", action="store_true", help="what the schedule engine's tests add per submission "
                        "(bench grade-engine-cost; copies default 2)")
    parser.add_argument("--jobs", type=int, default=0, help="submissions graded at once (default: the grader's)")
    parser.add_argument("--solution", default="e13-bank-account.ipynb", help="a notebook in solutions/")
    parser.add_argument("--no-run", action="store_true", help="grade without the kernel run of each notebook (the verdicts come "
                        "from the grading JVM alone; the kernel run adds the executed notebook to the feedback)")
    parser.add_argument("--no-sandbox", action="store_true", help="grade without the sandbox (to see what it costs)")
    args = parser.parse_args()
    if args.accuracy:
        return accuracy(args.copies or 3, args.jobs, args.no_run)
    if args.engine_cost:
        return engine_cost(args.copies or 2, args.jobs)
    args.copies = args.copies or 30
    src = os.path.join(grade.ROOT, "solutions", args.solution)
    if not os.path.isfile(src):
        sys.exit(f"bench grade: no solutions/{args.solution}")
    tmp = tempfile.mkdtemp(prefix="threadlab-bench-grade-")
    try:
        paths = []
        for i in range(args.copies):
            d = os.path.join(tmp, "in", f"student{i + 1:02d}")
            os.makedirs(d)
            paths.append(os.path.join(d, args.solution))
            shutil.copy(src, paths[-1])
        out = os.path.join(tmp, "out")
        grade.main(paths + ["--out", out, "--quiet"] + (["--no-run"] if args.no_run else [])
                   + (["--no-sandbox"] if args.no_sandbox else []))
        batch = json.load(open(os.path.join(out, "batch.json")))
        subs = batch["submissions"]
        short = [s for s in subs if s["score"] != s["max"] or s["max"] == 0]
        secs = sorted(s["seconds"] for s in subs)
        print(f"grading {len(subs)} copies of solutions/{args.solution} with {batch['jobs']} jobs"
              f"{' (no kernel run)' if args.no_run else ''} on {os.cpu_count()} cores")
        print(f"  wall time                 {batch['wall_seconds']:8.1f} s")
        print(f"  wall time per submission  {batch['wall_seconds'] / len(subs):8.2f} s")
        print(f"  median time of one        {statistics.median(secs):8.2f} s (kernel run + grading JVM)")
        print(f"  slowest                   {secs[-1]:8.2f} s")
        print(f"  submissions per minute    {60 * len(subs) / batch['wall_seconds']:8.1f}")
        if batch.get("sandboxed"):
            steps = 1 if args.no_run else 2
            start = batch["sandbox_start_seconds"]
            print(f"  sandbox start (bwrap)     {1000 * start:8.1f} ms median of an empty sandbox; x{steps} per submission "
                  f"= {1000 * steps * start:.1f} ms (user {batch['sandbox_user'] or 'the grader own'})")
        else:
            print("  sandbox                   NONE (--no-sandbox)")
        if short:
            print(f"  WRONG: {len(short)} copies did not get full points, e.g. {short[0]}")
            return 1
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
