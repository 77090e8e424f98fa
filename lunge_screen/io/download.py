"""The package's one download: a file from an address into a cache folder, kept only if its sha256 matches.

Done by ``pooch`` (what scikit-image and SciPy use for their data files): it streams
into a temporary file in the target folder, checks the sha256 and only then renames
it into place, so a failed, interrupted or refused download leaves nothing behind;
it shows a ``tqdm`` progress bar. Every failure becomes :class:`ModelDownloadError`
(exit code 8) with a message that says what to do offline.

``LUNGE_SCREEN_DOWNLOAD_URL`` replaces every recorded address by
``<that URL>/<file name>`` (a mirror, or a local server in tests); the sha256 check
is the same. Models (:mod:`.models`) and sample clips (:mod:`.samples`) are the only
files ever downloaded, and only when asked for.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from ..errors import ModelDownloadError
from ..progress import progress_bar

ENV_DOWNLOAD_URL = "LUNGE_SCREEN_DOWNLOAD_URL"


def address(url: str, filename: str) -> str:
    """Where ``filename`` is downloaded from: ``url``, or ``$LUNGE_SCREEN_DOWNLOAD_URL/filename`` when set."""
    base = os.environ.get(ENV_DOWNLOAD_URL, "").strip()
    return f"{base.rstrip('/')}/{filename}" if base else url


def fetch(url: str, sha256: str, folder: Path, filename: str, *, progress: bool = True, timeout: float = 60.0) -> Path:
    """Download ``filename`` into ``folder`` (see the module docstring) and return its path.

    Raises
    ------
    ModelDownloadError
        The folder cannot be created, the address cannot be reached, or the bytes
        do not match ``sha256`` (then nothing is kept).
    """
    import pooch
    import requests

    url = address(url, filename)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelDownloadError(f"cannot create the download folder {folder} ({exc.strerror})") from None
    if progress:  # every network access is said, also in logs where the bar is silent
        print(f"downloading {filename} from {url} (kept only if its sha256 is {sha256[:12]}...)", file=sys.stderr)
    # total=1 until pooch sets the real size (pooch tests the bar's truth value, which tqdm ties to its total).
    bar = progress_bar(f"downloading {filename}", unit="B", total=1, enabled=None if progress else False)
    downloader = pooch.HTTPDownloader(progressbar=bar, timeout=timeout)
    pooch.get_logger().setLevel(logging.WARNING)  # we say what is downloaded, and only on a terminal
    try:
        path = pooch.retrieve(url, known_hash=f"sha256:{sha256}", fname=filename, path=folder, downloader=downloader)
    except requests.RequestException as exc:
        raise ModelDownloadError(f"could not download {filename} from {url} ({_reason(exc)})") from None
    except ValueError as exc:  # pooch: the hash does not match
        raise ModelDownloadError(f"downloaded {filename} from {url} refused: {exc}") from None
    except OSError as exc:
        raise ModelDownloadError(f"could not save {filename} in {folder} ({exc.strerror or exc})") from None
    finally:
        bar.close()
    return Path(path)


def _reason(exc: Exception) -> str:
    """A short reason for a failed request: the HTTP status, or why no connection was made."""
    import requests

    response = getattr(exc, "response", None)
    if response is not None:
        return f"HTTP {response.status_code} {response.reason}"
    if isinstance(exc, requests.ConnectionError):
        return "no connection: offline, or the host cannot be reached"
    if isinstance(exc, requests.Timeout):
        return "timed out"
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]
