"""The test runner's own rules (conftest.py), checked on a throw-away test tree."""

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run_pytest(tmp_path, source):
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "helper.py").write_text(
        "import unittest\n\n\nclass TestHelper(unittest.TestCase):\n"
        "    def test_helper(self):\n        pass\n"
    )
    (tmp_path / "test_sample.py").write_text(textwrap.dedent(source))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:odoo"]
        + ["-rs", "-q", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_skipped_test_fails_the_run(tmp_path):
    result = _run_pytest(
        tmp_path,
        """
        import unittest

        class TestBrowser(unittest.TestCase):
            def test_ok(self):
                pass

            @unittest.skip("no browser")
            def test_tour(self):
                pass
        """,
    )
    assert result.returncode == 1, result.stdout
    assert "1 passed, 1 skipped" in result.stdout
    assert "counts as a failure" in result.stdout


def test_collects_like_odoo_loader(tmp_path):
    """Only classes defined in the module, only methods of the class itself."""
    result = _run_pytest(
        tmp_path,
        """
        import unittest

        from helper import TestHelper  # noqa: F401 - a test class imported, not defined

        class Base(unittest.TestCase):
            def test_inherited(self):
                pass

        class TestOwn(Base):
            def test_own(self):
                pass
        """,
    )
    assert result.returncode == 0, result.stdout
    # run: Base.test_inherited, TestOwn.test_own; not run: TestOwn.test_inherited
    # (inherited) and TestHelper.test_helper (imported)
    assert "2 passed, 2 deselected" in result.stdout, result.stdout
