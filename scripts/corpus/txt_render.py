"""Plain-text renderer (UTF-8, LF, wrapped at 78 columns, never hyphenated).

One paragraph per block (the source's own title block first), separated
by blank lines; headings are paragraphs of their own; bullets are '- ' lines with a
two-space hanging indent; a table row is one line with its cells separated by
TAB characters (as Word's plain-text export does); a footnote reference is
'[n]' after the word and the footnote text is a '[n] text' paragraph where the
source has its definition.
"""

from source import (BulletList, Columns, Document, FootnoteDef, Heading,
                    PageBreak, Paragraph, Ref, ScanPage, Table, clean_text)

WIDTH = 78


def inline_text(inline):
    out = []
    for p in inline:
        out.append(f"[{p.label}]" if isinstance(p, Ref) else p)
    return clean_text("".join(out))


def wrap(text, width=WIDTH, first="", rest=""):
    lines, cur = [], first
    base = len(first)
    for w in text.split(" "):
        if len(cur) > base and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = rest + w
            base = len(rest)
        else:
            cur = cur + (" " if len(cur) > base else "") + w
    lines.append(cur)
    return lines


def render(doc: Document) -> bytes:
    paras = []

    def walk(blocks):
        for b in blocks:
            if isinstance(b, (Heading, Paragraph)):
                paras.append(wrap(inline_text(b.inline)))
            elif isinstance(b, BulletList):
                lines = []
                for it in b.items:
                    lines.extend(wrap(inline_text(it), first="- ", rest="  "))
                paras.append(lines)
            elif isinstance(b, Table):
                paras.append(["\t".join(inline_text(c) for c in row) for row in b.rows])
            elif isinstance(b, FootnoteDef):
                paras.append(wrap(f"[{b.label}] " + inline_text(b.inline)))
            elif isinstance(b, Columns):
                walk(b.blocks)
            elif isinstance(b, (PageBreak, ScanPage)):
                pass
    walk(doc.blocks)
    return ("\n\n".join("\n".join(p) for p in paras) + "\n").encode("utf-8")
