"""The assignment engine of ITIMS.

Pure scoring first (no ORM): the demo history planner and the benchmarks reuse it, so
that what they simulate is what the engine decides.
"""

METHODS = ("manual", "round_robin", "least_loaded", "balanced")


def assignment_key(method, load, week_count, serial, user_id):
    """Sort key of a candidate technician under ``method``: the lowest key wins.

    ``load`` is the technician's In Progress tickets, ``week_count`` the tickets
    assigned to them since the start of the ISO week, ``serial`` the rotation order
    of their last assignment (0: never assigned) and ``user_id`` the last tie-break.
    Round robin serves the oldest last assignment; least loaded the fewest active
    tickets; balanced the lowest sum of both counts (fair now and over the week).
    """
    seniority = (serial or 0, user_id)
    if method == "round_robin":
        return seniority
    if method == "least_loaded":
        return (load, *seniority)
    return (load + week_count, *seniority)
