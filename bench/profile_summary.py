"""Where the time goes in a py-spy profile of `make bench` (BENCH_PROFILE=1).

    python bench/profile_summary.py .cache/log/bench/profile-intake.txt intake_submit

Reads py-spy's raw output (collapsed stacks, wall-clock samples: time waiting for
PostgreSQL counts, under ``Cursor.execute``), keeps the samples whose stack holds the
given function (the route), and prints the share of those samples each function is on
the stack of (inclusive) and at the top of (self).
"""

import sys
from collections import Counter


def frame_key(frame):
    name, _sep, where = frame.partition(" (")
    return f"{name} ({where.rsplit('/', 1)[-1].split(':')[0]})" if where else name


def main():
    path, route = sys.argv[1], sys.argv[2]
    inclusive, own, total = Counter(), Counter(), 0
    with open(path) as handle:
        for line in handle:
            stack, _sep, count = line.rstrip().rpartition(" ")
            frames = [f for f in stack.split(";") if not f.startswith("process ")]
            if not count.isdigit() or not any(route in f for f in frames):
                continue
            total += int(count)
            for key in {frame_key(f) for f in frames}:
                inclusive[key] += int(count)
            own[frame_key(frames[-1])] += int(count)
    print(f"{total} samples in {route}")
    for title, counter, limit in (("inclusive", inclusive, 40), ("self", own, 15)):
        print(f"--- {title}")
        for key, count in counter.most_common(limit):
            print(f"{100 * count / total:5.1f}%  {key}")


if __name__ == "__main__":
    main()
