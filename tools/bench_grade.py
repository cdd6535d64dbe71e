"""./threadlab bench grade [N] [--solution NAME]: grades N copies (default 30) of a solution notebook
in one batch and prints the wall time, the median and slowest time per submission, and submissions
per minute. Every copy must get full points, or the figures would be of a broken grader.

./threadlab bench grade-accuracy [RUNS]: grades the labelled corpus (grading/corpus, see
tools/corpus.py) RUNS times (default 3), each run one batch, and prints per case the false passes
(a buggy answer given the points of a test that must fail), the false fails (a right answer losing
points), the tests not judged, and the time per submission. Exits 1 on any false verdict. With
--no-run it skips each notebook's kernel run, which halves a run's cost: the verdicts come from the
grading JVM alone (the kernel run adds the executed notebook to the feedback, and uses part of each
submission's time budget, which the grading JVM then has whole)."""
import argparse
import json
import os
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


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("copies", nargs="?", type=int, default=None, help="copies (bench grade, default 30) or runs (--accuracy, default 3)")
    parser.add_argument("--accuracy", action="store_true", help="grade the labelled corpus instead (bench grade-accuracy)")
    parser.add_argument("--jobs", type=int, default=0, help="submissions graded at once (default: the grader's)")
    parser.add_argument("--solution", default="e13-bank-account.ipynb", help="a notebook in solutions/")
    parser.add_argument("--no-run", action="store_true", help="grade without the kernel run of each notebook (the verdicts come "
                        "from the grading JVM alone; the kernel run adds the executed notebook to the feedback)")
    parser.add_argument("--no-sandbox", action="store_true", help="grade without the sandbox (to see what it costs)")
    args = parser.parse_args()
    if args.accuracy:
        return accuracy(args.copies or 3, args.jobs, args.no_run)
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
