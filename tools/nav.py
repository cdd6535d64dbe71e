"""Navigation for the lesson notebooks, generated: a cell at the top and the bottom of each
notebooks/NN-title.ipynb linking to the index and the neighbours, and notebooks/index.ipynb listing
every lesson (and the exercises, when there are any), and the curriculum map: the table under
"## Curriculum map" in README.md (one row per concept: id, what it is, the lectures that teach it
(the first one first), the exercises that grade it, each named in backquotes). A lecture or exercise
the repository does not hold yet is named without a link. Idempotent: generated cells carry the
metadata {"threadlab": {"nav": true}} and are replaced, never added twice.

    nav.py NOTEBOOK_DIR          rewrite what is stale
    nav.py --check NOTEBOOK_DIR  only say what is stale; exit 1 if anything is
"""
import os
import re
import sys

import nbformat

LESSON = re.compile(r"^(\d\d)-[a-z0-9-]+\.ipynb$")


def title_of(nb, fallback):
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown" and not cell.get("metadata", {}).get("threadlab", {}).get("nav"):
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            for line in src.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def nav_cell(key, text):
    return {"cell_type": "markdown", "id": f"threadlab-nav-{key}", "metadata": {"threadlab": {"nav": True}}, "source": text}


def links(lessons, i):
    parts = ["[Index](index.ipynb)"]
    if i > 0:
        parts.append(f"← [{lessons[i - 1][1]}]({lessons[i - 1][0]})")
    if i < len(lessons) - 1:
        parts.append(f"[{lessons[i + 1][1]}]({lessons[i + 1][0]}) →")
    return " · ".join(parts)


EXERCISE = re.compile(r"^e(\d\d)-[a-z0-9-]+\.ipynb$")


def exercise_list(folder, lessons):
    """The graded exercises by lecture (eNN-name: NN is the lecture it goes with), each with its title."""
    if not os.path.isdir(folder):
        return []
    names = sorted(n for n in os.listdir(folder) if EXERCISE.match(n))
    if not names:
        return []
    lecture_title = {name[:2]: title for name, title in lessons}
    out = ["", "## Exercises, by lecture", ""]
    for n in names:
        nn = EXERCISE.match(n).group(1)
        title = title_of(nbformat.read(os.path.join(folder, n), as_version=4), n[:-6])
        title = re.sub(r"^E\d+ · ", "", title)
        out.append(f"- {lecture_title.get(nn, 'Lecture ' + nn)}: [{n[:-6]}](../exercises/{n}), {title}")
    return out


MAP_HEADING = "## Curriculum map"
CONCEPT_ROW = re.compile(r"^\|\s*(C\d\d)\s*\|")
LECTURE_NAME = re.compile(r"`(\d\d-[a-z0-9-]+)`")
EXERCISE_NAME = re.compile(r"`(e\d\d-[a-z0-9-]+)`")


class MapError(Exception):
    pass


def concept_rows(readme):
    """(id, concept, lectures, exercises) for each row of the README's curriculum map; [] without one."""
    if not os.path.exists(readme):
        return []
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    rows, inside = [], False
    for n, line in enumerate(text.split("\n"), 1):
        if line.startswith("## "):
            inside = line.strip() == MAP_HEADING
            continue
        m = CONCEPT_ROW.match(line) if inside else None
        if not m:
            continue
        cols = [c.strip() for c in line.strip().strip("|").split("|")]
        where = f"README.md line {n} ({m.group(1)})"
        if len(cols) != 4:
            raise MapError(f"{where}: {len(cols)} columns, not 4 (concept | what it is | lectures | exercises); "
                           "a '|' inside a cell splits it")
        lectures, exercises = LECTURE_NAME.findall(cols[2]), EXERCISE_NAME.findall(cols[3])
        if not lectures:
            raise MapError(f"{where}: no lecture named; write its notebook's name in backquotes, e.g. `09-race-conditions`")
        rows.append((cols[0], cols[1], lectures, exercises))
    return rows


def concept_map(folder, lessons):
    """The index's curriculum map: each concept, the lectures that teach it and the exercises that grade it."""
    rows = concept_rows(os.path.join(folder, "..", "README.md"))
    if not rows:
        return []
    titles = dict(lessons)
    exercises = os.path.join(folder, "..", "exercises")

    def lecture(name, full):
        if name + ".ipynb" not in titles:
            return f"`{name}`"
        return f"[{titles[name + '.ipynb'] if full else name[:2]}]({name}.ipynb)"

    def exercise(name):
        return f"[{name}](../exercises/{name}.ipynb)" if os.path.exists(os.path.join(exercises, name + ".ipynb")) else f"`{name}`"

    out = ["", "## Concepts, where they are taught", "",
           "| concept | lecture | graded in |", "| --- | --- | --- |"]
    for cid, what, lectures, graded in rows:
        taught = lecture(lectures[0], True)
        if len(lectures) > 1:
            taught += "; also " + ", ".join(lecture(n, False) for n in lectures[1:])
        out.append(f"| {cid} · {what} | {taught} | {', '.join(exercise(e) for e in graded) or '-'} |")
    return out


def dump(nb):
    # the same bytes nbformat writes after a run, so a run followed by --check finds nothing stale
    return nbformat.writes(nbformat.from_dict(nb)) + "\n"


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    if len(args) != 1:
        print(__doc__)
        return 2
    folder = args[0]
    names = sorted(n for n in os.listdir(folder) if LESSON.match(n))
    notebooks = {n: nbformat.read(os.path.join(folder, n), as_version=4) for n in names}
    lessons = [(n, title_of(notebooks[n], n)) for n in names]
    stale = []
    for i, (name, _) in enumerate(lessons):
        nb = notebooks[name]
        before = open(os.path.join(folder, name), encoding="utf-8").read()
        body = [c for c in nb["cells"] if not c.get("metadata", {}).get("threadlab", {}).get("nav")]
        text = links(lessons, i)
        nb["cells"] = [nav_cell("top", text)] + body + [nav_cell("bottom", text)]
        after = dump(nb)
        if after != before:
            stale.append(name)
            if not check:
                open(os.path.join(folder, name), "w", encoding="utf-8").write(after)
    index_path = os.path.join(folder, "index.ipynb")
    lines = ["# ThreadLab: threads and processes, in Java", "",
             "Lectures, in order. Each ends with a self-check; graded exercises are in `../exercises/`.", ""]
    lines += [f"{i}. [{title}]({name})" for i, (name, title) in enumerate(lessons)]
    lines += exercise_list(os.path.join(folder, "..", "exercises"), lessons)
    try:
        lines += concept_map(folder, lessons)
    except MapError as e:
        print(f"the curriculum map cannot be read: {e}")
        return 2
    index = {"cells": [nav_cell("index", "\n".join(lines))],
             # markdown only: it names Python's kernel (ipykernel comes with Jupyter), so opening the
             # index starts no Java kernel (two JVMs) and an idle one is culled like any other
             "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
                          "language_info": {"name": "python"}},
             "nbformat": 4, "nbformat_minor": 5}
    old = open(index_path, encoding="utf-8").read() if os.path.exists(index_path) else ""
    if dump(index) != old:
        stale.append("index.ipynb")
        if not check:
            open(index_path, "w", encoding="utf-8").write(dump(index))
    if check and stale:
        print("navigation is stale in: " + ", ".join(stale) + ". Run ./threadlab nav and commit the result.")
        return 1
    print(("up to date" if not stale else "updated: " + ", ".join(stale)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
