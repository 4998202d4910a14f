#!/usr/bin/env python3
"""Test fixtures for the extractor: Tests/SightlineExtractTests/Fixtures/.

Run through scripts/make-fixtures. Deterministic (seeded RNGs, reportlab
invariant mode, fixed zip timestamps); every file is well under 200 KB.

bad/   inputs the extractor must reject with a clear error:
  empty.pdf             zero bytes
  truncated.pdf         a valid 3-page PDF cut to 40% of its bytes
  corrupt.pdf           '%PDF-1.7' header, then seeded random bytes
  encrypted.pdf         encrypted with a user password (RC4 128-bit)
  image-only.pdf        2 pages, each one raster image of text-like shapes
  html-error-page.pdf   an HTML 'Page not found' page saved as .pdf
  junk.pdf/.docx/.html/.txt   seeded random bytes
  invalid-utf8.txt      text with invalid UTF-8 sequences
  not-a-zip.docx        plain text bytes
  malformed.docx        a valid zip whose word/document.xml is not well-formed
good/  inputs with known text (truth files in the corpus truth format):
  small.pdf/.html/.docx/.txt   one heading and three paragraphs, the same
                        text in all four formats: small.truth.jsonl. The PDF
                        is 2 A5 pages; the third paragraph runs over the
                        page break; running header and 'Page N of M' footer.
  mixed-scanned.pdf     3 pages; page 2 is only an image (needs OCR):
                        mixed-scanned.truth.jsonl holds pages 1 and 3.
  structured.html/.docx a short review with a bullet list, a table and two
                        footnotes (the corpus's HTML and DOCX sources have no
                        footnotes): structured.truth.jsonl.
"""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from reportlab.lib.pagesizes import A4, A5  # noqa: E402
from reportlab.lib.pdfencrypt import StandardEncryption  # noqa: E402

import docx_render  # noqa: E402
import html_render  # noqa: E402
import pdf_render  # noqa: E402
import txt_render  # noqa: E402
from source import PageBreak, ScanPage, parse_source  # noqa: E402
from truth import truth_jsonl  # noqa: E402

FRONT = """---
id: {id}
title: {title}
short_title: {short}
partnership: Marlow Fen Safeguarding Children Partnership
year: 2023
review_type: LCSPR
age_group: primary
incident: serious harm
format: pdf
themes: information-sharing, critical-thinking
negated:
---

"""

SMALL = FRONT.format(id="small", title="Local Child Safeguarding Practice Review: Child E",
                     short="Child E LCSPR") + """\
# 1. Summary of learning

Child E was eight years old when she was admitted to hospital with injuries that her school had been worried about for several weeks. Her class teacher had noticed bruising on two occasions and recorded both in the school's safeguarding system, but neither record reached children's social care until after the admission. The review found that each professional held a small part of the picture and that nobody brought those parts together. Staff in the school office were unsure whether the designated safeguarding lead had already made a referral, and the designated safeguarding lead assumed that the school nurse would raise the matter at the next multi-agency meeting.

The family had moved to Marlow Fen from another authority eighteen months earlier, and the records held by the previous authority were not requested when the children registered with a new general practice. Those records showed an earlier child protection plan for neglect, which had ended when the family moved. Practitioners who met the family in Marlow Fen described a mother who was warm, articulate and cooperative, and they accepted her explanations for the bruising without checking them against anything else. Professional curiosity was low because the family seemed to be managing, and the school's concerns were treated as isolated incidents rather than as a pattern. When the health visitor for the younger sibling raised a question about the family's history, the answer given at a busy team meeting was that there was nothing on the system, which was true of the local system only.

The partnership has agreed three actions in response. Schools will be reminded that a recorded concern is not a referral, and the escalation policy will be rewritten in plain language with a named contact for each agency. Records from previous authorities will be requested whenever a child with a known social care history moves into the area, and the request will be tracked until the records arrive. Finally, supervision in every agency will include a short question about whether the child's daily experience has been considered alongside what parents report.
"""

MIXED = FRONT.format(id="mixed-scanned", title="Serious Case Review: Child N (extract)",
                     short="Child N SCR") + """\
# 1. Introduction

This extract of the serious case review concerning Child N was published after a request for the full report. The first and third pages were produced from the original word-processed file; the second page was scanned from the signed paper copy held by the board.

The review considered the period from the child's birth to the incident, with particular attention to how agencies understood the role of the mother's new partner and whether information held by the police was shared with health visitors.

::: pagebreak

# 3. Conclusions

The review concluded that the risk posed by the mother's new partner was not assessed because agencies did not know he was living in the household. The board accepted all five recommendations and will report progress to the partnership in twelve months.
"""

STRUCTURED = FRONT.format(id="structured", title="Local Child Safeguarding Practice Review: Child J",
                          short="Child J LCSPR") + """\
Marlow Fen Safeguarding Children Partnership

Local Child Safeguarding Practice Review: Child J

# 1. Introduction

Child J was fourteen when he was found in a flat in another town with two adults who were later charged with drug supply offences.[^1] The review looked at how agencies responded to his missing episodes.

## 1.1 Key lines of enquiry

- How well did agencies recognise the signs of child criminal exploitation?
- Were return home interviews completed and shared?
- How did professionals understand J’s behaviour at school?

# 2. Chronology

| Date | Agency | Event |
| --- | --- | --- |
| 03.02.2022 | Police | First missing episode; J returned after 19 hours. |
| 11.03.2022 | School | Fixed-term exclusion; mother says J is “out of control”. |
| 28.04.2022 | CSC | Strategy discussion held; no referral to the National Referral Mechanism. |

[^1]: Both adults were convicted in 2023. Their names are not given in this report.

# 3. Learning

J’s absences from school and home were treated as defiance rather than as signs of exploitation.[^2] Practitioners said they felt unable to challenge decisions made at the multi-agency meeting.

[^2]: This finding echoes the Panel’s national review of child criminal exploitation.
"""


def rng_bytes(seed, n):
    return random.Random(seed).randbytes(n)


def small_pdf_geometry(doc, pagesize=A5):
    out = []
    for size in (10.0, 10.5, 9.5, 11.0):
        for margin in (46, 50, 42, 54):
            out.append(pdf_render.Geometry(pagesize=pagesize, margin_l=margin, margin_r=margin,
                                           body_size=size, justify=True, body_top_gap=62,
                                           body_bottom=58))
    return out


def fixture_pdf(doc, pagesize=A5, encrypt=None, want_pages=None, header=True):
    """Render a fixture PDF: no cover or contents, header/footer on every page.
    Tries a few geometries until the page count is the one wanted."""
    meta = doc.meta
    opts = pdf_render.PdfOptions(
        header_left=meta["partnership"] if header else "",
        header_right=meta["short_title"] if header else "",
        title=meta["title"], author=meta["partnership"], subject="fixture", encrypt=encrypt)
    _, _, body = pdf_render.split_front(doc.blocks)
    for g in small_pdf_geometry(doc, pagesize):
        lay = pdf_render.layout(doc, body, g)
        ok = want_pages is None or len(lay.pages) == want_pages
        if ok and want_pages == 2 and doc.meta["id"] == "small":
            ok = lay.stats.get("spanning_paragraphs", 0) >= 1
        if ok:
            data, stats = pdf_render.draw(doc, opts, lay, [], [])
            return data, stats
    raise SystemExit(f"make-fixtures: no geometry gives {want_pages} pages for {meta['id']}")


HTML_404 = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Page not found - Marlow Fen Council</title>
<style>body{font-family:Arial,sans-serif;margin:2rem}h1{color:#1d4f73}</style>
</head>
<body>
<header><a href="/">Marlow Fen Council</a></header>
<main>
<h1>Page not found</h1>
<p>Sorry, we can&rsquo;t find the page you were looking for. It may have been moved or deleted.</p>
<p>If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address.</p>
<p><a href="/learning-from-reviews">Go to published case reviews</a></p>
<p>Error reference: 404</p>
</main>
<footer>&copy; Marlow Fen Council</footer>
</body>
</html>
"""

INVALID_UTF8 = (
    "Local Child Safeguarding Practice Review: Child F\n\n"
    "1. Introduction\n\n"
    "This review was commissioned after Child F, aged four, was admitted to hospital.\n"
).encode("utf-8") + (
    b"The health visitor\xe2\x80 recorded that the family had moved twice in six months.\n"  # truncated 3-byte
    b"Mother\x92s partner was not known to agencies.\n"                                     # cp1252 byte
    b"The nursery noted bruising on F\xc3\x28s arm.\n"                                      # bad continuation
    b"Records were held in two systems \xc0\xaf an overlong encoding.\n"                     # overlong '/'
    b"A lone continuation byte \x80 and a surrogate \xed\xa0\x80 follow.\n"
    b"Information was not shared in a timely way \xff\xfe.\n"
) + ("The review makes four recommendations about information sharing.\n").encode("utf-8")

MALFORMED_DOCUMENT_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    f'<w:document xmlns:w="{docx_render.W_NS}"><w:body>'
    '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>1. Introduction</w:t></w:r></w:p>'
    '<w:p><w:r><w:t>This paragraph is never closed properly & has a bare ampersand'
    '</w:r></w:p><w:p><w:r><w:t>Truncated here'
)


def build(out):
    files = {}
    small = parse_source("<fixture:small>", SMALL)
    mixed = parse_source("<fixture:mixed-scanned>", MIXED)
    structured = parse_source("<fixture:structured>", STRUCTURED)
    # mixed-scanned: the page break becomes a scanned page
    blocks = []
    for b in mixed.blocks:
        blocks.append(ScanPage(seed=2) if isinstance(b, PageBreak) else b)
    mixed.blocks = blocks

    # ---- good
    pdf, stats = fixture_pdf(small, want_pages=2)
    files["good/small.pdf"] = pdf
    files["good/small.html"] = html_render.render(small)
    files["good/small.docx"] = docx_render.render(small)
    files["good/small.txt"] = txt_render.render(small)
    files["good/small.truth.jsonl"] = truth_jsonl(small)
    mpdf, _ = fixture_pdf(mixed, pagesize=A4, want_pages=3)
    files["good/mixed-scanned.pdf"] = mpdf
    files["good/mixed-scanned.truth.jsonl"] = truth_jsonl(mixed)
    files["good/structured.html"] = html_render.render(structured)
    files["good/structured.docx"] = docx_render.render(structured)
    files["good/structured.truth.jsonl"] = truth_jsonl(structured)

    # ---- bad
    files["bad/empty.pdf"] = b""
    three = parse_source("<fixture:truncated>", SMALL.replace("\n\nThe family", "\n\n::: pagebreak\n\nThe family")
                         .replace("\n\nThe partnership has", "\n\n::: pagebreak\n\nThe partnership has"))
    whole, _ = fixture_pdf(three, want_pages=3)
    files["bad/truncated.pdf"] = whole[: len(whole) * 40 // 100]
    files["bad/corrupt.pdf"] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + rng_bytes(1001, 12000)
    enc = StandardEncryption("open-sesame", ownerPassword="owner-secret", canPrint=0, canModify=0,
                             canCopy=0, canAnnotate=0, strength=128)
    files["bad/encrypted.pdf"], _ = fixture_pdf(small, encrypt=enc, want_pages=2)
    image_only = parse_source("<fixture:image-only>", FRONT.format(id="image-only", title="Scanned review",
                                                                   short="Scanned") + "Placeholder.\n")
    image_only.blocks = [ScanPage(seed=11), ScanPage(seed=12)]
    files["bad/image-only.pdf"], _ = fixture_pdf(image_only, pagesize=A4, want_pages=2)
    files["bad/html-error-page.pdf"] = HTML_404.encode("utf-8")
    files["bad/junk.pdf"] = rng_bytes(2001, 4096)
    files["bad/junk.docx"] = rng_bytes(2002, 4096)
    files["bad/junk.html"] = rng_bytes(2003, 4096)
    files["bad/junk.txt"] = rng_bytes(2004, 4096)
    files["bad/invalid-utf8.txt"] = INVALID_UTF8
    files["bad/not-a-zip.docx"] = (
        b"This is not a Word document.\r\nIt is a plain text file that was given a .docx name "
        b"by mistake when the review was uploaded.\r\n")
    parts = docx_render.package(small, document_xml=MALFORMED_DOCUMENT_XML)
    files["bad/malformed.docx"] = docx_render.write_zip(parts)

    written = 0
    for name in sorted(files):
        data = files[name]
        assert len(data) < 200_000, f"{name} is {len(data)} bytes"
        path = os.path.join(out, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        old = None
        if os.path.exists(path):
            with open(path, "rb") as f:
                old = f.read()
        if old != data:
            with open(path, "wb") as f:
                f.write(data)
            written += 1
        print(f"make-fixtures: {name} ({len(data)} bytes){'' if old != data else ' unchanged'}")
    print(f"make-fixtures: {len(files)} fixtures in {out} ({written} written)")
    return stats


def main(argv=None):
    ap = argparse.ArgumentParser(description="write the extractor's test fixtures")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    build(os.path.abspath(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
