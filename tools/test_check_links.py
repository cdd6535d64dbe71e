"""The link checker finds what a reader would hit as a 404, and only that."""
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import check_links  # noqa: E402


def notebook(path, *markdown):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    cells = [{"cell_type": "markdown", "metadata": {}, "source": m} for m in markdown]
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, f)


class LinkCheckerTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = self.tmp.name
        notebook(os.path.join(self.root, "exercises", "e09-bank-account.ipynb"), "# Bank account\n")

    def tearDown(self):
        self.tmp.cleanup()

    def broken(self):
        return check_links.check(self.root)[2]

    def testRenamedExerciseIsReportedWithTheNewName(self):
        notebook(os.path.join(self.root, "lectures", "01-x.ipynb"), "Try [the exercise](../exercises/e1-bank-account.ipynb).")
        broken = self.broken()
        self.assertEqual(1, len(broken), broken)
        self.assertIn("lectures/01-x.ipynb (cell 0)", broken[0])
        self.assertIn("exercises/e1-bank-account.ipynb does not exist", broken[0])
        self.assertIn("did you mean exercises/e09-bank-account.ipynb", broken[0])

    def testWorkingLinksHeadingsAndCodeSpansPass(self):
        notebook(os.path.join(self.root, "lectures", "01-x.ipynb"),
                 "# Start here\n[ex](../exercises/e09-bank-account.ipynb) [top](#Start-here) "
                 "[web](https://example.org/a) `[not a link](nowhere.ipynb)`\n```\n[nor](this.ipynb)\n```")
        self.assertEqual([], self.broken())

    def testMissingHeadingAndLinksOutsideTheServedRootFail(self):
        notebook(os.path.join(self.root, "notebooks", "02-y.ipynb"),
                 "[a](../exercises/e09-bank-account.ipynb#No-such-part) [b](../../etc/passwd) [c](/notebooks/02-y.ipynb)")
        broken = self.broken()
        self.assertEqual(3, len(broken), broken)
        self.assertIn("no heading '#No-such-part'", broken[0])
        self.assertIn("outside the repository", broken[1])
        self.assertIn("absolute link", broken[2])

    def testReadmePicturesAreChecked(self):
        with open(os.path.join(self.root, "README.md"), "w") as f:
            f.write("![chart](docs/img/chart.png)\n")
        self.assertEqual(1, len(self.broken()))
        os.makedirs(os.path.join(self.root, "docs", "img"))
        open(os.path.join(self.root, "docs", "img", "chart.png"), "wb").close()
        self.assertEqual([], self.broken())


if __name__ == "__main__":
    unittest.main()
