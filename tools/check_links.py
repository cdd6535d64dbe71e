"""Every link a reader can click resolves: in the markdown cells of every notebook under notebooks/,
lectures/, exercises/ and solutions/, and in the README. A relative link must name a file (or
folder) that exists inside the repository, which is the root `./threadlab notebook` serves; a link to
a heading (`#...` or `file.ipynb#...`) must match a heading of that notebook. Links to other sites
are not fetched (the suite runs offline): they are only checked to be well formed.

    check_links.py [ROOT]      exit 0 when every link resolves; 1 with one line per broken link

Each broken link is reported as FILE (cell N): [text](target): what is wrong, with the nearest
existing file when one looks like what was meant (an exercise renamed, say).
"""
import difflib
import json
import os
import re
import sys
from urllib.parse import unquote, urlparse

FOLDERS = ("notebooks", "lectures", "exercises", "solutions")
# [text](target "title") and ![alt](target); the target ends at the first blank or ")"
MD_LINK = re.compile(r"!?\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_LINK = re.compile(r"""<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*["']([^"']+)["']""", re.I)
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.M)


def slugs(heading):
    """The anchors Jupyter gives a heading: the classic notebook keeps the text and turns blanks into
    '-'; JupyterLab and GitHub lower-case it and drop punctuation. Any of them counts."""
    text = re.sub(r"<[^>]+>|[*_`]", "", heading).strip()
    classic = re.sub(r"\s", "-", text)
    github = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
    return {classic, github, classic.lower()}


def markdown_of(path):
    """[(where, markdown text)] of a notebook's markdown cells, or of a markdown file."""
    if path.endswith(".ipynb"):
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
        out = []
        for i, cell in enumerate(nb.get("cells", [])):
            if cell.get("cell_type") == "markdown":
                src = cell.get("source", "")
                out.append((f"cell {i}", "".join(src) if isinstance(src, list) else src))
        return out
    with open(path, encoding="utf-8") as f:
        return [("", f.read())]


def anchors_of(path, cache={}):
    if path not in cache:
        found = set()
        for _, text in markdown_of(path):
            for h in HEADING.findall(CODE.sub("", text)):
                found |= slugs(h)
            found |= set(re.findall(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""", text))
        cache[path] = found
    return cache[path]


def links_in(text):
    text = CODE.sub("", text)
    for m in MD_LINK.finditer(text):
        yield m.group(1), m.group(2)
    for m in HTML_LINK.finditer(text):
        yield "", m.group(1)


def nearest(root, missing):
    """An existing file whose name is close to the missing one, as a hint."""
    folder = os.path.dirname(missing)
    if not os.path.isdir(folder):
        return None
    names = os.listdir(folder)
    base = os.path.basename(missing)
    close = difflib.get_close_matches(base, names, n=1, cutoff=0.5)
    if not close:
        # a renamed exercise keeps its topic words: e1-bank-account -> e09-bank-account
        stem = re.sub(r"^[a-z]?\d+[a-z]?-", "", base)
        close = [n for n in names if n.endswith(stem) and stem != base][:1]
    return os.path.relpath(os.path.join(folder, close[0]), root) if close else None


def check(root):
    files = [os.path.join(root, "README.md")] if os.path.isfile(os.path.join(root, "README.md")) else []
    for folder in FOLDERS:
        d = os.path.join(root, folder)
        if os.path.isdir(d):
            files += sorted(os.path.join(d, n) for n in os.listdir(d) if n.endswith(".ipynb"))
    broken, count = [], 0
    root_real = os.path.realpath(root)
    for path in files:
        rel = os.path.relpath(path, root)
        for where, text in markdown_of(path):
            for label, target in links_in(text):
                count += 1
                shown = f"{rel}{' (' + where + ')' if where else ''}: [{label}]({target})"
                url = urlparse(target)
                if url.scheme in ("http", "https", "mailto"):
                    if url.scheme != "mailto" and not url.netloc:
                        broken.append(f"{shown}: a web link without a host")
                    continue
                if url.scheme or target.startswith("/"):
                    broken.append(f"{shown}: an absolute link; Jupyter serves the repository, so link relative to this file")
                    continue
                file_part, anchor = unquote(url.path), url.fragment
                dest = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
                if not os.path.realpath(dest).startswith(root_real + os.sep) and os.path.realpath(dest) != root_real:
                    broken.append(f"{shown}: points outside the repository, which is all Jupyter serves")
                    continue
                if not os.path.exists(dest):
                    hint = nearest(root, dest)
                    broken.append(f"{shown}: {os.path.relpath(dest, root)} does not exist"
                                  + (f" (did you mean {hint}?)" if hint else ""))
                    continue
                if anchor and (dest.endswith(".ipynb") or dest.endswith(".md")) and unquote(anchor) not in anchors_of(dest):
                    broken.append(f"{shown}: {os.path.relpath(dest, root)} has no heading '#{anchor}'")
    return files, count, broken


def main(argv):
    root = os.path.abspath(argv[0] if argv else os.path.join(os.path.dirname(__file__), ".."))
    files, count, broken = check(root)
    for b in broken:
        print(f"broken link: {b}")
    print(f"{count} links in {len(files)} files: {count - len(broken)} resolve, {len(broken)} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
