"""Parser for corpus source files (format: scripts/corpus-format.md).

A source is parsed into a `Document`: its front matter (`meta`) and a list of
body blocks. Inline text is kept as a list of parts, each either a `str` or a
`Ref` (a footnote reference `[^n]`), so that every renderer can place footnote
markers its own way while the ground truth simply drops them.

Anything that does not fit the format raises `SourceError`, whose message names
the file and the line.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from typing import List, Optional, Union

THEMES = [
    "child-daily-life", "reluctant-engagement", "critical-thinking",
    "changing-risk", "information-sharing", "leadership-culture",
    "extrafamilial-harm", "mental-health-child", "mental-health-parent",
    "adultification",
]
REVIEW_TYPES = ["LCSPR", "SCR"]
AGE_GROUPS = ["infant", "pre-school", "primary", "adolescent", "older-teen"]
INCIDENTS = ["death", "serious harm"]
FORMATS = ["pdf", "html", "docx", "txt"]
KEYS = ["id", "title", "short_title", "partnership", "year", "review_type",
        "age_group", "incident", "format", "themes", "negated"]


class SourceError(Exception):
    def __init__(self, path, line, message):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass(frozen=True)
class Ref:
    label: str


Inline = List[Union[str, Ref]]


@dataclass
class Heading:
    level: int
    inline: Inline
    line: int


@dataclass
class Paragraph:
    inline: Inline
    line: int


@dataclass
class BulletList:
    items: List[Inline]
    line: int


@dataclass
class Table:
    rows: List[List[Inline]]      # rows[0] is the header row
    line: int


@dataclass
class FootnoteDef:
    label: str
    inline: Inline
    line: int


@dataclass
class Columns:
    blocks: list
    line: int


@dataclass
class PageBreak:
    line: int


@dataclass
class ScanPage:
    """Fixture-only block: a page that is just a raster image (no text)."""
    seed: int
    line: int = 0


@dataclass
class Document:
    meta: dict
    blocks: list
    path: str = "<memory>"
    footnotes: dict = field(default_factory=dict)   # label -> FootnoteDef

    def all_blocks(self):
        """Blocks in reading order with ::: columns flattened."""
        for b in self.blocks:
            if isinstance(b, Columns):
                yield from b.blocks
            else:
                yield b


REF_RE = re.compile(r"\[\^([^\]\s]*)\]")
DIRECTIVE_RE = re.compile(r"^:::\s*([A-Za-z-]*)\s*$")
FNDEF_RE = re.compile(r"^\[\^([^\]\s]+)\]:\s*(.*)$")
TABLE_SEP_RE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Markdown that is outside the subset; rendering it literally would put the
# markup characters into the ground truth, so it is rejected.
FORBIDDEN_INLINE = [
    (re.compile(r"\*\*|__"), "bold markup ('**' or '__')"),
    (re.compile(r"(?<![\w*])\*(?=\S)[^*\n]*?(?<=\S)\*(?![\w*])"), "italic markup ('*...*')"),
    (re.compile(r"`"), "code markup ('`')"),
    (re.compile(r"\]\("), "a Markdown link ('[text](url)')"),
    (re.compile(r"!\["), "a Markdown image"),
    (re.compile(r"<(/?)(b|i|em|strong|a|br|sup|sub|span|p|div)\b", re.I), "an HTML tag"),
]


def clean_text(s: str) -> str:
    """NFC, single spaces, trimmed."""
    s = unicodedata.normalize("NFC", s)
    s = s.replace("\u00a0", " ").replace("\u00ad", "")
    return re.sub(r"\s+", " ", s).strip()


def plain(inline: Inline) -> str:
    """Ground-truth text of an inline: footnote markers dropped."""
    return clean_text("".join(p for p in inline if isinstance(p, str)))


def refs_of(inline: Inline):
    return [p.label for p in inline if isinstance(p, Ref)]


class _Parser:
    def __init__(self, path, text):
        self.path = path
        self.text = text

    def err(self, line, msg):
        raise SourceError(self.path, line, msg)

    def parse_inline(self, s: str, line: int) -> Inline:
        s = unicodedata.normalize("NFC", s)
        for rx, what in FORBIDDEN_INLINE:
            m = rx.search(s)
            if m:
                self.err(line, f"{what} is not part of the corpus format: "
                               f"...{s[max(0, m.start() - 20):m.end() + 20]}...")
        if "[^" in s and not REF_RE.search(s):
            self.err(line, "malformed footnote reference (expected '[^n]')")
        parts: Inline = []
        pos = 0
        for m in REF_RE.finditer(s):
            label = m.group(1)
            if not label:
                self.err(line, "empty footnote reference '[^]'")
            if not re.fullmatch(r"[A-Za-z0-9_-]+", label):
                self.err(line, f"bad footnote label [^{label}]")
            before = s[pos:m.start()]
            if m.start() == 0 or s[m.start() - 1].isspace():
                self.err(line, f"footnote reference [^{label}] must follow a word or punctuation directly")
            if before:
                parts.append(before)
            parts.append(Ref(label))
            pos = m.end()
        if pos < len(s):
            parts.append(s[pos:])
        # normalise whitespace inside the text parts, keep boundaries
        out: Inline = []
        for p in parts:
            if isinstance(p, str):
                p = re.sub(r"\s+", " ", p.replace("\u00a0", " "))
                if out and isinstance(out[-1], str):
                    out[-1] += p
                elif p:
                    out.append(p)
            else:
                out.append(p)
        if out and isinstance(out[0], str):
            out[0] = out[0].lstrip()
        if out and isinstance(out[-1], str):
            out[-1] = out[-1].rstrip()
        out = [p for p in out if p != ""]
        if not plain(out):
            self.err(line, "empty text")
        return out

    def parse(self) -> Document:
        lines = self.text.split("\n")
        if self.text.startswith("\ufeff"):
            self.err(1, "file starts with a byte-order mark")
        if "\r" in self.text:
            ln = self.text[: self.text.index("\r")].count("\n") + 1
            self.err(ln, "carriage return found (use LF line endings)")
        if not lines or lines[0].strip() != "---":
            self.err(1, "file must start with a '---' front matter line")
        end = None
        for i in range(1, len(lines)):
            if lines[i].strip() == "---":
                end = i
                break
        if end is None:
            self.err(1, "front matter is not closed by a '---' line")
        meta = self.parse_meta(lines[1:end], 2)
        blocks = self.parse_body(lines[end + 1:], end + 2)
        doc = Document(meta=meta, blocks=blocks, path=self.path)
        self.check_footnotes(doc)
        return doc

    def parse_meta(self, lines, first_line):
        meta = {}
        where = {}
        for k, raw in enumerate(lines):
            ln = first_line + k
            if not raw.strip():
                continue
            m = re.match(r"^([A-Za-z_]+):(.*)$", raw)
            if not m:
                self.err(ln, f"front matter line is not 'key: value': {raw!r}")
            key, value = m.group(1), m.group(2)
            value = re.sub(r"\s+#\s.*$", "", value).strip()   # trailing '# comment'
            if key not in KEYS:
                self.err(ln, f"unknown front matter key {key!r} (expected one of: {', '.join(KEYS)})")
            if key in meta:
                self.err(ln, f"duplicate front matter key {key!r}")
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            meta[key] = unicodedata.normalize("NFC", value)
            where[key] = ln
        for key in KEYS:
            if key not in meta:
                self.err(first_line, f"front matter key {key!r} is missing")
            if key != "negated" and key != "themes" and not meta[key]:
                self.err(where[key], f"front matter key {key!r} is empty")

        def check(key, allowed):
            if meta[key] not in allowed:
                self.err(where[key], f"{key} {meta[key]!r} is not one of: {', '.join(allowed)}")
        check("review_type", REVIEW_TYPES)
        check("age_group", AGE_GROUPS)
        check("incident", INCIDENTS)
        check("format", FORMATS)
        if not ID_RE.match(meta["id"]):
            self.err(where["id"], f"id {meta['id']!r} must be lower-case letters, digits and hyphens")
        stem = re.sub(r"^.*/", "", self.path)
        stem = re.sub(r"\.md$", "", stem)
        if not self.path.startswith("<") and stem != meta["id"]:
            self.err(where["id"], f"id {meta['id']!r} does not match the file name {stem!r}.md")
        if not re.fullmatch(r"(19|20)\d\d", meta["year"]):
            self.err(where["year"], f"year {meta['year']!r} is not a four-digit year")
        for key in ("themes", "negated"):
            items = [t.strip() for t in meta[key].split(",")] if meta[key].strip() else []
            for t in items:
                if t not in THEMES:
                    self.err(where[key], f"{key}: unknown theme id {t!r} (expected: {', '.join(THEMES)})")
            if len(set(items)) != len(items):
                self.err(where[key], f"{key}: a theme is listed twice")
            meta[key + "_list"] = items
        both = set(meta["themes_list"]) & set(meta["negated_list"])
        if both:
            self.err(where["negated"], f"theme(s) {', '.join(sorted(both))} listed both in themes and negated")
        return meta

    def split_blocks(self, lines, first_line):
        """Groups of (line_no, text); ':::' directive lines are blocks of their own."""
        blocks, cur = [], []
        for k, raw in enumerate(lines):
            ln = first_line + k
            line = raw.rstrip()
            if "\t" in line:
                line = line.replace("\t", "    ")
            if not line.strip():
                if cur:
                    blocks.append(cur)
                    cur = []
                continue
            if line.lstrip().startswith(":::"):
                if cur:
                    blocks.append(cur)
                    cur = []
                blocks.append([(ln, line.strip())])
                continue
            cur.append((ln, line))
        if cur:
            blocks.append(cur)
        return blocks

    def parse_body(self, lines, first_line):
        top = []
        target = top
        open_columns: Optional[Columns] = None
        for group in self.split_blocks(lines, first_line):
            ln, first = group[0]
            s = first.strip()
            if s.startswith(":::"):
                m = DIRECTIVE_RE.match(s)
                if not m:
                    self.err(ln, f"malformed directive {s!r}")
                name = m.group(1)
                if name == "columns":
                    if open_columns:
                        self.err(ln, "'::: columns' inside another '::: columns' section")
                    open_columns = Columns(blocks=[], line=ln)
                    target = open_columns.blocks
                elif name == "":
                    if not open_columns:
                        self.err(ln, "':::' closes nothing (no open '::: columns')")
                    if not open_columns.blocks:
                        self.err(ln, "empty '::: columns' section")
                    top.append(open_columns)
                    open_columns = None
                    target = top
                elif name == "pagebreak":
                    if open_columns:
                        self.err(ln, "'::: pagebreak' inside a '::: columns' section")
                    top.append(PageBreak(line=ln))
                else:
                    self.err(ln, f"unknown directive '::: {name}' (expected 'columns', 'pagebreak' or ':::')")
                continue
            block = self.parse_block(group)
            if open_columns and isinstance(block, Table):
                self.err(ln, "tables are not supported inside '::: columns'")
            target.append(block)
        if open_columns:
            self.err(open_columns.line, "'::: columns' is never closed with ':::'")
        if not top:
            self.err(first_line, "document body is empty")
        return top

    def parse_block(self, group):
        ln, first = group[0]
        s = first.lstrip()
        if first != s:
            self.err(ln, "indented block (indentation is not part of the format)")
        if s.startswith("#"):
            m = re.match(r"^(#+)\s+(.*)$", s)
            if not m:
                self.err(ln, f"malformed heading {s!r}")
            level = len(m.group(1))
            if level > 2:
                self.err(ln, f"heading level {level} ('{m.group(1)}') is not supported (only '#' and '##')")
            if len(group) > 1:
                self.err(group[1][0], "a heading must be a block of its own (blank line missing after the heading?)")
            return Heading(level=level, inline=self.parse_inline(m.group(2), ln), line=ln)
        if s.startswith("- ") or s == "-":
            items = []
            for l2, t in group:
                if not t.startswith("- "):
                    self.err(l2, "every line of a bullet list must start with '- ' "
                                 "(list items are one line each; blank line missing after the list?)")
                items.append(self.parse_inline(t[2:], l2))
            return BulletList(items=items, line=ln)
        if s.startswith("|"):
            return self.parse_table(group)
        m = FNDEF_RE.match(s)
        if m:
            text = " ".join([m.group(2)] + [t.strip() for _, t in group[1:]])
            inline = self.parse_inline(text, ln)
            if refs_of(inline):
                self.err(ln, "footnote text contains a footnote reference")
            return FootnoteDef(label=m.group(1), inline=inline, line=ln)
        for l2, t in group:
            ts = t.strip()
            if l2 != ln and (ts.startswith("- ") or ts.startswith("#") or ts.startswith("|")
                             or FNDEF_RE.match(ts)):
                self.err(l2, f"line looks like a new block inside a paragraph ({ts[:30]!r}); "
                             "blocks must be separated by a blank line")
            if re.match(r"^(\* |\+ |> |\d+[.)] )", ts) and (l2 != ln or len(group) > 1):
                self.err(l2, f"Markdown construct outside the format subset: {ts[:30]!r}")
        if len(group) >= 1 and re.match(r"^(\* |\+ |> )", s):
            self.err(ln, f"Markdown construct outside the format subset: {s[:30]!r}")
        text = " ".join(t.strip() for _, t in group)
        return Paragraph(inline=self.parse_inline(text, ln), line=ln)

    def parse_table(self, group):
        ln = group[0][0]
        for l2, t in group:
            if not t.startswith("|"):
                self.err(l2, "every line of a table must start with '|'")
        if len(group) < 3:
            self.err(ln, "a table needs a header row, a '| --- |' separator row and at least one row")
        if not TABLE_SEP_RE.match(group[1][1].strip()):
            self.err(group[1][0], "second table line must be the '| --- | --- |' separator row")

        def cells(l2, t):
            t = t.strip()
            if not t.endswith("|"):
                self.err(l2, "table row must end with '|'")
            parts = t[1:-1].split("|")
            return [self.parse_inline(c.strip(), l2) if c.strip() else None for c in parts]

        header = cells(*group[0])
        ncol = len(header)
        sep_cols = len(group[1][1].strip().strip("|").split("|"))
        if sep_cols != ncol:
            self.err(group[1][0], f"separator row has {sep_cols} columns, header has {ncol}")
        if any(c is None for c in header):
            self.err(ln, "empty header cell")
        rows = [header]
        for l2, t in group[2:]:
            if TABLE_SEP_RE.match(t.strip()):
                self.err(l2, "second separator row in table")
            r = cells(l2, t)
            if len(r) != ncol:
                self.err(l2, f"table row has {len(r)} cells, header has {ncol}")
            rows.append([c if c is not None else [] for c in r])
        return Table(rows=rows, line=ln)

    def check_footnotes(self, doc):
        defs = {}
        for b in doc.all_blocks():
            if isinstance(b, FootnoteDef):
                if b.label in defs:
                    self.err(b.line, f"footnote [^{b.label}] defined twice (first at line {defs[b.label].line})")
                defs[b.label] = b
        used = {}
        for b in doc.all_blocks():
            for inl, line in inlines_of(b):
                for lab in refs_of(inl):
                    if lab not in defs:
                        self.err(line, f"footnote reference [^{lab}] has no '[^{lab}]:' definition")
                    if lab in used:
                        self.err(line, f"footnote [^{lab}] is referenced twice (also at line {used[lab]})")
                    used[lab] = line
        for lab, d in defs.items():
            if lab not in used:
                self.err(d.line, f"footnote [^{lab}] is defined but never referenced")
        doc.footnotes = defs


def inlines_of(block):
    """(inline, line) pairs of a block that can carry footnote references."""
    if isinstance(block, (Heading, Paragraph)):
        yield block.inline, block.line
    elif isinstance(block, BulletList):
        for k, it in enumerate(block.items):
            yield it, block.line + k
    elif isinstance(block, Table):
        for k, row in enumerate(block.rows):
            for c in row:
                yield c, block.line + (k if k == 0 else k + 1)


def parse_source(path: str, text: str) -> Document:
    return _Parser(path, text).parse()


def parse_file(path: str, display_path: Optional[str] = None) -> Document:
    with open(path, "rb") as f:
        data = f.read()
    shown = display_path or path
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise SourceError(shown, line, f"file is not valid UTF-8 ({e.reason})")
    doc = _Parser(shown, text).parse()
    return doc


def split_front(blocks):
    """Split the body into (cover, contents, rest).

    cover: the leading paragraphs (at most 8) before the first heading or page
    break: the title block. contents: a '# Contents' heading and what follows
    it up to the next heading or page break. rest: everything after, with
    leading page breaks dropped (the cover and contents get pages of their
    own anyway)."""
    i = 0
    cover = []
    while i < len(blocks) and isinstance(blocks[i], Paragraph):
        cover.append(blocks[i])
        i += 1
    if not cover or len(cover) > 8 or (i < len(blocks) and not isinstance(blocks[i], (Heading, PageBreak))):
        cover, i = [], 0
    j = i
    while j < len(blocks) and isinstance(blocks[j], PageBreak):
        j += 1
    contents = []
    if (j < len(blocks) and isinstance(blocks[j], Heading)
            and plain(blocks[j].inline).lower() in ("contents", "table of contents")):
        contents.append(blocks[j])
        j += 1
        while j < len(blocks) and not isinstance(blocks[j], (Heading, PageBreak)):
            contents.append(blocks[j])
            j += 1
        i = j
    if cover or contents:
        while i < len(blocks) and isinstance(blocks[i], PageBreak):
            i += 1
    return cover, contents, blocks[i:]
