"""Collect tests the way Odoo 18's own runner does (odoo/tests/loader.py).

pytest would also run every test class a test module imports (helpdesk_mgmt's
test_js.py drags web's WebSuite in) and every inherited test method (an inherited
``test_hoot`` waits 30 minutes). Odoo runs only the classes defined in the test
module itself and only the methods in the class's own ``__dict__`` (unless the
class sets ``allow_inherited_tests_method``). A skipped test fails the session:
without ``websocket-client`` or Chromium Odoo skips every browser test silently.
"""

import unittest

import pytest


def _collected_by_odoo(item):
    cls = getattr(item, "cls", None)
    if cls is None or not issubclass(cls, unittest.TestCase):
        return True
    module = getattr(item, "module", None)
    if module is not None and cls.__module__ != module.__name__:
        return False
    if getattr(cls, "allow_inherited_tests_method", False):
        return True
    return item.originalname in cls.__dict__


def pytest_collection_modifyitems(session, config, items):
    kept, dropped = [], []
    for item in items:
        (kept if _collected_by_odoo(item) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and session.exitstatus == 0:
        reporter.write_line(
            f"{len(skipped)} test(s) skipped: a skipped test counts as a failure here "
            "(is websocket-client installed, is chromium on the PATH?)",
            red=True,
        )
        session.exitstatus = 1
