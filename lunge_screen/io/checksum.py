"""The package's one file hash: sha256 of a file, read in 1 MiB chunks (memoised by path, size and mtime)."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=64)
def _sha256_cached(path: str, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sha256_file(path: str | os.PathLike) -> str:
    """Hex sha256 of a file (memoised per path, size and modification time, so a changed file is re-read)."""
    path = Path(path)
    st = path.stat()
    return _sha256_cached(str(path), st.st_size, st.st_mtime_ns)
