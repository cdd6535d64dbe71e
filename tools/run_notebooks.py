"""Executes notebooks headless through the ThreadLab kernel with nbclient.

--check  runs them and fails on any error output a cell is not tagged to expect ("raises-exception"),
         or on a notebook slower than its budget; nothing is written.
--write  runs them and saves the outputs in place (how committed outputs are refreshed).

Lectures are judged by their self-checks too (the lines quiz(..) prints):
- an instructor lecture (notebooks/NN-*.ipynb) must answer every question right, and ask at least one;
- a student copy (lectures/NN-*.ipynb, answers blank) must say "not answered yet" and never
  "right" or "not quite": a blank answer runs without an error and gives nothing away.
A student copy whose code is the same as its source's (a lecture without answers yet) is not run
again, and neither is a notebook without code (the index).
"""
import argparse
import os
import sys
import time

import re

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

CELL_TIMEOUT_S = int(os.environ.get("THREADLAB_CELL_TIMEOUT", "120"))
NOTEBOOK_BUDGET_S = float(os.environ.get("THREADLAB_NOTEBOOK_BUDGET", "90"))


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lectures import PENDING  # noqa: E402  (lectures whose self-checks predate quiz(..): their errors still count)

LECTURE = re.compile(r"^\d\d-[a-z0-9-]+\.ipynb$")
QUESTION = re.compile(r"^question (\d+): (right|not quite|not answered yet)", re.M)
NOT_ANSWERED = "not answered yet"


def is_student_copy(path):
    return os.path.basename(os.path.dirname(os.path.abspath(path))) == "lectures"


def source_of(path):
    """The instructor's notebook a student copy was generated from."""
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(path))), "notebooks", os.path.basename(path))


def code_of(path):
    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def skip_reason(path):
    code = code_of(path)
    if not code:
        return "no code cells"
    if is_student_copy(path) and os.path.exists(source_of(path)) and code_of(source_of(path)) == code:
        return "its code is the same as notebooks/" + os.path.basename(path) + " (no answers to leave blank yet)"
    return None


def text_of(cell):
    parts = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream":
            parts.append(o.get("text", ""))
        elif "data" in o:
            parts.append(o["data"].get("text/plain", ""))
    return "".join("".join(p) if isinstance(p, list) else p for p in parts)


def self_check_problems(nb, path):
    """What the quiz lines say is wrong for this kind of notebook (instructor or student)."""
    if not LECTURE.match(os.path.basename(path)):
        return []
    verdicts = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            text = text_of(cell)
            verdicts += [(index, m.group(1), m.group(2)) for m in QUESTION.finditer(text)]
            if NOT_ANSWERED in text and not any(v[0] == index for v in verdicts):
                verdicts.append((index, "prediction", NOT_ANSWERED))
    problems = []
    if is_student_copy(path):
        if not any(v[2] == NOT_ANSWERED for v in verdicts):
            problems.append("the student copy never says \"not answered yet\": are its answers blank, and checked with quiz(..)?")
        problems += [f"cell {i}: question {q} says \"{v}\" with a blank answer (the check gives the answer away)"
                     for i, q, v in verdicts if v != NOT_ANSWERED]
    else:
        if not any(v[2] == "right" for v in verdicts) and os.path.basename(path)[:2] not in PENDING:
            problems.append("no self-check question was answered right (expected lines \"question N: right. ...\")")
        problems += [f"cell {i}: {'question ' + q if q != 'prediction' else 'a prediction'} says \"{v}\" with the instructor's answer"
                     for i, q, v in verdicts if v != "right"]
    return problems


def run(path, write):
    start = time.monotonic()
    problems = []
    for attempt in (1, 2):
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb,
            timeout=CELL_TIMEOUT_S,
            kernel_name="threadlab",
            allow_errors=True,  # errors are judged below, cell by cell, against the cell's tags
            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
        )
        try:
            client.execute(env=dict(os.environ))
        except CellTimeoutError as e:
            problems.append(f"a cell ran longer than {CELL_TIMEOUT_S} s: {str(e).splitlines()[0]}")
        except DeadKernelError as e:
            problems.append(f"the kernel died: {e}")
        except RuntimeError as e:
            if "before replying to kernel_info" in str(e) and attempt == 1:
                # Jupyter picks the kernel's ports by binding and releasing them; with many kernels and
                # their JVMs starting at once another process may take one before the kernel binds it
                # (the kernel then says "cannot open the kernel's sockets"). Jupyter's own restarter
                # starts it again on new ports; so does this, once, and says so. No cell had run.
                print(f"retry  {path}: the kernel died before its first reply ({e}); starting it again on new ports", flush=True)
                continue
            problems.append(f"the kernel did not start: {type(e).__name__}: {e}")
        except Exception as e:  # one notebook's failure must not hide the others' results
            problems.append(f"running it failed: {type(e).__name__}: {e}")
        break
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
    problems += self_check_problems(nb, path)
    if seconds > NOTEBOOK_BUDGET_S:
        problems.append(f"took {seconds:.0f} s, over the budget of {NOTEBOOK_BUDGET_S:.0f} s")
    if write and not any(p.startswith(("the kernel died", "the kernel did not start", "running it failed")) for p in problems):
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
    if args.write and any(is_student_copy(p) for p in args.notebooks):
        parser.error("lectures/ holds generated student copies without outputs: run notebooks/NN-*.ipynb, "
                     "then ./threadlab lectures to regenerate the copies")
    failed = 0
    for path in list(args.notebooks):
        reason = skip_reason(path)
        if reason:
            print(f"{'skip':6} {'':8}  {path}: {reason}", flush=True)
            args.notebooks.remove(path)
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
