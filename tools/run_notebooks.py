"""Executes notebooks headless through the ThreadLab kernel with nbclient.

--check  runs them and fails on any error output a cell is not tagged to expect ("raises-exception"),
         or on a notebook slower than its budget; nothing is written.
--write  runs them and saves the outputs in place (how committed outputs are refreshed).
"""
import argparse
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

CELL_TIMEOUT_S = int(os.environ.get("THREADLAB_CELL_TIMEOUT", "120"))
NOTEBOOK_BUDGET_S = float(os.environ.get("THREADLAB_NOTEBOOK_BUDGET", "90"))


def run(path, write):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT_S,
        kernel_name="threadlab",
        allow_errors=True,  # errors are judged below, cell by cell, against the cell's tags
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    start = time.monotonic()
    problems = []
    try:
        client.execute()
    except CellTimeoutError as e:
        problems.append(f"a cell ran longer than {CELL_TIMEOUT_S} s: {str(e).splitlines()[0]}")
    except DeadKernelError as e:
        problems.append(f"the kernel died: {e}")
    seconds = time.monotonic() - start
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        expected = "raises-exception" in cell.get("metadata", {}).get("tags", [])
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors and not expected:
            e = errors[0]
            problems.append(f"cell {index} failed: {e.get('ename')}: {e.get('evalue')}\n    "
                            + "\n    ".join(cell.source.splitlines()[:3]))
        if expected and not errors:
            problems.append(f"cell {index} is tagged raises-exception but ran without an error")
    if seconds > NOTEBOOK_BUDGET_S:
        problems.append(f"took {seconds:.0f} s, over the budget of {NOTEBOOK_BUDGET_S:.0f} s")
    if write and not any(p.startswith("the kernel died") for p in problems):
        nbformat.write(nb, path)
    return seconds, problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true")
    mode.add_argument("--write", action="store_true")
    parser.add_argument("--jobs", type=int, default=1,
                        help="notebooks run at once, each with its own kernel (outputs are kept only with --jobs 1 --write)")
    parser.add_argument("notebooks", nargs="+")
    args = parser.parse_args()
    # a small-machine profile: lessons read it (sized(small, full)) to fit a 2-core CI run. The
    # kernel inherits this process's environment: nbclient does not pass an env= of its own on.
    os.environ.setdefault("THREADLAB_PROFILE", "class" if args.write else "ci")
    if args.write and args.jobs > 1:
        parser.error("--write runs one notebook at a time, so that the committed figures are not skewed by a neighbour")
    failed = 0
    # notebooks wait on their kernels most of the time: a second one at once keeps a 2-core CI busy
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for path, (seconds, problems) in zip(args.notebooks, pool.map(lambda p: run(p, args.write), args.notebooks)):
            status = "ok" if not problems else "FAILED"
            print(f"{status:6} {seconds:6.1f} s  {path}", flush=True)
            for p in problems:
                print("       " + p, flush=True)
            failed += bool(problems)
    print(f"{len(args.notebooks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
