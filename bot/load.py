"""Paths -> documents: find supported files, decode them and extract their text.

Supported: ``.txt``, ``.md``/``.markdown``, ``.html``/``.htm``, ``.pdf`` (text PDFs, via
pypdf; paragraphs are rebuilt from line lengths). Text is decoded as
UTF-8 (a BOM is allowed) with a Windows-1252 fallback; files that look binary are
refused. Line endings are normalised to ``\\n``; chunk offsets refer to that text.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.errors import IngestError
from bot.html_text import html_to_text

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".rst"}
HTML_SUFFIXES = {".html", ".htm"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES
#: Files larger than this are refused: they are almost never prose meant for Q&A.
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class FoundFile:
    """A file to ingest and the name it gets in the index."""

    path: Path
    source: str


def find_files(paths: list[str | Path]) -> tuple[list[FoundFile], list[tuple[str, str]], list[str]]:
    """Expand files and folders into supported files; return (files, errors, skipped).

    A folder is searched recursively (hidden entries skipped) and its files are named
    by their path relative to it; a file given directly is named by its file name. A
    folder's ``README.md`` is taken to describe the folder (as ``seeds/README.md`` does)
    and is returned in ``skipped``; naming it directly ingests it.
    """
    found: list[FoundFile] = []
    errors: list[tuple[str, str]] = []
    skipped: list[str] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            errors.append((str(raw), f"{raw}: no such file or folder; check the path"))
        elif path.is_dir():
            for file in sorted(_walk(path)):
                if file.name.lower() == "readme.md":
                    skipped.append(str(file))
                else:
                    found.append(FoundFile(file, file.relative_to(path).as_posix()))
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            errors.append((str(raw), f"{raw}: unsupported file type {path.suffix or '(none)'}; "
                           f"supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}"))
        else:
            found.append(FoundFile(path, path.name))
    return found, errors, skipped


def _walk(folder: Path) -> Iterator[Path]:
    for entry in folder.iterdir():
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry)
        elif entry.suffix.lower() in SUPPORTED_SUFFIXES:
            yield entry


def read_text(path: Path) -> str:
    """Read a file as text, refusing binary or undecodable content with a clear error."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IngestError(
                f"{path}: file is {size // (1024 * 1024)} MB, over the {MAX_FILE_BYTES // (1024 * 1024)} MB "
                "limit; split it into smaller files", str(path))
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{path}: cannot be read ({exc.strerror}); check its permissions", str(path)) from None
    if path.suffix.lower() in HTML_SUFFIXES:
        return html_to_text(_decode(data, path))
    if path.suffix.lower() in PDF_SUFFIXES:
        return pdf_to_text(data, path)
    return _decode(data, path)


def _decode(data: bytes, path: Path) -> str:
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(f"{path}: looks like a binary file, not text; convert it to .txt or .md first", str(path))
    text: str | None = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if text is None:
        raise IngestError(f"{path}: is neither UTF-8 nor Windows-1252 text; re-save it as UTF-8", str(path))
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.01 * max(1, min(len(text), 8192)):
        raise IngestError(f"{path}: contains control characters, probably binary; convert it to text first", str(path))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pdf_to_text(data: bytes, path: Path) -> str:
    """Text of a PDF, one paragraph per block, rebuilt from where its lines sit on the
    page (``bot.pdf_text``)."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from bot.pdf_text import page_lines, paragraphs

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise IngestError(f"{path}: the PDF is encrypted; save an unprotected copy first", str(path))
        laid_out = [page_lines(page) for page in reader.pages]
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise IngestError(f"{path}: is not a readable PDF ({exc}); re-export it or convert it to text",
                          str(path)) from None
    found = paragraphs(laid_out)
    if not found:
        raise IngestError(f"{path}: the PDF has no extractable text (a scan?); run OCR on it first", str(path))
    return "\n\n".join(found) + "\n"
