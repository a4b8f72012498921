import importlib.util
import logging
import time
from pathlib import Path

from odoo.tests import TransactionCase, tagged

# the simulation is a benchmark of the repository (bench/), shared with
# bench/assignment_fairness.py
_SPEC = importlib.util.spec_from_file_location(
    "itims_assignment_simulation",
    Path(__file__).resolve().parents[2] / "bench" / "assignment_simulation.py",
)
simulation = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(simulation)
METHODS, format_result, run_simulation = (
    simulation.METHODS,
    simulation.format_result,
    simulation.run_simulation,
)

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestAssignmentSimulation(TransactionCase):
    """Four weeks of a five-technician desk (cap 8, arrivals at 60 % of capacity)
    run through the real engine for every method; see bench/assignment_simulation.py."""

    def test_caps_hold_and_balanced_is_fair(self):
        started = time.monotonic()
        results = {method: run_simulation(self.env, method) for method in METHODS}
        _logger.info(
            "Assignment fairness (seed 2026, %.0f s):\n%s",
            time.monotonic() - started,
            "\n".join(format_result(result) for result in results.values()),
        )
        for method, result in results.items():
            with self.subTest(method=method):
                self.assertGreater(result["tickets"], 200)
                self.assertGreaterEqual(result["assigned"], result["tickets"] - 10)
                self.assertLessEqual(result["max_load"], result["cap"])
        self.assertEqual(
            max(result["max_load"] for result in results.values()), 8, "the cap was reached"
        )
        balanced = results["balanced"]
        self.assertLessEqual(balanced["weekly_std"], 1.2)
        self.assertLessEqual(balanced["load_std"], 1.0)
        # the trade-off of the two simple methods, which balanced settles
        rr, ll = results["round_robin"], results["least_loaded"]
        self.assertLess(rr["weekly_std"], balanced["weekly_std"])
        self.assertLess(balanced["weekly_std"], ll["weekly_std"])
        self.assertLess(ll["load_std"], balanced["load_std"])
        self.assertLess(balanced["load_std"], rr["load_std"])

    def test_caps_hold_when_the_desk_is_saturated(self):
        # 24 tickets in progress on average for 5 x 5 = 25 places: queues form
        result = run_simulation(self.env, "balanced", cap=5, weeks=1)
        self.assertEqual(result["max_load"], 5)
        self.assertGreater(result["mean_wait_hours"], 0)
