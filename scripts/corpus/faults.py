#!/usr/bin/env python3
"""The fault corpus: hostile and broken inputs for the extractor.

Run through scripts/make-fault-corpus. Python's standard library only, plus
qpdf for the encrypted PDFs. Deterministic: the same DIR gives the same bytes
(seeded byte streams, fixed zip timestamps, qpdf's static id and IV). Only the
files that name the canary by its absolute path depend on where DIR is.

DIR/manifest.json lists every file with what Sightline must answer:
an error code from docs/wire-format.md, or "document" for a file that must be
read safely (an external entity left unresolved, a recoverable PDF). The
canary file, outside DIR, holds a marker string that must never reach any
output: the inputs that declare external entities all point at it.
"""

import argparse
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
import zlib

CANARY_MARKER = "SIGHTLINE-FAULT-CANARY-3b91f0c7d2"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

PARAGRAPHS = [
    "The review considered how agencies shared information about the child during the year before the incident.",
    "Practitioners did not always record the child's own account of daily life at home and at school.",
    "The health visitor noted missed appointments but the concern was not escalated to the safeguarding lead.",
    "Recommendations address supervision, the use of chronologies and the timeliness of strategy meetings.",
]


def seeded_bytes(seed, n):
    """n bytes from SHA-256 in counter mode: the same on every Python."""
    out = bytearray()
    counter = 0
    while len(out) < n:
        out += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    return bytes(out[:n])


# --- PDF, written by hand -------------------------------------------------


def pdf_document(objects, root=1, info=None):
    """A PDF from object bodies (object n is objects[n-1]) with a correct xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, root)
    if info:
        trailer += b" /Info %d 0 R" % info
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def pdf_stream(data, compress=True, extra=b""):
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def pdf_escape(text):
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")


def text_page_content(page_number):
    # A different heading and sentence order on every page, so that no line
    # recurs at the same height (which would read as a running header).
    shift = (page_number - 1) % len(PARAGRAPHS)
    lines = [f"Finding {page_number} of the review"] + PARAGRAPHS[shift:] + PARAGRAPHS[:shift]
    ops = [b"BT /F1 11 Tf 14 TL 72 760 Td"]
    for paragraph in lines:
        for line in textwrap.wrap(paragraph, 80):
            ops.append(b"(" + pdf_escape(line) + b") Tj T*")
        ops.append(b"T*")
    ops.append(b"ET")
    return b"\n".join(ops)


def text_pdf(pages=3):
    """A small, valid PDF with a text layer on every page."""
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(pages)).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i in range(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i))
        objects.append(pdf_stream(text_page_content(i + 1)))
    return pdf_document(objects)


def image_only_pdf():
    """Two pages, each showing one grey raster image and no text."""
    pixels = bytes((x * 16 + y * 3) % 256 for y in range(64) for x in range(64))
    image = pdf_stream(pixels, extra=b" /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray /BitsPerComponent 8")
    content = pdf_stream(b"q 451 0 0 698 72 72 cm /Im1 Do Q")
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 3 0 R >> >> /Contents 4 0 R >>"
    return pdf_document([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R 6 0 R] /Count 2 >>",
        image, content, page, page,
    ])


def blank_pages_pdf(count):
    """`count` pages with no content at all, in one flat page list."""
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * count
    return pdf_document(objects)


def page_tree_loop_pdf():
    """The page tree's only kid is the tree itself."""
    return pdf_document([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
    ])


def lying_page_count_pdf():
    """One real page, but the page tree claims two billion."""
    return pdf_document([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 2000000000 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
        pdf_stream(text_page_content(1)),
    ])


def infinite_matrix_pdf():
    """One line drawn through a text matrix scaled by 10^39 (glyphs at infinity), one ordinary line."""
    huge = b"1" + b"0" * 39
    return pdf_document([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
        pdf_stream(b"BT /F1 11 Tf " + huge + b" 0 0 " + huge + b" 72 700 Tm (Scaled past infinity) Tj ET\n"
                   b"BT /F1 11 Tf 72 600 Td (" + pdf_escape(PARAGRAPHS[0][:80]) + b") Tj ET"),
    ])


def no_pages_pdf():
    return pdf_document([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ])


def corrupt_stream_pdf():
    """Three pages whose content streams claim Flate but hold random bytes."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R 6 0 R 8 0 R] /Count 3 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i in range(3):
        junk = seeded_bytes(f"stream-{i}", 2000)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i))
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(junk) + junk + b"\nendstream")
    return pdf_document(objects)


def corrupt_xref_pdf():
    """A valid PDF whose xref offsets all point at the wrong bytes (poppler rebuilds the table)."""
    data = bytearray(text_pdf())
    start = data.index(b"xref\n")
    table = data[start:]
    entries = table.split(b"\n")
    rebuilt = []
    for line in entries:
        if len(line) == 19 and line.endswith(b" n "):
            line = b"%010d 00000 n " % (int(line[:10]) + 7)
        rebuilt.append(line)
    return bytes(data[:start] + b"\n".join(rebuilt))


def encrypt_with_qpdf(plain, user, owner, workdir, name):
    """AES-256 encryption by qpdf, with its testing switches for the same bytes every time."""
    source = os.path.join(workdir, name + ".plain")
    target = os.path.join(workdir, name + ".enc")
    with open(source, "wb") as f:
        f.write(plain)
    subprocess.run(
        ["qpdf", "--static-id", "--static-aes-iv", "--encrypt", user, owner, "256", "--", source, target],
        check=True, stdout=subprocess.DEVNULL)
    with open(target, "rb") as f:
        data = f.read()
    os.remove(source)
    os.remove(target)
    return data


# --- HTML ------------------------------------------------------------------


def html_page(title, body, doctype="<!DOCTYPE html>"):
    paragraphs = "".join(f"<p>{p}</p>\n" for p in PARAGRAPHS)
    return (f"{doctype}\n<html><head><meta charset=\"utf-8\"><title>{title}</title></head>\n"
            f"<body><main><h1>{title}</h1>\n{body}\n{paragraphs}</main></body></html>\n").encode()


def billion_laughs_subset(root):
    lines = ['<!ENTITY lol "lol">']
    for level in range(1, 10):
        previous = "lol" if level == 1 else f"lol{level - 1}"
        lines.append(f'<!ENTITY lol{level} "' + f"&{previous};" * 10 + '">')
    return f"<!DOCTYPE {root} [\n  " + "\n  ".join(lines) + "\n]>"


def external_entity_subset(root, canary_path, relative_path):
    url = "file://" + canary_path
    return (f"<!DOCTYPE {root} [\n"
            f'  <!ENTITY canaryurl SYSTEM "{url}">\n'
            f'  <!ENTITY canaryabs SYSTEM "{canary_path}">\n'
            f'  <!ENTITY canaryrel SYSTEM "{relative_path}">\n'
            f'  <!ENTITY % canaryparam SYSTEM "{url}">\n'
            f"  %canaryparam;\n"
            f"]>")


def nested_html(depth, tag="div"):
    return (b"<!DOCTYPE html>\n<html><head><title>Nested</title></head><body>"
            + f"<{tag}>".encode() * depth + b"deep text" + f"</{tag}>".encode() * depth
            + b"</body></html>\n")


def write_big_html(path, size):
    """An ordinary-looking page of `size` bytes, written in chunks."""
    head = b"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>A very large page</title></head><body><main>\n"
    tail = b"</main></body></html>\n"
    paragraph = ("<p>" + " ".join(PARAGRAPHS) + "</p>\n").encode()
    with open(path, "wb") as f:
        f.write(head)
        written = len(head)
        block = paragraph * (1_048_576 // len(paragraph))
        while written + len(block) + len(tail) <= size:
            f.write(block)
            written += len(block)
        while written + len(paragraph) + len(tail) <= size:
            f.write(paragraph)
            written += len(paragraph)
        f.write(b" " * (size - written - len(tail)))
        f.write(tail)


# --- DOCX ------------------------------------------------------------------


def document_xml(paragraphs, prolog=""):
    body = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>" for p in paragraphs)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
            f'<w:document xmlns:w="{W_NS}" xmlns:xi="http://www.w3.org/2001/XInclude"><w:body>{body}</w:body></w:document>').encode()


CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 b'<Default Extension="xml" ContentType="application/xml"/>'
                 b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                 b"</Types>")
RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        b"</Relationships>")


def docx(parts):
    """A zip of (name, bytes) parts with fixed timestamps, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS)] + parts:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def zip_bomb_docx(inflated_size):
    """word/document.xml inflates to `inflated_size` bytes of repeated markup."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS)]:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
        info = zipfile.ZipInfo("word/document.xml", ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.file_size = inflated_size
        chunk = b"<w:p/>" * (1_048_576 // 6)
        with archive.open(info, "w", force_zip64=inflated_size >= 0xFFFFFFFF) as entry:
            remaining = inflated_size
            while remaining > 0:
                piece = chunk[: min(len(chunk), remaining)]
                entry.write(piece)
                remaining -= len(piece)
    return buffer.getvalue()


def directory_past_end(archive_bytes):
    """Points every central-directory entry's local header 256 MiB past the end of the file."""
    data = bytearray(archive_bytes)
    position = data.index(b"PK\x01\x02")
    while data[position:position + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = (int.from_bytes(data[position + k:position + k + 2], "little") for k in (28, 30, 32))
        data[position + 42:position + 46] = (0x0FFFFFF0).to_bytes(4, "little")
        position += 46 + name_length + extra_length + comment_length
    return bytes(data)


def lie_about_sizes(archive_bytes, entry_name, claimed):
    """Rewrites an entry's uncompressed size in its local and central headers."""
    data = bytearray(archive_bytes)
    name = entry_name.encode()
    eocd = data.rindex(b"PK\x05\x06")
    cd_offset = int.from_bytes(data[eocd + 16:eocd + 20], "little")
    position = cd_offset
    while data[position:position + 4] == b"PK\x01\x02":
        name_length = int.from_bytes(data[position + 28:position + 30], "little")
        extra_length = int.from_bytes(data[position + 30:position + 32], "little")
        comment_length = int.from_bytes(data[position + 32:position + 34], "little")
        if data[position + 46:position + 46 + name_length] == name:
            data[position + 24:position + 28] = claimed.to_bytes(4, "little")
            local = int.from_bytes(data[position + 42:position + 46], "little")
            data[local + 22:local + 26] = claimed.to_bytes(4, "little")
        position += 46 + name_length + extra_length + comment_length
    return bytes(data)


# --- text ------------------------------------------------------------------


def invalid_utf8_text():
    good = "\n\n".join(PARAGRAPHS).encode()
    return good[:120] + b"\xc3\x28 \xa0\xa1 \xe2\x82 \xf0\x28\x8c\xbc " + good[120:]


def invalid_utf16_text():
    units = [ord(c) for c in "A review of practice. "] + [0xD800, ord("x"), 0xDC00, ord("y")] + [ord(c) for c in " The end.\n"]
    return b"\xff\xfe" + b"".join(u.to_bytes(2, "little") for u in units)


def utf16_without_bom_text():
    return "\n\n".join(PARAGRAPHS).encode("utf-16-le")


# --- the corpus ------------------------------------------------------------


def build(out, canary_path, big_html_mb, bomb_mb, blank_pages, workdir):
    """Writes the corpus into `out`; returns the manifest's file list."""
    relative_canary = os.path.relpath(canary_path, out)
    files = []

    def add(name, data, expect, why):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        files.append({"file": name, "expect": expect, "why": why})

    plain = text_pdf()
    add("pdf-zero-bytes.pdf", b"", "empty", "no bytes at all")
    add("pdf-truncated-at-16-bytes.pdf", plain[:16], "damaged", "the header and nothing else")
    add("pdf-truncated-at-half.pdf", plain[: len(plain) // 2], "damaged", "a 3-page PDF cut half way through its second page")
    add("pdf-truncated-before-xref.pdf", plain[: plain.index(b"xref\n")], "damaged",
        "every object intact, but the cross-reference table and trailer are lost: poppler cannot find the catalog")
    add("pdf-header-then-junk.pdf", b"%PDF-1.7\n" + seeded_bytes("pdf-junk", 20000), "damaged", "a PDF header, then random bytes")
    add("pdf-corrupt-xref.pdf", corrupt_xref_pdf(), "document", "every xref offset wrong by 7 bytes: poppler rebuilds the table")
    add("pdf-corrupt-streams.pdf", corrupt_stream_pdf(), "no_text", "content streams claim Flate but hold random bytes: no text can be read")
    add("pdf-page-tree-loop.pdf", page_tree_loop_pdf(), "damaged", "the page tree lists itself as its kid")
    add("pdf-lying-page-count.pdf", lying_page_count_pdf(), "damaged", "one page, but /Count says 2,000,000,000: poppler believes no pages")
    add("pdf-infinite-text-matrix.pdf", infinite_matrix_pdf(), "document",
        "a line drawn through a text matrix scaled by 10^39, so its glyphs sit at infinity; the ordinary line must still be read")
    add("pdf-no-pages.pdf", no_pages_pdf(), "damaged", "a valid PDF with an empty page tree")
    add("pdf-encrypted-user-password.pdf", encrypt_with_qpdf(plain, "sightline-user", "sightline-owner", workdir, "user"),
        "encrypted", "AES-256 with a user password (qpdf)")
    add("pdf-encrypted-owner-password-only.pdf", encrypt_with_qpdf(plain, "", "sightline-owner", workdir, "owner"),
        "document", "AES-256 with an empty user password: it opens without one (qpdf)")
    add("pdf-image-only.pdf", image_only_pdf(), "no_text_layer", "two pages, each only a raster image")
    add(f"pdf-{blank_pages}-blank-pages.pdf", blank_pages_pdf(blank_pages), "no_text", f"{blank_pages:,} pages with no content")

    add("html-billion-laughs.html", html_page("Billion laughs", "<p>&lol9;</p>", billion_laughs_subset("html")), "document",
        "nested entity declarations that would expand to 10^9 'lol's: the HTML parser expands no entities")
    add("xhtml-billion-laughs.xhtml", b'<?xml version="1.0" encoding="UTF-8"?>\n' + html_page("Billion laughs", "<p>&lol9;</p>", billion_laughs_subset("html")),
        "document", "the same as XHTML with an XML declaration")
    add("html-external-entity.html", html_page("External entity", "<p>&canaryurl; &canaryabs; &canaryrel;</p>",
        external_entity_subset("html", canary_path, relative_canary)), "document",
        "entities declared SYSTEM as a file:// URL, an absolute and a relative path to the canary, and a parameter entity: none may be read")
    add("html-nested-100000.html", nested_html(100_000), "too_deep", "100,000 nested <div> elements")
    add("htm-nested-inline-100000.htm", nested_html(100_000, "span"), "too_deep", "100,000 nested <span> elements")

    add("docx-zip-bomb.docx", zip_bomb_docx(bomb_mb * 1_048_576), "too_large",
        f"word/document.xml inflates to {bomb_mb:,} MiB, and says so in its headers")
    add("docx-zip-bomb-lying-sizes.docx", lie_about_sizes(zip_bomb_docx(bomb_mb * 1_048_576), "word/document.xml", 4096), "too_large",
        f"word/document.xml inflates to {bomb_mb:,} MiB while its headers claim 4 KiB")
    add("docx-external-entity.docx", docx([("word/document.xml", document_xml(
        ["Before the entities.", "&canaryurl; &canaryabs; &canaryrel;", '<xi:include href="file://' + canary_path + '" parse="text"/>'] + PARAGRAPHS,
        external_entity_subset("w:document", canary_path, relative_canary) + "\n"))]), "document",
        "document.xml declares external entities and a parameter entity naming the canary, and holds an XInclude of it: none may be read")
    add("docx-billion-laughs.docx", docx([("word/document.xml", document_xml(["&lol9;"] + PARAGRAPHS, billion_laughs_subset("w:document") + "\n"))]),
        "damaged", "document.xml uses an entity that would expand to 10^9 'lol's: libxml2 stops it as an entity loop")
    add("docx-nested-100000.docx", docx([("word/document.xml", (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<w:document xmlns:w="{W_NS}"><w:body>'
        + "<w:sdt>" * 100_000 + "<w:p><w:r><w:t>deep</w:t></w:r></w:p>" + "</w:sdt>" * 100_000 + "</w:body></w:document>").encode())]),
        "too_deep", "document.xml nested 100,000 elements deep")
    whole_docx = docx([("word/document.xml", document_xml(PARAGRAPHS))])
    add("docx-truncated.docx", whole_docx[: len(whole_docx) * 2 // 3], "damaged", "a DOCX cut to two thirds of its bytes (an interrupted download)")
    add("docx-directory-past-end.docx", directory_past_end(whole_docx), "damaged",
        "every central-directory entry points 256 MiB past the end of the file")
    add("docx-without-document-xml.docx", docx([("word/other.xml", b"<x/>")]), "not_a_docx", "a zip with no word/document.xml")

    for ext, expect in [("pdf", "not_a_pdf"), ("html", "unsupported_format"), ("htm", "unsupported_format"),
                        ("xhtml", "unsupported_format"), ("docx", "not_a_docx"), ("txt", "unsupported_format")]:
        add(f"junk.{ext}", seeded_bytes(f"junk-{ext}", 16384), expect, "16 KiB of random bytes")

    add("text-invalid-utf8.txt", invalid_utf8_text(), "invalid_encoding", "UTF-8 text with invalid byte sequences in it")
    add("text-invalid-utf16.txt", invalid_utf16_text(), "invalid_encoding", "UTF-16LE with a byte-order mark and unpaired surrogates")
    add("text-utf16-odd-length.txt", invalid_utf16_text()[:-1], "invalid_encoding", "UTF-16LE with a byte-order mark and an odd number of bytes")
    add("text-utf16-without-bom.txt", utf16_without_bom_text(), "invalid_encoding", "UTF-16LE text with no byte-order mark")

    if big_html_mb > 0:
        name = f"html-{big_html_mb}mb.html"
        write_big_html(os.path.join(out, name), big_html_mb * 1_000_000)
        files.append({"file": name, "expect": "too_large", "why": f"an ordinary page grown to {big_html_mb} MB"})
    return sorted(files, key=lambda f: f["file"].encode())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="the folder to write (emptied first)")
    parser.add_argument("--canary", help="the canary file, outside --out (default: OUT-canary/canary.txt)")
    parser.add_argument("--big-html-mb", type=int, default=200, help="size of the oversized HTML page in MB (0: none)")
    parser.add_argument("--bomb-mb", type=int, default=1024, help="what the DOCX zip bombs inflate to, in MiB")
    parser.add_argument("--blank-pages", type=int, default=5000, help="pages in the PDF of blank pages")
    args = parser.parse_args(argv)
    if shutil.which("qpdf") is None:
        sys.exit("faults: qpdf is needed for the encrypted PDFs (scripts/make-fault-corpus installs it)")
    out = os.path.abspath(args.out)
    canary = os.path.abspath(args.canary or out.rstrip("/") + "-canary/canary.txt")
    if os.path.commonpath([out, canary]) == out:
        sys.exit("faults: the canary must be outside the corpus folder")
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    os.makedirs(os.path.dirname(canary), exist_ok=True)
    with open(canary, "w") as f:
        f.write(CANARY_MARKER + "\n")
    workdir = os.path.join(os.path.dirname(canary), ".qpdf-work")
    os.makedirs(workdir, exist_ok=True)
    files = build(out, canary, args.big_html_mb, args.bomb_mb, args.blank_pages, workdir)
    shutil.rmtree(workdir)
    manifest = {"canary_file": canary, "canary_marker": CANARY_MARKER, "files": files}
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"faults: {len(files)} files in {out}, canary {canary}", file=sys.stderr)


if __name__ == "__main__":
    main()
