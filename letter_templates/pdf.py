"""DOCX to PDF with LibreOffice headless (cold start per call; a warm unoserver pool can replace it later)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol


class PdfUnavailable(Exception):
    """LibreOffice is not installed; letters can still go out with the DOCX attached."""


class PdfConversionError(Exception):
    """LibreOffice ran but produced no PDF; `reason` says what it reported."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Converter(Protocol):
    """What the worker needs; the warm unoserver pool (issue 7) will implement the same two methods."""

    def available(self) -> bool: ...

    def convert(self, docx: bytes) -> bytes: ...


class PdfConverter:
    """Cold `soffice --convert-to pdf` with its own profile directory (two soffice processes cannot share one)."""

    def __init__(self, profile_dir: str | Path, timeout: float = 120.0, executable: str = "soffice") -> None:
        self.profile_dir = Path(profile_dir).resolve()
        self.timeout = timeout
        self.executable = executable
        # One conversion at a time per profile; run several converters (profiles) to convert in parallel.
        self._lock = threading.Lock()

    def available(self) -> bool:
        return shutil.which(self.executable) is not None

    def convert(self, docx: bytes) -> bytes:
        return self.convert_many([docx])[0]

    def convert_many(self, documents: Sequence[bytes]) -> list[bytes]:
        """Convert several letters in one soffice start (about 9 letters/s instead of about 1)."""
        executable = shutil.which(self.executable)
        if executable is None:
            raise PdfUnavailable(
                f"{self.executable} not found: install LibreOffice (Debian: apt-get install "
                "--no-install-recommends libreoffice-writer-nogui fonts-crosextra-carlito)")
        if not documents:
            return []
        with self._lock, tempfile.TemporaryDirectory(prefix="letters-") as tmp:
            work = Path(tmp)
            inputs = []
            for i, data in enumerate(documents):
                path = work / f"letter-{i}.docx"
                path.write_bytes(data)
                inputs.append(path)
            self.profile_dir.mkdir(parents=True, exist_ok=True)
            command = [
                executable, f"-env:UserInstallation={self.profile_dir.as_uri()}", "--headless", "--norestore",
                "--nolockcheck", "--convert-to", "pdf", "--outdir", str(work / "out"), *map(str, inputs),
            ]
            try:
                done = subprocess.run(command, capture_output=True, timeout=self.timeout, check=False)
            except subprocess.TimeoutExpired as exc:
                raise PdfConversionError(f"LibreOffice did not finish within {self.timeout:.0f} s") from exc
            pdfs = []
            for path in inputs:
                pdf = work / "out" / (path.stem + ".pdf")
                if not pdf.exists():
                    output = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
                    raise PdfConversionError(
                        f"LibreOffice made no PDF (exit {done.returncode}): {output or 'no output'}")
                pdfs.append(pdf.read_bytes())
            return pdfs
