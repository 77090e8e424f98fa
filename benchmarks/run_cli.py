"""``lunge-screen ARGS...`` with timers around its stages: the program the benchmark times.

Runs :func:`lunge_screen.cli.main` in this process exactly as the console script
does (same imports, same defaults, same fast exit), with wrappers that time pose
extraction (and its per-stage timings), the analysis and the outputs. Prints one
``BENCH-JSON {...}`` line before exiting::

    .venv/bin/python -m benchmarks.run_cli analyse VIDEO -o OUT --quiet
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402


def _timed(record: dict, key: str, fn, with_timings: bool = False):
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        if with_timings:
            kwargs["timings"] = record.setdefault("extract", {})
        try:
            return fn(*args, **kwargs)
        finally:
            record[key] = record.get(key, 0.0) + time.perf_counter() - t

    return wrapper


def main(argv: list[str]) -> int:
    from lunge_screen import api, cli
    from lunge_screen.pose import extract as pose
    from lunge_screen.pose import parallel

    record: dict = {"import_s": time.perf_counter() - T0}
    pose.extract_landmarks = _timed(record, "extract_s", pose.extract_landmarks, with_timings=True)
    api.analyse_series = _timed(record, "analysis_s", api.analyse_series)
    api.write = _timed(record, "outputs_s", api.write)
    code = cli.main(argv)
    record["main_s"] = time.perf_counter() - T0
    parallel.shutdown_workers(kill=True)  # reap the helpers so their peak memory is counted below
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    record.update(
        exit_code=code,
        peak_rss_mb=me.ru_maxrss / 1024,
        helper_peak_rss_mb=children.ru_maxrss / 1024,
        cpu_s=me.ru_utime + me.ru_stime,
        helper_cpu_s=children.ru_utime + children.ru_stime,
        loadavg=list(os.getloadavg()),
    )
    print("BENCH-JSON " + json.dumps(record, default=str), flush=True)
    cli._exit_now(code)  # the console script's exit (skips MediaPipe's slow teardown)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
