"""Ground truth (corpus/truth/<id>.jsonl): every body block of the source, in order.

The source body itself starts with the cover/title block (and usually a
'# Contents' section); they are in the truth like any other block. Footnotes
are `footnote` records where their `[^n]:` definition stands; the text has no
number. Markers, running headers, footers and page numbers are not in it."""

import json

from source import (BulletList, Columns, Document, FootnoteDef, Heading,
                    PageBreak, Paragraph, ScanPage, Table, plain)


def truth_records(doc: Document):
    recs = []

    def walk(blocks):
        for b in blocks:
            if isinstance(b, Heading):
                recs.append(("heading", plain(b.inline)))
            elif isinstance(b, Paragraph):
                recs.append(("paragraph", plain(b.inline)))
            elif isinstance(b, BulletList):
                recs.extend(("list_item", plain(it)) for it in b.items)
            elif isinstance(b, Table):
                for row in b.rows:
                    recs.extend(("table_cell", plain(c)) for c in row)
            elif isinstance(b, FootnoteDef):
                recs.append(("footnote", plain(b.inline)))
            elif isinstance(b, Columns):
                walk(b.blocks)
            elif isinstance(b, (PageBreak, ScanPage)):
                pass
            else:
                raise TypeError(b)
    walk(doc.blocks)
    return recs


def truth_jsonl(doc: Document) -> bytes:
    lines = [json.dumps({"kind": k, "text": t}, ensure_ascii=False, separators=(",", ":"))
             for k, t in truth_records(doc)]
    return ("\n".join(lines) + "\n").encode("utf-8")
