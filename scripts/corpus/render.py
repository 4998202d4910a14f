#!/usr/bin/env python3
"""Sightline sample-corpus renderer.

What it renders
---------------
Each fictional review `corpus/src/<id>.md` (format: scripts/corpus-format.md)
becomes exactly one document `corpus/<id>.<format>` (pdf, html, docx or txt,
as its front matter says), its ground truth `corpus/truth/<id>.jsonl` (the
text an ideal extractor returns, block by block: truth.py) and one row of
`corpus/manifest.csv` (themes and negated joined with ';', CRLF, RFC 4180
quoting, rows sorted by file). Run it through `scripts/make-corpus`, which
sets up a pinned virtualenv. Output is deterministic: the same sources give
the same bytes (reportlab invariant mode, fixed zip timestamps and entry
order, seeded choices, sorted inputs); files are rewritten only if changed.
A source that breaks the format stops the run with 'file:line: message'
before anything is written (source.py).

The source body starts with its own title block (the leading paragraphs) and
usually a '# Contents' heading with a list; split_front() finds them. They
are body text like any other block and appear in every format and the truth.

Why each feature exists
-----------------------
The corpus exists to test Sightline's extraction and cleaning, so each
rendering reproduces what published reviews do to text:

PDF (pdf_render.py: reportlab canvas, our own line breaking and pagination)
- the title block on a cover page with no header/footer, and the contents
  section on a page of its own, its entries with dot leaders and page numbers
  (which are not in the truth): the cleaner must handle front matter and
  contents lines; page labels 'Cover', 'i', then '1', '2', ... differ from
  page indexes, so quoted page references must use the printed label.
- a running header (partnership | short title) and an 'OFFICIAL' +
  'Page N of M' footer on every body page: repeated furniture to strip.
- justified (two in three documents) or ragged text, hyphenated at line ends
  ('assess-' / 'ment', hyphen.py) and broken after the hyphen of compounds
  ('multi-' / 'agency'): the cleaner must rejoin the first and keep the hyphen
  of the second.
- ligature code points U+FB00-FB04 in the text layer, as Word exports have:
  the cleaner must expand them.
- bold, larger headings; bullet items with a '•' glyph and a hanging indent;
  ruled tables with wrapped cell text; superscript footnote markers after the
  word and footnote texts at the page bottom above the footer: structure to
  recover, markers and footnotes to separate from body text.
- '::: columns' sections in two balanced columns (reading order) and
  '::: pagebreak' page breaks.
- paragraphs running over page breaks (with widow/orphan control), to be
  rejoined across header, footer and footnotes. The page geometry (size,
  leading, margins) is chosen from a fixed list so that every PDF has at
  least 3 hyphenated line ends, 3 compound breaks and 3 paragraphs running
  over a page break; make-corpus prints the counts.
HTML (html_render.py): a whole partnership web page (head with title, style
  and script; cookie banner; header; nav; breadcrumbs; a sidebar; newsletter
  form; footer; an HTML comment) around an <article>; entities (&amp;
  &rsquo; &nbsp;), wrapped source lines, <sup> footnote markers and an
  <ol class="footnotes"> with back links. The first HTML review (by id) is
  written in windows-1252 (curly quotes are bytes 0x91-0x94), the others in
  UTF-8.
DOCX (docx_render.py): a Word-like package with text split over runs (also
  mid-word), bold/italic runs, proofing marks, bookmarks, real footnotes,
  numbering-based bullets, tables, and header/footer parts.
TXT (txt_render.py): wrapped plain text with '- ' bullets, TAB-separated
  table rows and '[n]' footnote markers.
"""


import argparse
import csv
import io
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from source import SourceError, parse_file  # noqa: E402
from truth import truth_jsonl  # noqa: E402

EXTS = ("pdf", "html", "docx", "txt")
MANIFEST_COLUMNS = ["file", "title", "partnership", "year", "review_type", "age_group",
                    "incident", "format", "themes", "negated"]


def write_if_changed(path, data: bytes):
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return False
    except FileNotFoundError:
        pass
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return True


def manifest_csv(docs):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(MANIFEST_COLUMNS)
    rows = []
    for d in docs:
        m = d.meta
        rows.append([f"{m['id']}.{m['format']}", m["title"], m["partnership"], m["year"],
                     m["review_type"], m["age_group"], m["incident"], m["format"],
                     ";".join(m["themes_list"]), ";".join(m["negated_list"])])
    for r in sorted(rows):
        w.writerow(r)
    return buf.getvalue().encode("utf-8")


def render_doc(doc, html_cp1252):
    fmt = doc.meta["format"]
    if fmt == "pdf":
        import pdf_render
        return pdf_render.render(doc)
    if fmt == "html":
        import html_render
        return html_render.render(doc, cp1252=html_cp1252), {}
    if fmt == "docx":
        import docx_render
        return docx_render.render(doc), {}
    import txt_render
    return txt_render.render(doc), {}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                    help="repository root (default: two levels above this script)")
    ap.add_argument("--src", help="source directory (default: ROOT/corpus/src)")
    ap.add_argument("--out", help="output directory (default: ROOT/corpus)")
    ap.add_argument("--check", action="store_true", help="only parse and validate the sources")
    args = ap.parse_args(argv)
    root = os.path.abspath(args.root)
    src = os.path.abspath(args.src or os.path.join(root, "corpus", "src"))
    out = os.path.abspath(args.out or os.path.join(root, "corpus"))
    names = sorted(n for n in os.listdir(src) if n.endswith(".md")) if os.path.isdir(src) else []
    if not names:
        print(f"make-corpus: no sources in {src}", file=sys.stderr)
        return 1
    docs, errors = [], []
    for n in names:
        path = os.path.join(src, n)
        shown = os.path.relpath(path, root) if path.startswith(root + os.sep) else path
        try:
            docs.append(parse_file(path, shown))
        except SourceError as e:
            errors.append(str(e))
    if errors:
        for e in errors:
            print(f"make-corpus: error: {e}", file=sys.stderr)
        print(f"make-corpus: {len(errors)} source file(s) do not fit scripts/corpus-format.md; nothing written",
              file=sys.stderr)
        return 2
    if args.check:
        print(f"make-corpus: {len(docs)} sources OK")
        return 0
    truth_dir = os.path.join(out, "truth")
    os.makedirs(truth_dir, exist_ok=True)
    html_ids = sorted(d.meta["id"] for d in docs if d.meta["format"] == "html")
    cp1252_id = html_ids[0] if html_ids else None
    ids = {d.meta["id"] for d in docs}
    for d in docs:
        m = d.meta
        data, stats = render_doc(d, html_cp1252=(m["id"] == cp1252_id))
        name = f"{m['id']}.{m['format']}"
        changed = write_if_changed(os.path.join(out, name), data)
        write_if_changed(os.path.join(truth_dir, m["id"] + ".jsonl"), truth_jsonl(d))
        for ext in EXTS:          # a stale rendering in another format
            if ext != m["format"] and os.path.exists(os.path.join(out, f"{m['id']}.{ext}")):
                os.remove(os.path.join(out, f"{m['id']}.{ext}"))
                print(f"make-corpus: removed stale {m['id']}.{ext}")
        info = ""
        if m["format"] == "pdf":
            info = (f" pages={stats['pages']} hyphenated={stats.get('syll', 0)}"
                    f" compound={stats.get('compound', 0)} ligatures={stats.get('ligatures', 0)}"
                    f" spanning_paragraphs={stats.get('spanning_paragraphs', 0)}")
            low = [k for k, need in (("syll", 3), ("compound", 3), ("spanning_paragraphs", 3))
                   if stats.get(k, 0) < need]
            if low:
                info += f"  (warning: few {', '.join(low)})"
        elif m["format"] == "html":
            info = " encoding=" + ("windows-1252" if m["id"] == cp1252_id else "utf-8")
        print(f"make-corpus: {name}{' (unchanged)' if not changed else ''}{info}")
    for n in sorted(os.listdir(truth_dir)):
        if n.endswith(".jsonl") and n[:-6] not in ids:
            print(f"make-corpus: warning: truth/{n} has no source", file=sys.stderr)
    for n in sorted(os.listdir(out)):
        stem, _, ext = n.rpartition(".")
        if ext in EXTS and stem not in ids:
            print(f"make-corpus: warning: {n} has no source", file=sys.stderr)
    write_if_changed(os.path.join(out, "manifest.csv"), manifest_csv(docs))
    print(f"make-corpus: wrote {len(docs)} documents, truth and manifest.csv to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
