"""The ``lunge-screen`` command. Thin: parses arguments, calls the API, sets exit codes.

Exit codes are listed in :mod:`lunge_screen.errors` (0 success, 2 usage, 3-11 user errors).
``parser`` holds the arguments, ``commands`` the subcommands.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from ..errors import LungeScreenError
from .commands import (
    cmd_analyse,
    cmd_app,
    cmd_batch,
    cmd_compare,
    cmd_config,
    cmd_landmarks,
    cmd_models,
    cmd_report,
    cmd_samples,
    settings_from_args,
)
from .parser import build_parser, parse_args

__all__ = ["COMMANDS", "build_parser", "main", "settings_from_args"]


COMMANDS = {
    "analyse": cmd_analyse,
    "analyze": cmd_analyse,
    "landmarks": cmd_landmarks,
    "report": cmd_report,
    "batch": cmd_batch,
    "compare": cmd_compare,
    "app": cmd_app,
    "config": cmd_config,
    "models": cmd_models,
    "samples": cmd_samples,
}


def _exit_now(code: int) -> None:
    """End the program without the interpreter's teardown, which MediaPipe makes take ~0.3 s.

    Only for the command-line program (``main()`` without ``argv``), after every
    output file is closed, and only when no other thread runs: stops the helper
    processes, flushes stdout/stderr, runs the ``atexit`` handlers, then
    ``os._exit`` (what mypy does for the same reason). ``LUNGE_SCREEN_SLOW_EXIT=1``
    turns it off.
    """
    import atexit
    import contextlib
    import threading

    parallel = sys.modules.get("lunge_screen.pose.parallel")
    if parallel is not None:
        parallel.shutdown_workers(kill=True)
    if threading.active_count() > 1:  # someone's thread still runs: let Python wait for it as usual
        return
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    atexit._run_exitfuncs()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    code = _main(argv)
    if argv is None and os.environ.get("LUNGE_SCREEN_SLOW_EXIT") is None:
        _exit_now(code)
    return code


def _main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except LungeScreenError as exc:
        print(f"lunge-screen: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("lunge-screen: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `lunge-screen samples list | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
