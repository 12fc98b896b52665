"""PDF loading: a real (hand-built) PDF file, paragraphs rebuilt from its lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import Bot, IngestError
from bot.load import read_text


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF showing ``lines`` in Helvetica, written by hand (no PDF library)."""
    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 11 Tf", "14 TL", "50 780 Td"]
    for line in lines:
        ops.append(f"({escape(line)}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


LINES = [
    "The lighthouse keepers of Vardo met in the harbour hall on a",
    "cold Tuesday and agreed to repaint the northern tower in red and",
    "white stripes before the winter storms.",
    "The paint will be delivered by the ferry Nordlys in late Septem-",
    "ber, and the work is expected to take eleven days.",
]


def test_pdf_lines_become_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "harbour.pdf"
    path.write_bytes(make_pdf(LINES))
    text = read_text(path)
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("The lighthouse keepers") and paragraphs[0].endswith("winter storms.")
    assert "late September, and the work" in paragraphs[1]  # hyphenation across lines repaired


def test_a_pdf_is_ingested_and_answers(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "harbour.pdf").write_bytes(make_pdf(LINES))
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    with Bot.from_env(data_dir=tmp_path / "store") as bot:
        report = bot.ingest([docs])
        assert [s.source for s in bot.sources()] == ["harbour.pdf"]
        assert report.errors and "broken.pdf" in report.errors[0][1]
        a = bot.ask("How many days will the repainting take?")
        assert a.answered and "eleven days" in a.answer
        assert (a.citations[0].source, a.citations[0].paragraph) == ("harbour.pdf", 2)


def test_a_pdf_without_text_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf([]))
    with pytest.raises(IngestError, match="no extractable text"):
        read_text(path)
