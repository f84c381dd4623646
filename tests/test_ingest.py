"""copgraph new-report: a PDF (generated here, a real PDF read by pypdf) or a text becomes a
report folder with the report's words only, its sha256 and the line where each page starts."""

from __future__ import annotations

import hashlib

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from copgraph.cli import main
from copgraph.evidence import load_source
from copgraph.ingest import clean_pages, extract_pdf_text

HEADER = "COP Country Assessment 2024"
PAGES = [
    [HEADER, "1. Background", "The national child protec-", "tion framework was adopted.", "1"],
    [
        HEADER,
        "The Ministry of Digital Affairs and the Secretary-",
        "General met in June 2024.",
        "Page 2",
    ],
    [HEADER, "Their well-being online matters; the well-", "being of children too.", "3"],
]


def make_pdf(path, pages: list[list[str]], title: str | None = None) -> None:
    """A real PDF, one text line per content-stream line, Helvetica (a standard PDF font)."""
    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    for lines in pages:
        page = writer.add_blank_page(width=612, height=792)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 740 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
        ops.append("ET")
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("latin-1"))
        page.replace_contents(stream)
    if title:
        writer.add_metadata({"/Title": title})
    with open(path, "wb") as handle:
        writer.write(handle)


@pytest.fixture
def pdf(tmp_path):
    path = tmp_path / "assessment.pdf"
    make_pdf(path, PAGES, title="Assessment from the PDF's metadata")
    return path


def test_pdf_text_is_extracted_page_by_page(pdf):
    pages = extract_pdf_text(pdf)
    assert len(pages) == 3
    assert "tion framework was adopted." in pages[0]
    assert "Secretary-" in pages[1] and "tion framework" not in pages[1]


def test_running_header_and_page_numbers_go_hyphenation_is_joined(pdf):
    lines = clean_pages(extract_pdf_text(pdf))
    texts = [line.text for line in lines]
    assert HEADER not in texts  # the running header, on every page
    assert not {"1", "Page 2", "3"} & set(texts)  # page numbers
    assert "The national child protection" in texts  # broken word joined
    assert "framework was adopted." in texts
    assert "The Ministry of Digital Affairs and the Secretary-General" in texts  # compound kept
    assert "Their well-being online matters; the well-being" in texts  # written so elsewhere
    assert [line.page for line in lines if line.text == "met in June 2024."] == [2]


def test_a_line_repeated_in_the_middle_of_pages_is_kept():
    pages = [f"Head\na {n}\nb {n}\nThe same sentence.\nc {n}\nd {n}\ne {n}" for n in range(4)]
    texts = [line.text for line in clean_pages(pages)]
    assert texts.count("The same sentence.") == 4  # in the middle of the page: the report's
    assert "Head" not in texts


def test_a_one_page_document_loses_nothing_but_its_page_number():
    texts = [line.text for line in clean_pages(["Title\nOnly page.\n7"])]
    assert texts == ["Title", "Only page."]


def _new_report(root, *args):
    return CliRunner().invoke(main, ["new-report", *args, "--root", str(root)])


def test_new_report_from_pdf_writes_text_manifest_and_pages(pdf, tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    result = _new_report(
        root, "demo-2024", "--source", str(pdf), "--publisher", "ITU", "--date", "2024-06"
    )
    assert result.exit_code == 0, result.output
    folder = root / "data" / "reports" / "demo-2024"
    text = (folder / "report.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    manifest = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    assert manifest["sha256"] == hashlib.sha256((folder / "report.txt").read_bytes()).hexdigest()
    assert manifest["id"] == "report-demo-2024"
    assert manifest["file"] == "report.txt"
    assert manifest["title"] == "Assessment from the PDF's metadata"
    assert (manifest["publisher"], manifest["date"]) == ("ITU", "2024-06")
    # each page's first line, 1-based
    assert [lines[n - 1] for n in manifest["pages"]] == [
        "1. Background",
        "The Ministry of Digital Affairs and the Secretary-General",
        "Their well-being online matters; the well-being",
    ]
    assert HEADER not in text
    assert (folder / "curated").is_dir()
    # the folder reads as a report source: hash checked, quotes found across line breaks
    source = load_source(folder)
    assert source.report.find("child protection framework was adopted")


def test_new_report_from_text_copies_it_byte_for_byte(tmp_path):
    source = tmp_path / "report.txt"
    source.write_bytes("Line one\u2019s words.\r\nLine two.\n".encode())
    result = _new_report(tmp_path, "plain", "--source", str(source), "--title", "T")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "data" / "reports" / "plain"
    assert (folder / "report.txt").read_bytes() == source.read_bytes()
    manifest = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    assert "pages" not in manifest
    assert "fill in 'publisher'" in result.output


def test_new_report_never_overwrites(pdf, tmp_path):
    assert _new_report(tmp_path, "demo", "--source", str(pdf)).exit_code == 0
    manifest = tmp_path / "data" / "reports" / "demo" / "manifest.yaml"
    before = manifest.read_bytes()
    result = _new_report(tmp_path, "demo", "--source", str(pdf), "--title", "Other")
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0  # one line
    assert "already exists" in result.output and "Traceback" not in result.output
    assert manifest.read_bytes() == before
    assert [p.name for p in (tmp_path / "data" / "reports").iterdir()] == ["demo"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Bad_ID", "--source", "{pdf}"], "is not a slug"),
        (["ok-id", "--source", "{pdf}", "--date", "June 2024"], "not an ISO 8601 date"),
        (["ok-id", "--source", "{missing}"], "no such file"),
        (["ok-id", "--source", "{garbage}"], "not a readable PDF"),
        (["ok-id", "--source", "{docx}"], "expected a .pdf or a .txt"),
    ],
)
def test_new_report_bad_input_is_one_line(pdf, tmp_path, args, message):
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"this is not a PDF at all")
    docx = tmp_path / "report.docx"
    docx.write_bytes(b"PK")
    paths = {"pdf": pdf, "missing": tmp_path / "nope.pdf", "garbage": garbage, "docx": docx}
    args = [a.format(**paths) for a in args]
    result = _new_report(tmp_path, *args)
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "data" / "reports" / "ok-id").exists()


def test_an_encrypted_pdf_is_refused_in_one_line(tmp_path):
    from pypdf import PdfReader

    plain = tmp_path / "plain.pdf"
    make_pdf(plain, PAGES)
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt("secret")
    locked = tmp_path / "locked.pdf"
    with open(locked, "wb") as handle:
        writer.write(handle)
    result = _new_report(tmp_path, "locked", "--source", str(locked))
    assert result.exit_code == 1
    assert "encrypted" in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "data" / "reports" / "locked").exists()


def test_a_page_without_text_keeps_its_place_as_a_blank_line(tmp_path):
    source = tmp_path / "gap.pdf"
    make_pdf(source, [["First page."], [], ["Third page."]])
    assert _new_report(tmp_path, "gap", "--source", str(source), "--date", "2024").exit_code == 0
    manifest = yaml.safe_load((tmp_path / "data/reports/gap/manifest.yaml").read_text())
    assert manifest["pages"] == [1, 2, 3]
    text = (tmp_path / "data/reports/gap/report.txt").read_text(encoding="utf-8")
    assert text.splitlines() == ["First page.", "", "Third page."]


def test_a_page_of_furniture_only_starts_where_the_next_one_does():
    from copgraph.ingest import page_starts

    pages = ["Head\nbody one\n1", "Head\n2", "Head\nbody three\n3"]
    lines = clean_pages(pages)
    assert [line.text for line in lines] == ["body one", "body three"]
    assert page_starts(lines, 3) == [1, 2, 2]


def test_roman_page_numbers_go_but_short_words_stay():
    pages = ["Preface text ends in\nmix\nvii", "More of the\ncivil\nviii"]
    texts = [line.text for line in clean_pages(pages)]
    assert texts == ["Preface text ends in", "mix", "More of the", "civil"]


def test_a_header_that_changes_with_the_chapter_goes_by_its_running_page_number():
    pages = [
        "Contents\n1 Intro . . . 5\n2 Use . . . 7\nbody of the contents page",
        "Chapter 1: Intro 5\nThe introduction.\nmore text\nand more",
        "Chapter 1: Intro 6\nStill the introduction.\nmore text\nand more",
        "Chapter 2: Use 7\nHow to use it.\nmore text\nand more",
    ]
    texts = [line.text for line in clean_pages(pages)]
    assert not [t for t in texts if t.startswith("Chapter")]
    assert texts[:3] == ["Contents", "1 Intro . . . 5", "2 Use . . . 7"]  # numbers not running
    assert "How to use it." in texts
