"""Unit tests of the lecture generator (tools/lectures.py) and of how run_notebooks.py judges self-checks."""
import os
import sys
import unittest
import unittest.mock

import nbformat

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lectures  # noqa: E402
import run_notebooks  # noqa: E402


def code(source, outputs=()):
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=t) for t in outputs]
    return cell


class BlankAnswers(unittest.TestCase):
    def test_answer_values_become_null_and_the_rest_stays(self):
        src = 'Integer answer1 = 1;   // ANSWER\nList<String> a2 = List.of("x", "y");  // ANSWER\nint keep = 3;'
        out, n = lectures.blank_answers(src, "t")
        self.assertEqual(n, 2)
        self.assertEqual(out, 'Integer answer1 = null;   // ANSWER\nList<String> a2 = null;  // ANSWER\nint keep = 3;')

    def test_primitive_or_var_answer_is_refused_with_the_fix(self):
        for src in ("int answer1 = 1; // ANSWER", "var answer1 = 1; // ANSWER"):
            with self.assertRaises(lectures.LectureError) as e:
                lectures.blank_answers(src, "t")
            self.assertIn("Integer", str(e.exception))

    def test_marker_outside_a_declaration_is_refused(self):
        with self.assertRaises(lectures.LectureError):
            lectures.blank_answers("quiz(1, a, 1, \"x\"); // ANSWER", "t")

    def test_comment_mentioning_the_marker_is_left_alone(self):
        out, n = lectures.blank_answers("// a line ending in // ANSWER is blanked", "t")
        self.assertEqual(n, 0)


class Lint(unittest.TestCase):
    def nb(self, *cells):
        nb = nbformat.v4.new_notebook()
        nb.cells = list(cells)
        return nb

    def test_long_cell_fails_unless_tagged_listing(self):
        long = code("\n".join(f"int x{i} = {i};" for i in range(26)))
        self.assertTrue(any("26 lines" in p for p in lectures.lint(self.nb(long), "03-x.ipynb")))
        long.metadata["tags"] = ["listing"]
        self.assertEqual(lectures.lint(self.nb(long), "03-x.ipynb"), [])

    def test_test_profile_names_are_refused(self):
        for src in ('int n = sized(2, 20);', 'if (profile().equals("ci")) {}', 'System.getenv("THREADLAB_PROFILE")'):
            self.assertTrue(lectures.lint(self.nb(code(src)), "04-x.ipynb"), src)
        self.assertEqual(lectures.lint(self.nb(code("long n = scaled(20);")), "04-x.ipynb"), [])


class SelfCheckVerdicts(unittest.TestCase):
    def nb(self, *outputs):
        nb = nbformat.v4.new_notebook()
        nb.cells = [code("quiz(..)", outputs)]
        return nb

    def test_instructor_copy_passes_only_when_every_question_is_right(self):
        path = os.path.join("x", "notebooks", "01-a.ipynb")
        self.assertEqual(run_notebooks.self_check_problems(self.nb("question 1: right. why\nquestion 2: right. why\n"), path), [])
        self.assertTrue(run_notebooks.self_check_problems(self.nb("question 1: right. w\nquestion 2: not quite: x\n"), path))
        self.assertTrue(run_notebooks.self_check_problems(self.nb("no questions here\n"), path))

    def test_pending_lecture_needs_no_quiz_lines_but_a_wrong_one_still_fails(self):
        path = os.path.join("x", "notebooks", "09-a.ipynb")
        # no lecture is pending now (09-14 were converted); the rule is kept for the next rewrite
        with unittest.mock.patch.object(run_notebooks, "PENDING", {"09"}):
            self.assertEqual(run_notebooks.self_check_problems(self.nb("✓ an older check\n"), path), [])
            self.assertTrue(run_notebooks.self_check_problems(self.nb("question 1: not quite: x\n"), path))
        self.assertTrue(run_notebooks.self_check_problems(self.nb("✓ an older check\n"), path))

    def test_student_copy_must_say_not_answered_and_reveal_nothing(self):
        path = os.path.join("x", "lectures", "01-a.ipynb")
        ok = self.nb("question 1: not answered yet (replace null)\n", "your prediction: not answered yet\n")
        self.assertEqual(run_notebooks.self_check_problems(ok, path), [])
        self.assertTrue(run_notebooks.self_check_problems(self.nb("question 1: right. why\n"), path))
        self.assertTrue(run_notebooks.self_check_problems(self.nb("nothing\n"), path))


class KernelStart(unittest.TestCase):
    """A kernel that dies before its first reply (Jupyter's port race) is started again once, and said so."""

    def fake_client(self, failures, error=RuntimeError("Kernel died before replying to kernel_info")):
        calls = []

        class Client:
            def __init__(self, nb, **kwargs):
                self.nb = nb

            def execute(self, env=None):
                calls.append(1)
                if len(calls) <= failures:
                    raise error
                self.nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="ran\n")]
        return Client, calls

    def notebook(self):
        import tempfile
        d = tempfile.mkdtemp()
        os.makedirs(os.path.join(d, "notebooks"))
        path = os.path.join(d, "notebooks", "01-a.ipynb")
        nb = nbformat.v4.new_notebook()
        nb.cells = [code("1 + 1")]
        nbformat.write(nb, path)
        return path

    def problems(self, failures, **kw):
        client, calls = self.fake_client(failures, **kw)
        with unittest.mock.patch.object(run_notebooks, "NotebookClient", client), \
                unittest.mock.patch("builtins.print") as said:
            _, problems = run_notebooks.run(self.notebook(), write=False)
        return [p for p in problems if not p.startswith("no self-check")], len(calls), " ".join(str(c) for c in said.call_args_list)

    def test_a_kernel_that_dies_before_its_first_reply_is_started_again_once(self):
        problems, calls, said = self.problems(1)
        self.assertEqual(([], 2), (problems, calls))
        self.assertIn("starting it again on new ports", said)

    def test_a_kernel_that_dies_twice_is_a_failure(self):
        problems, calls, _ = self.problems(2)
        self.assertEqual(2, calls)
        self.assertEqual(1, len(problems))
        self.assertTrue(problems[0].startswith("the kernel did not start"), problems)

    def test_another_error_fails_that_notebook_only_and_is_not_retried(self):
        problems, calls, _ = self.problems(1, error=OSError("no such kernel"))
        self.assertEqual(1, calls)
        self.assertTrue(problems[0].startswith("running it failed: OSError"), problems)


class Repository(unittest.TestCase):
    def test_every_lecture_source_follows_the_rules(self):
        folder = os.path.join(lectures.ROOT, "notebooks")
        for name in sorted(os.listdir(folder)):
            if lectures.LESSON.match(name):
                with self.subTest(name):
                    self.assertEqual(lectures.lint(nbformat.read(os.path.join(folder, name), as_version=4), name), [])



class CurriculumMap(unittest.TestCase):
    """nav.py copies the README's curriculum map into the index, linking only what exists."""

    def repo(self, rows):
        import shutil
        import tempfile
        root = tempfile.mkdtemp(prefix="threadlab-nav-test-")
        self.addCleanup(shutil.rmtree, root, True)
        for d in ("notebooks", "exercises"):
            os.makedirs(os.path.join(root, d))
        with open(os.path.join(root, "README.md"), "w", encoding="utf-8") as f:
            f.write("# x\n\n## Curriculum map\n\n| concept | what it is | lectures | exercises |\n| --- | --- | --- | --- |\n"
                    + "".join(r + "\n" for r in rows) + "\n## Next section\n\n| C99 | not a map row | `01-a` | |\n")
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 01 · A lecture"), code("1")])
        nbformat.write(nb, os.path.join(root, "notebooks", "01-a.ipynb"))
        nbformat.write(nbformat.v4.new_notebook(), os.path.join(root, "exercises", "e01-a.ipynb"))
        return root

    def index_text(self, root):
        nb = nbformat.read(os.path.join(root, "notebooks", "index.ipynb"), as_version=4)
        return nb.cells[0].source

    def test_rows_are_copied_with_links_to_what_exists_and_names_for_the_rest(self):
        import nav
        root = self.repo(["| C40 | a concept with `code` | `01-a`, `02-b` | `e01-a`, `e02-b` |",
                          "| C41 | taught later | `03-c` | |"])
        self.assertEqual(nav.main([os.path.join(root, "notebooks")]), 0)
        text = self.index_text(root)
        self.assertIn("| C40 · a concept with `code` | [01 · A lecture](01-a.ipynb); also `02-b` | "
                      "[e01-a](../exercises/e01-a.ipynb), `e02-b` |", text)
        self.assertIn("| C41 · taught later | `03-c` | - |", text)
        self.assertNotIn("C99", text)
        self.assertEqual(nav.main(["--check", os.path.join(root, "notebooks")]), 0)

    def test_a_changed_map_makes_the_index_stale(self):
        import nav
        root = self.repo(["| C40 | a concept | `01-a` | `e01-a` |"])
        nav.main([os.path.join(root, "notebooks")])
        readme = os.path.join(root, "README.md")
        with open(readme, encoding="utf-8") as f:
            text = f.read().replace("| C40 | a concept |", "| C40 | a concept, renamed |")
        with open(readme, "w", encoding="utf-8") as f:
            f.write(text)
        self.assertEqual(nav.main(["--check", os.path.join(root, "notebooks")]), 1)

    def test_a_malformed_row_is_named_with_its_line_and_the_fix(self):
        import nav
        root = self.repo(["| C40 | a | b | `01-a` | `e01-a` |", "| C41 | no lecture | 01-a | |"])
        with self.assertRaises(nav.MapError) as e:
            nav.concept_rows(os.path.join(root, "README.md"))
        self.assertIn("line 7 (C40): 5 columns, not 4", str(e.exception))
        root = self.repo(["| C41 | no lecture | 01-a | |"])
        with self.assertRaises(nav.MapError) as e:
            nav.concept_rows(os.path.join(root, "README.md"))
        self.assertIn("no lecture named", str(e.exception))
        self.assertEqual(nav.main([os.path.join(root, "notebooks")]), 2)

    def test_the_repository_map_names_every_concept_beyond_the_seeds_once(self):
        import nav
        rows = nav.concept_rows(os.path.join(lectures.ROOT, "README.md"))
        self.assertEqual([r[0] for r in rows], [f"C{n}" for n in range(28, 35)])
        for cid, _, taught, graded in rows:
            self.assertTrue(graded, cid + " names no exercise")

if __name__ == "__main__":
    unittest.main()
