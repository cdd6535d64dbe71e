"""./threadlab bench grade [N] [--solution NAME]: grades N copies (default 30) of a solution notebook
in one batch and prints the wall time, the median and slowest time per submission, and submissions
per minute. Every copy must get full points, or the figures would be of a broken grader."""
import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import grade  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("copies", nargs="?", type=int, default=30)
    parser.add_argument("--solution", default="e1-bank-account.ipynb", help="a notebook in solutions/")
    parser.add_argument("--no-run", action="store_true", help="grade without the kernel run of each notebook")
    parser.add_argument("--no-sandbox", action="store_true", help="grade without the sandbox (to see what it costs)")
    args = parser.parse_args()
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
