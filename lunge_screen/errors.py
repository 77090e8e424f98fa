"""Errors a user can cause, each with its own process exit code.

The CLI prints ``str(error)`` on one line and exits with ``error.exit_code``;
no traceback is shown for these. Anything else is a bug and keeps its traceback.

Exit codes (stable, part of the CLI contract):

====  ==========================  ==================================================
code  exception                   meaning
====  ==========================  ==================================================
0     --                          success
1     --                          unexpected internal error (a bug; traceback shown)
2     --                          bad command-line usage (argparse)
3     InputNotFoundError          input path does not exist / is not a file
4     NotAVideoError              file is not a video, or has no video stream
5     CorruptVideoError           the video stream cannot be decoded (truncated, damaged)
6     EmptyVideoError             the video decodes to zero frames (in the chosen window)
7     ModelError                  the pose model is missing, unreadable or fails its checksum
8     ModelDownloadError          the model could not be downloaded (offline)
9     SeriesFileError             a landmark/session file is unreadable or of the wrong schema
10    OutputError                 the output folder cannot be written
11    BatchFailuresError          a batch finished but at least one input failed
12    AppStartError               the app cannot start: port taken, data folder or its index unusable
====  ==========================  ==================================================
"""

from __future__ import annotations


class LungeScreenError(Exception):
    """Base class of every error a user can cause. ``exit_code`` is the CLI's."""

    exit_code = 1


class InputNotFoundError(LungeScreenError):
    exit_code = 3


class NotAVideoError(LungeScreenError):
    exit_code = 4


class CorruptVideoError(LungeScreenError):
    exit_code = 5


class EmptyVideoError(LungeScreenError):
    exit_code = 6


class ModelError(LungeScreenError):
    exit_code = 7


class ModelDownloadError(ModelError):
    exit_code = 8


class SeriesFileError(LungeScreenError):
    exit_code = 9


class OutputError(LungeScreenError):
    exit_code = 10


class BatchFailuresError(LungeScreenError):
    exit_code = 11


class AppStartError(LungeScreenError):
    exit_code = 12


EXIT_CODES: dict[str, int] = {
    cls.__name__: cls.exit_code
    for cls in (
        InputNotFoundError,
        NotAVideoError,
        CorruptVideoError,
        EmptyVideoError,
        ModelError,
        ModelDownloadError,
        SeriesFileError,
        OutputError,
        BatchFailuresError,
        AppStartError,
    )
}
