"""Lectures have one source, the instructor's notebooks in notebooks/; the student copies in
lectures/ are generated from them, as exercises/ is generated from solutions/ (tools/assign.py).

In a lecture, an answer the student writes is a declaration on one line ending in `// ANSWER`,
typed with a reference type so that a blank answer, `null`, still compiles:

    Integer answer1 = 1;                 // ANSWER
    String guessFaster = "threads";      // ANSWER

The student copy has `null` in place of each value; the helpers then print "not answered yet"
(quiz(..), checkPrediction(..)) and keep the explanation until an answer is given. Markdown
answers sit between `### BEGIN SOLUTION` and `### END SOLUTION` lines, as in exercises. Outputs,
execution counts and run timestamps are cleared, so the copy reveals no measured number either.

Rules every lecture source must follow (checked here too, with --check):
- no code cell longer than 25 lines, unless it is tagged "listing" (a program the student reads);
- no mention of a test profile: lesson code asks for sizes with scaled(n), never sized(..) or profile();
- every lecture 00-16 outside PENDING has at least one `// ANSWER`.

    python3 tools/lectures.py            # writes lectures/
    python3 tools/lectures.py --check    # fails if lectures/ is stale or a rule is broken
"""
import argparse
import copy
import os
import re
import sys

import nbformat

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from assign import finish, stub_markdown, sync_copy  # noqa: E402  (the same markdown regions and copying as exercises)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LESSON = re.compile(r"^(\d\d)-[a-z0-9-]+\.ipynb$")
ANSWER = re.compile(r"^(\s*)(\S.*?)(\s+)(\w+)(\s*=\s*)(.+?)(;\s*//\s*ANSWER\b.*)$")
MARKER = re.compile(r"//\s*ANSWER\b")
PRIMITIVE = {"int", "long", "double", "float", "boolean", "char", "short", "byte", "var"}
MAX_LINES = 25
# Mentions of the test run that lesson code must not carry: sizing happens in the helpers.
PROFILE_WORDS = re.compile(r"THREADLAB_PROFILE|\bprofile\(\)|\bsized\(|\"ci\"")
# Lectures another change rewrites on a controlled scheduler; until then they are generated and
# run like the others, but may lack answers and still use sized(..) and long cells.
PENDING = set()


class LectureError(Exception):
    pass


def blank_answers(source, where):
    out, count = [], 0
    for n, line in enumerate(source.split("\n"), 1):
        if MARKER.search(line) and not line.lstrip().startswith("//"):
            m = ANSWER.match(line)
            if not m:
                raise LectureError(f"{where}, line {n}: '// ANSWER' must end a one-line declaration 'Type name = value; // ANSWER'")
            if m.group(2).split()[-1] in PRIMITIVE:
                raise LectureError(f"{where}, line {n}: an answer of type '{m.group(2)}' cannot be left blank (null); "
                                   "use Integer, Long, Double, Boolean, String or a List instead")
            line = m.group(1) + m.group(2) + m.group(3) + m.group(4) + m.group(5) + "null" + m.group(7)
            count += 1
        out.append(line)
    return "\n".join(out), count


def lint(nb, name):
    """The rules of the module docstring, as messages (empty when the lecture follows them)."""
    problems, number = [], name[:2]
    for index, cell in enumerate(nb.cells):
        if cell.get("metadata", {}).get("threadlab", {}).get("nav"):
            continue
        where = f"notebooks/{name}, cell {index}"
        if PROFILE_WORDS.search(cell.source) and number not in PENDING:
            problems.append(f"{where} names the test run ({PROFILE_WORDS.search(cell.source).group(0)}): "
                            "ask for the class size with scaled(n); the helpers shrink it for the test run")
        if cell.cell_type == "code" and number not in PENDING:
            lines = len(cell.source.rstrip("\n").split("\n"))
            if lines > MAX_LINES and "listing" not in cell.get("metadata", {}).get("tags", []):
                problems.append(f"{where} has {lines} lines, over {MAX_LINES}: split it, move a helper to kernel-lib, "
                                "or tag it 'listing' if the student reads it rather than types it")
    return problems


def student_copy(path):
    nb = nbformat.read(path, as_version=4)
    student = copy.deepcopy(nb)
    answers = 0
    for index, cell in enumerate(student.cells):
        where = f"{os.path.relpath(path, ROOT)}, cell {index}"
        cell.get("metadata", {}).pop("execution", None)
        if cell.cell_type == "code":
            cell.source, n = blank_answers(cell.source, where)
            answers += n
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown":
            cell.source = stub_markdown(cell.source)
    student.metadata.pop("language_info", None)
    return nbformat.writes(student) + "\n", answers


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail if lectures/ is stale or a rule is broken; write nothing")
    parser.add_argument("--notebooks", default=os.path.join(ROOT, "notebooks"))
    parser.add_argument("--lectures", default=os.path.join(ROOT, "lectures"))
    args = parser.parse_args()
    names = sorted(n for n in os.listdir(args.notebooks) if LESSON.match(n) or n == "index.ipynb")
    problems = []
    for name in names:
        source = os.path.join(args.notebooks, name)
        try:
            text, answers = student_copy(source)
        except LectureError as e:
            problems.append(str(e))
            continue
        if LESSON.match(name):
            problems += lint(nbformat.read(source, as_version=4), name)
            if answers == 0 and name[:2] not in PENDING:
                problems.append(f"notebooks/{name} has no '// ANSWER' line: every lecture asks at least one question")
        sync_copy(os.path.join(args.lectures, name), text, args.check, problems,
                  f"lectures/{name} is out of date with notebooks/{name}: run ./threadlab lectures", "lectures")
    return finish(problems, args.check, args.lectures, names, args.notebooks,
                  f"{len(names)} student copies {'up to date' if args.check else 'generated'} in lectures/")


if __name__ == "__main__":
    sys.exit(main())
