"""Keep the service's files private: the data folder 0700, its files 0600 (raw mail, PDFs, keys live there)."""

import os
import stat
from pathlib import Path

# Files created from now on by this process (and its children: redis-server, LibreOffice) get no group or
# other bits, whatever umask the shell that started it had.
PRIVATE_UMASK = 0o077
# Files earlier versions (or the quick start) made under a looser umask; tightened where found.
_KNOWN_FILES = ("dunning.db", "dunning.db-wal", "dunning.db-shm", "demo-api-key", "demo-ingest-address")


def make_files_private(data_dir: Path | None = None) -> None:
    """Set the process umask to 0o077; make `data_dir` 0700 and the database and key files in it 0600.

    Called first thing by every `dunning` command. Only tightens: it never widens a mode somebody set.
    """
    os.umask(PRIVATE_UMASK)
    if data_dir is None or not data_dir.is_dir():
        return
    _tighten(data_dir, 0o700)
    for name in _KNOWN_FILES:
        path = data_dir / name
        if path.is_file() and not path.is_symlink():
            _tighten(path, 0o600)


def _tighten(path: Path, ceiling: int) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & ~ceiling:
        path.chmod(mode & ceiling)
