"""Navigation for the lesson notebooks, generated: a cell at the top and the bottom of each
notebooks/NN-title.ipynb linking to the index and the neighbours, and notebooks/index.ipynb listing
every lesson (and the exercises, when there are any). Idempotent: generated cells carry the metadata
{"threadlab": {"nav": true}} and are replaced, never added twice.

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
