"""DOCX → PDF through LibreOffice, so that the PDF is the very document the DOCX is.

LibreOffice (``soffice --headless --convert-to pdf``) lays out the generated Word document
itself: one template serves both formats, and an administrator's replacement template comes
out in PDF exactly as in Word. (WeasyPrint would need a second, HTML, copy of every layout and
could not follow a replaced .docx.) Each conversion runs in its own temporary folder with a
private LibreOffice profile, so parallel conversions and a user's own running LibreOffice do
not block each other; Times New Roman is substituted by the metric-compatible Liberation Serif
where it is not installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 120


class PdfConversionError(RuntimeError):
    """The PDF could not be made; the message is for the user, in Russian."""


def soffice_path() -> str | None:
    return os.environ.get("SOFFICE_PATH") or shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes, *, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The PDF of the DOCX ``data``. Raises :class:`PdfConversionError` with a message in
    Russian when LibreOffice is missing, too slow, or fails."""
    soffice = soffice_path()
    if soffice is None:
        raise PdfConversionError(
            "Не удалось сформировать PDF: на сервере не установлен LibreOffice (soffice). "
            "Скачайте документ в формате DOCX."
        )
    with tempfile.TemporaryDirectory(prefix="koordinator-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "document.docx"
        source.write_bytes(data)
        profile = (folder / "profile").as_uri()
        try:
            result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
                [
                    soffice,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(folder),
                    str(source),
                ],
                capture_output=True,
                timeout=timeout,
                check=False,
                cwd=folder,
            )
        except subprocess.TimeoutExpired:
            raise PdfConversionError(
                f"Не удалось сформировать PDF: LibreOffice не ответил за {int(timeout)} с. "
                "Попробуйте ещё раз или скачайте документ в формате DOCX."
            ) from None
        except OSError as exc:
            raise PdfConversionError(
                f"Не удалось сформировать PDF: LibreOffice не запустился ({exc.strerror})."
            ) from None
        target = folder / "document.pdf"
        if result.returncode != 0 or not target.is_file():
            detail = (result.stderr or result.stdout).decode(errors="replace").strip()[-300:]
            raise PdfConversionError(
                "Не удалось сформировать PDF: LibreOffice завершился с ошибкой"
                + (f" ({detail})" if detail else "")
                + "."
            )
        return target.read_bytes()
