"""Generates the student notebooks in exercises/ from the instructor's notebooks in solutions/.

In a solution notebook, the parts students write sit between `// BEGIN SOLUTION` and
`// END SOLUTION` lines. In the student version each region becomes a stub that compiles and fails
its tests with a clear message:

    // TODO: your code here
    throw new UnsupportedOperationException("exercise bank-account: not done yet");

A region whose stub is not a statement (fields, say) names its own stub with `// STUB: code` lines
at its start. `// BEGIN HIDDEN TESTS` ... `// END HIDDEN TESTS` regions are dropped. Outputs and
execution counts are cleared; cell metadata (nbgrader's grade_id, points, locked) is kept.

    python3 tools/assign.py            # writes exercises/
    python3 tools/assign.py --check    # fails if exercises/ is not what solutions/ generates
"""
import argparse
import copy
import os
import re
import sys

import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN = re.compile(r"^(\s*)//\s*BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*//\s*END SOLUTION\s*$")
STUB = re.compile(r"^\s*//\s*STUB:\s?(.*)$")
BEGIN_HIDDEN = re.compile(r"^\s*//\s*BEGIN HIDDEN TESTS\s*$")
END_HIDDEN = re.compile(r"^\s*//\s*END HIDDEN TESTS\s*$")
MD_BEGIN = re.compile(r"^\s*(?://|###)\s*BEGIN SOLUTION\s*$")
MD_END = re.compile(r"^\s*(?://|###)\s*END SOLUTION\s*$")


class AssignError(Exception):
    pass


def exercise_name(nb, path):
    """The exercise a notebook grades: the grade_id of its graded (check) cell."""
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
            return meta.get("grade_id")
    raise AssignError(f"{path}: no graded cell (a code cell with nbgrader metadata grade: true, e.g. check(...)); add one")


def stub_code(source, exercise, where):
    out = []
    lines = source.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if BEGIN_HIDDEN.match(line):
            j = i + 1
            while j < len(lines) and not END_HIDDEN.match(lines[j]):
                j += 1
            if j == len(lines):
                raise AssignError(f"{where}: '// BEGIN HIDDEN TESTS' without '// END HIDDEN TESTS'")
            i = j + 1
            continue
        m = BEGIN.match(line)
        if not m:
            if END.match(line):
                raise AssignError(f"{where}: '// END SOLUTION' without a '// BEGIN SOLUTION' before it")
            out.append(line)
            i += 1
            continue
        indent = m.group(1)
        j = i + 1
        stub = []
        while j < len(lines) and not END.match(lines[j]):
            if BEGIN.match(lines[j]):
                raise AssignError(f"{where}: '// BEGIN SOLUTION' inside another solution region")
            s = STUB.match(lines[j])
            if s:
                stub.append(indent + s.group(1))
            j += 1
        if j == len(lines):
            raise AssignError(f"{where}: '// BEGIN SOLUTION' without '// END SOLUTION'")
        if stub:
            out.extend(stub)
        else:
            out.append(indent + "// TODO: your code here")
            out.append(indent + f'throw new UnsupportedOperationException("exercise {exercise}: not done yet");')
        i = j + 1
    return "\n".join(out)


def stub_markdown(source):
    out, inside = [], False
    for line in source.split("\n"):
        if MD_BEGIN.match(line):
            inside = True
            out.append("YOUR ANSWER HERE")
        elif MD_END.match(line):
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def student_version(path):
    nb = nbformat.read(path, as_version=4)
    exercise = exercise_name(nb, path)
    student = copy.deepcopy(nb)
    regions = 0
    for index, cell in enumerate(student.cells):
        where = f"{os.path.relpath(path, ROOT)}, cell {index}"
        meta = cell.get("metadata", {}).get("nbgrader", {})
        cell.get("metadata", {}).pop("execution", None)  # run timestamps would make exercises/ stale on every run
        if cell.cell_type == "code":
            has_region = any(BEGIN.match(l) for l in cell.source.split("\n"))
            if meta.get("solution") and not has_region:
                raise AssignError(f"{where}: a solution cell without a '// BEGIN SOLUTION' region; mark what students write")
            if has_region and not meta.get("solution"):
                raise AssignError(f"{where}: a solution region in a cell whose nbgrader metadata lacks solution: true "
                                  "(the grader takes only solution cells from submissions)")
            regions += has_region
            cell.source = stub_code(cell.source, exercise, where)
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown":
            cell.source = stub_markdown(cell.source)
    if regions == 0:
        raise AssignError(f"{path}: no '// BEGIN SOLUTION' region, so students would have nothing to write")
    student.metadata.pop("language_info", None)
    return nbformat.writes(student) + "\n"


def sync_copy(target, text, check, problems, stale, generated_dir):
    """Writes a generated student copy where it differs, or (check) records it as stale in problems."""
    current = open(target, encoding="utf-8").read() if os.path.exists(target) else None
    if current == text:
        return
    if check:
        problems.append(stale)
        return
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {generated_dir}/{os.path.basename(target)}")


def finish(problems, check, generated_dir, sources, source_dir, summary):
    """Flags copies without a source, prints the problems or the summary; the exit status."""
    if os.path.isdir(generated_dir):
        for name in sorted(os.listdir(generated_dir)):
            if name.endswith(".ipynb") and name not in sources:
                problems.append(f"{os.path.basename(generated_dir)}/{name} has no {os.path.basename(source_dir)}/{name}: "
                                "delete it or add its source")
    for p in problems:
        print(p, file=sys.stderr)
    if not problems:
        print(summary)
    return 1 if problems else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail if exercises/ is out of date; write nothing")
    parser.add_argument("--solutions", default=os.path.join(ROOT, "solutions"))
    parser.add_argument("--exercises", default=os.path.join(ROOT, "exercises"))
    args = parser.parse_args()
    sources = sorted(f for f in os.listdir(args.solutions) if f.endswith(".ipynb")) if os.path.isdir(args.solutions) else []
    problems = []
    for name in sources:
        target = os.path.join(args.exercises, name)
        try:
            text = student_version(os.path.join(args.solutions, name))
        except AssignError as e:
            problems.append(str(e))
            continue
        sync_copy(target, text, args.check, problems,
                  f"exercises/{name} is out of date with solutions/{name}: run ./threadlab assign", "exercises")
    return finish(problems, args.check, args.exercises, sources, args.solutions,
                  f"{len(sources)} exercise notebooks {'up to date' if args.check else 'generated'}")


if __name__ == "__main__":
    sys.exit(main())
