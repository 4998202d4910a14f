"""PDF renderer: reportlab canvas with our own line breaking and pagination.

Layout happens in two stages:
1. every block becomes a list of *units* (a text line, a table row, a vertical
   gap, a page break, a two-column section) whose drawing operations are
   relative to the unit's top-left corner; line breaking, hyphenation and
   ligature substitution happen here;
2. a paginator places the units on pages (keep-with-next chains for headings,
   widow/orphan control, footnotes reserved at the page bottom, balanced two
   columns), then the pages are drawn with their running header and footer.
"""

import hashlib
import io
import math
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import List, Optional

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas

import hyphen
from source import (BulletList, Columns, Document, FootnoteDef, Heading,
                    PageBreak, Paragraph, Ref, ScanPage, Table, clean_text, plain,
                    split_front)

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
REG, BOLD = "DejaVuSans", "DejaVuSans-Bold"
_fonts_done = False


def register_fonts():
    global _fonts_done
    if not _fonts_done:
        pdfmetrics.registerFont(TTFont(REG, f"{FONT_DIR}/DejaVuSans.ttf"))
        pdfmetrics.registerFont(TTFont(BOLD, f"{FONT_DIR}/DejaVuSans-Bold.ttf"))
        _fonts_done = True


LIG = {"ffi": "\ufb03", "ffl": "\ufb04", "ff": "\ufb00", "fi": "\ufb01", "fl": "\ufb02"}
LIG_RE = re.compile("ffi|ffl|ff|fi|fl")
LIG_CHARS = set(LIG.values())


def ligate(s: str) -> str:
    return LIG_RE.sub(lambda m: LIG[m.group()], s)


BLACK = Color(0.1, 0.1, 0.1)
GREY = Color(0.45, 0.45, 0.45)
RULE = Color(0.6, 0.6, 0.6)
HEAD_BLUE = Color(0.09, 0.23, 0.42)
TABLE_HEAD_FILL = Color(0.86, 0.89, 0.93)

SUP_SCALE = 0.6
TARGET = 3            # wanted per PDF: hyphenated ends, compound breaks, spanning paragraphs
SUP_RISE = 0.38       # of the font size


@dataclass
class TStyle:
    font: str
    size: float
    leading: float
    color: Color = BLACK
    justify: bool = False
    hyphenate: bool = True
    lig: bool = True
    compound_fill: float = 0.8

    def tw(self, text):
        return pdfmetrics.stringWidth(ligate(text) if self.lig else text, self.font, self.size)

    @property
    def space(self):
        return pdfmetrics.stringWidth(" ", self.font, self.size)

    def seg_w(self, seg):
        kind, text = seg
        if kind == "t":
            return self.tw(text)
        return pdfmetrics.stringWidth(text, self.font, self.size * SUP_SCALE)

    def word_w(self, segs):
        return sum(self.seg_w(s) for s in segs)


# ---------------------------------------------------------------- line breaking

def words_of(inline):
    """Inline parts -> words; a word is a list of ('t', text) / ('r', label) segments."""
    words, cur = [], []
    for part in inline:
        if isinstance(part, Ref):
            cur.append(("r", part.label))
            continue
        for k, piece in enumerate(part.split(" ")):
            if k > 0 and cur:
                words.append(cur)
                cur = []
            if piece:
                cur.append(("t", piece))
    if cur:
        words.append(cur)
    return words


ALPHA_RUN = re.compile(r"[^\W\d_]+")


def break_options(segs, allow_syll=True):
    if not segs or segs[0][0] != "t":
        return []
    t, rest = segs[0][1], segs[1:]
    opts = []
    for k, ch in enumerate(t):
        if ch == "-" and 0 < k < len(t) - 1 and t[k - 1] != "-" and t[k + 1] != "-":
            left, right = t[:k], t[k + 1:]
            if sum(c.isalpha() for c in left) >= 2 and sum(c.isalpha() for c in right) >= 2:
                opts.append(([("t", t[:k + 1])], [("t", right)] + rest, "compound"))
    if allow_syll:
        for m in ALPHA_RUN.finditer(t):
            run = m.group()
            if len(run) >= 9:
                for p in hyphen.points(run):
                    idx = m.start() + p
                    opts.append(([("t", t[:idx] + "-")], [("t", t[idx:])] + rest, "syll"))
    return opts


@dataclass
class Line:
    words: list
    hy: Optional[str] = None     # 'syll' | 'compound' | None: how the line ends
    last: bool = False


def break_lines(words, width, st: TStyle):
    lines = []
    cur, cur_w = [], 0.0
    space = st.space
    queue = deque(words)
    consecutive = 0
    while queue:
        w = queue.popleft()
        ww = st.word_w(w)
        add = ww + (space if cur else 0)
        if cur_w + add <= width + 0.01:
            cur.append(w)
            cur_w += add
            continue
        avail = width - cur_w - (space if cur else 0)
        best = None
        if st.hyphenate:
            for head, tail, kind in break_options(w, allow_syll=consecutive < 2):
                hw = st.word_w(head)
                if hw <= avail + 0.01 and (best is None or hw > best[0]):
                    best = (hw, head, tail, kind)
        if st.hyphenate and cur and (best is None or best[3] != "compound"):
            # Prefer ending the line after the hyphen of a compound already on
            # it ('multi-' / 'agency') if the line stays reasonably full.
            lb, start = None, 0.0
            for k, cw in enumerate(cur):
                for head, tail, kind in break_options(cw, allow_syll=False):
                    if start + st.word_w(head) >= st.compound_fill * width:
                        lb = (k, head, tail)
                start += st.word_w(cw) + space
            if lb:
                k, head, tail = lb
                queue.appendleft(w)
                for rest in reversed([tail] + cur[k + 1:]):
                    queue.appendleft(rest)
                lines.append(Line(cur[:k] + [head], hy="compound"))
                consecutive = 0
                cur, cur_w = [], 0.0
                continue
        if best:
            cur.append(best[1])
            lines.append(Line(cur, hy=best[3]))
            consecutive = consecutive + 1 if best[3] == "syll" else 0
            cur, cur_w = [], 0.0
            queue.appendleft(best[2])
            continue
        if not cur:
            # a single word wider than the line (a URL, say): cut it anywhere
            segs = w
            text = segs[0][1] if segs[0][0] == "t" else ""
            n = len(text)
            while n > 1 and st.tw(text[:n]) > width:
                n -= 1
            if n >= len(text) or n < 1:
                lines.append(Line([w]))
            else:
                lines.append(Line([[("t", text[:n])]]))
                queue.appendleft([("t", text[n:])] + segs[1:])
            continue
        lines.append(Line(cur))
        consecutive = 0
        cur, cur_w = [], 0.0
        queue.appendleft(w)
    if cur:
        lines.append(Line(cur))
    if lines:
        lines[-1].last = True
    return lines


def line_ops(line: Line, width, st: TStyle, dx=0.0, baseline=0.0):
    """Drawing ops of one line, relative to (frame left, unit top)."""
    ops = []
    ws = [st.word_w(w) for w in line.words]
    space = st.space
    natural = sum(ws) + space * (len(ws) - 1)
    gap = space
    if st.justify and not line.last and len(ws) > 1:
        gap = space + (width - natural) / (len(ws) - 1)
    x = dx
    for k, (w, wwid) in enumerate(zip(line.words, ws)):
        xx = x
        for j, seg in enumerate(w):
            trail = " " if (k < len(ws) - 1 and j == len(w) - 1) else ""
            if seg[0] == "t":
                txt = ligate(seg[1]) if st.lig else seg[1]
                ops.append(("text", xx, baseline, st.font, st.size, txt + trail, st.color))
            else:
                ops.append(("text", xx, baseline - st.size * SUP_RISE, st.font,
                            st.size * SUP_SCALE, seg[1] + trail, st.color))
            xx += st.seg_w(seg)
        x += wwid + gap
    if line.hy:
        ops.append(("stat", line.hy))
    return ops


def line_refs(line: Line):
    return [s[1] for w in line.words for s in w if s[0] == "r"]


# ---------------------------------------------------------------- units

@dataclass
class Unit:
    kind: str                 # line | row | gap | pagebreak | columns | scan
    h: float = 0.0
    ops: list = field(default_factory=list)
    fns: list = field(default_factory=list)
    keep: bool = False        # keep with the next non-gap unit
    para: Optional[int] = None
    heading: Optional[tuple] = None   # (level, text) for the contents page
    sub: Optional[list] = None        # for 'columns'
    seed: int = 0                     # for 'scan'


@dataclass
class Geometry:
    pagesize: tuple = A4
    margin_l: float = 70.0
    margin_r: float = 70.0
    body_top_gap: float = 74.0     # from the top edge to the top of the body frame
    body_bottom: float = 66.0      # y of the bottom of the body frame (above footer)
    body_size: float = 10.5
    leading_factor: float = 1.36
    justify: bool = True
    col_gap: float = 20.0
    compound_fill: float = 0.8     # see break_lines

    @property
    def W(self):
        return self.pagesize[0]

    @property
    def H(self):
        return self.pagesize[1]

    @property
    def width(self):
        return self.W - self.margin_l - self.margin_r

    @property
    def top(self):
        return self.H - self.body_top_gap


class Styles:
    def __init__(self, g: Geometry):
        s = g.body_size
        lead = round(s * g.leading_factor, 2)
        self.body = TStyle(REG, s, lead, justify=g.justify, compound_fill=g.compound_fill)
        self.h1 = TStyle(BOLD, s + 3.5, round((s + 3.5) * 1.3, 2), HEAD_BLUE, hyphenate=False)
        self.h2 = TStyle(BOLD, s + 1.0, round((s + 1.0) * 1.32, 2), HEAD_BLUE, hyphenate=False)
        self.cell = TStyle(REG, s - 1.5, round((s - 1.5) * 1.3, 2))
        self.cell_head = TStyle(BOLD, s - 1.5, round((s - 1.5) * 1.3, 2))
        self.fn = TStyle(REG, s - 2.5, round((s - 2.5) * 1.25, 2), justify=g.justify,
                         compound_fill=g.compound_fill)
        self.gap_para = round(s * 0.65, 2)
        self.gap_item = round(s * 0.25, 2)


class UnitBuilder:
    def __init__(self, doc: Document, g: Geometry, st: Styles):
        self.doc, self.g, self.st = doc, g, st
        self.para_seq = 0
        self.para_kind = {}

    def new_para(self, kind):
        self.para_seq += 1
        self.para_kind[self.para_seq] = kind
        return self.para_seq

    def text_units(self, inline, width, st: TStyle, indent=0.0, kind="paragraph", bullet=False):
        lines = break_lines(words_of(inline), width - indent, st)
        pid = self.new_para(kind)
        units = []
        for k, ln in enumerate(lines):
            base = round(st.leading * 0.78, 2)
            ops = line_ops(ln, width - indent, st, dx=indent, baseline=base)
            if bullet and k == 0:
                ops.insert(0, ("text", indent - 12.5, base, st.font, st.size, "\u2022", st.color))
            units.append(Unit("line", st.leading, ops, line_refs(ln), para=pid))
        n = len(units)
        if n >= 2:
            units[0].keep = True          # orphan control
            units[n - 2].keep = True      # widow control
        return units

    def build(self, blocks, width):
        st = self.st
        out: List[Unit] = []
        for b in blocks:
            if isinstance(b, Heading):
                hs = st.h1 if b.level == 1 else st.h2
                out.append(Unit("gap", st.body.size * (1.45 if b.level == 1 else 0.95)))
                us = self.text_units(b.inline, width, hs, kind="heading")
                for u in us:
                    u.keep = True
                us[0].heading = (b.level, plain(b.inline))
                out.extend(us)
                out.append(Unit("gap", st.body.size * (0.5 if b.level == 1 else 0.35)))
            elif isinstance(b, Paragraph):
                out.extend(self.text_units(b.inline, width, st.body))
                out.append(Unit("gap", st.gap_para))
            elif isinstance(b, BulletList):
                for k, it in enumerate(b.items):
                    out.extend(self.text_units(it, width, st.body, indent=18.0,
                                               kind="list_item", bullet=True))
                    out.append(Unit("gap", st.gap_item if k < len(b.items) - 1 else st.gap_para))
            elif isinstance(b, Table):
                out.append(Unit("gap", st.gap_item * 2))
                out.extend(self.table_units(b, width))
                out.append(Unit("gap", st.gap_para * 1.6))
            elif isinstance(b, FootnoteDef):
                pass
            elif isinstance(b, PageBreak):
                out.append(Unit("pagebreak"))
            elif isinstance(b, Columns):
                cw = (width - self.g.col_gap) / 2
                out.append(Unit("columns", sub=self.build(b.blocks, cw)))
            elif isinstance(b, ScanPage):
                out.append(Unit("scan", seed=b.seed))
            else:
                raise TypeError(b)
        return out

    def table_units(self, t: Table, width):
        st = self.st
        pad = 4.0
        ncol = len(t.rows[0])
        nat = [0.0] * ncol
        mn = [0.0] * ncol
        for r, row in enumerate(t.rows):
            ts = st.cell_head if r == 0 else st.cell
            for c, cell in enumerate(row):
                ws = words_of(cell)
                full = sum(ts.word_w(w) for w in ws) + ts.space * max(0, len(ws) - 1)
                nat[c] = max(nat[c], full + 2 * pad)
                longest = max([ts.word_w(w) for w in ws] or [0])
                mn[c] = max(mn[c], min(longest, 90) + 2 * pad)
        if sum(nat) <= width:
            widths = [n * width / sum(nat) for n in nat]
        else:
            base = sum(mn)
            if base >= width:
                widths = [m * width / base for m in mn]
            else:
                extra = [max(0.0, n - m) for n, m in zip(nat, mn)]
                tot = sum(extra) or 1.0
                widths = [m + (width - base) * e / tot for m, e in zip(mn, extra)]
        units = []
        for r, row in enumerate(t.rows):
            ts = st.cell_head if r == 0 else st.cell
            cells = []
            for c, cell in enumerate(row):
                lines = break_lines(words_of(cell), widths[c] - 2 * pad, ts) if cell else []
                cells.append(lines)
            nlines = max([len(ls) for ls in cells] + [1])
            h = nlines * ts.leading + 2 * pad
            ops = []
            if r == 0:
                ops.append(("rect", 0.0, 0.0, width, h, TABLE_HEAD_FILL, None))
            x = 0.0
            refs = []
            for c, lines in enumerate(cells):
                ops.append(("rect", x, 0.0, widths[c], h, None, RULE))
                for k, ln in enumerate(lines):
                    ops.extend(line_ops(ln, widths[c] - 2 * pad, ts, dx=x + pad,
                                        baseline=pad + k * ts.leading + ts.leading * 0.78))
                    refs.extend(line_refs(ln))
                x += widths[c]
            units.append(Unit("row", h, ops, refs, keep=(r == 0)))
        return units


# ---------------------------------------------------------------- footnotes

class Footnotes:
    def __init__(self, doc: Document, g: Geometry, st: Styles):
        self.st = st
        self.g = g
        self.indent = 11.0
        self.lines = {}
        for lab, d in doc.footnotes.items():
            self.lines[lab] = break_lines(words_of(d.inline), g.width - self.indent, st.fn)
        self.sep = 13.0
        self.between = 2.0

    def height(self, labels):
        if not labels:
            return 0.0
        return (self.sep + sum(len(self.lines[l]) * self.st.fn.leading for l in labels)
                + self.between * (len(labels) - 1))

    def ops(self, labels, x0, y_top):
        """Absolute drawing ops for the footnote area whose top is y_top."""
        st = self.st.fn
        ops = [("aline", x0, y_top - 4.0, x0 + 130.0, y_top - 4.0, 0.5, RULE)]
        y = y_top - self.sep
        for lab in labels:
            base = st.leading * 0.78
            ops.append(("atext", x0, y - base + st.size * 0.35, st.font, st.size * 0.72, lab, st.color))
            for ln in self.lines[lab]:
                for op in line_ops(ln, self.g.width - self.indent, st, dx=self.indent, baseline=base):
                    if op[0] == "text":
                        ops.append(("atext", x0 + op[1], y - op[2]) + op[3:])
                    else:
                        ops.append(op)
                y -= st.leading
            y -= self.between
        return ops


# ---------------------------------------------------------------- pagination

@dataclass
class Page:
    kind: str = "body"        # cover | contents | body | scan
    ops: list = field(default_factory=list)
    fns: list = field(default_factory=list)
    low: float = 1e9
    headings: list = field(default_factory=list)
    seed: int = 0


EPS = 0.01


class Paginator:
    def __init__(self, g: Geometry, fn: Footnotes):
        self.g, self.fn = g, fn
        self.pages: List[Page] = []
        self.para_pages = {}
        self.new_page()

    def new_page(self):
        self.page = Page(low=self.g.top)
        self.pages.append(self.page)
        self.y = self.g.top

    def empty(self):
        return not self.page.ops and self.page.kind == "body"

    def fn_top(self, labels):
        return self.g.body_bottom + self.fn.height(labels)

    def chain(self, units, i):
        h, fns = 0.0, []
        j = i
        while j < len(units):
            u = units[j]
            if u.kind == "gap":
                h += u.h
                j += 1
                continue
            if u.kind not in ("line", "row"):
                break
            h += u.h
            fns.extend(u.fns)
            if not u.keep:
                break
            j += 1
        return h, fns

    def fill(self, units, i, x, y, floor, at_top, fns, low, commit):
        """Place units[i:] in a frame at x from y down to floor.

        Returns (next index, y, status, fns, low, forced); status is 'end',
        'full' or 'special' (a unit the caller must handle)."""
        fns = list(fns)
        forced = False
        n = len(units)
        while i < n:
            u = units[i]
            if u.kind == "gap":
                if at_top:
                    i += 1
                    continue
                if y - u.h < max(floor, self.fn_top(fns)) - EPS:
                    return i + 1, y, "full", fns, low, forced
                y -= u.h
                i += 1
                continue
            if u.kind not in ("line", "row"):
                return i, y, "special", fns, low, forced
            ch_h, ch_fns = self.chain(units, i)
            new = fns + [f for f in ch_fns if f not in fns]
            top = self.fn_top(new)
            ok = (y - ch_h >= floor - EPS and y - ch_h >= top - EPS and top <= low + EPS)
            if not ok:
                new1 = fns + [f for f in u.fns if f not in fns]
                top1 = self.fn_top(new1)
                if not at_top:
                    return i, y, "full", fns, low, forced
                if not (y - u.h >= floor - EPS and y - u.h >= top1 - EPS and top1 <= low + EPS):
                    forced = True
            if commit:
                for op in u.ops:
                    if op[0] == "text":
                        self.page.ops.append(("atext", x + op[1], y - op[2]) + op[3:])
                    elif op[0] == "rect":
                        self.page.ops.append(("arect", x + op[1], y - op[2] - op[4], op[3], op[4], op[5], op[6]))
                    else:
                        self.page.ops.append(op)
                if u.heading:
                    self.page.headings.append(u.heading)
                if u.para is not None:
                    self.para_pages.setdefault(u.para, set()).add(len(self.pages) - 1)
            fns = fns + [f for f in u.fns if f not in fns]
            y -= u.h
            low = min(low, y)
            at_top = False
            i += 1
        return i, y, "end", fns, low, forced

    def commit_state(self, fns, low):
        self.page.fns = fns
        self.page.low = low

    def flow(self, units):
        i = 0
        while i < len(units):
            u = units[i]
            if u.kind == "pagebreak":
                if not self.empty():
                    self.new_page()
                i += 1
                continue
            if u.kind == "scan":
                if not self.empty():
                    self.new_page()
                self.page.kind = "scan"
                self.page.seed = u.seed
                self.new_page()
                i += 1
                continue
            if u.kind == "columns":
                self.columns(u.sub)
                i += 1
                continue
            j, y, status, fns, low, _ = self.fill(units, i, self.g.margin_l, self.y, self.g.body_bottom,
                                                  self.empty(), self.page.fns, self.page.low, True)
            self.commit_state(fns, low)
            self.y = y
            i = j
            if status == "full":
                self.new_page()
        if self.empty() and len(self.pages) > 1:
            self.pages.pop()

    def columns(self, sub):
        g = self.g
        cw = (g.width - g.col_gap) / 2
        xl, xr = g.margin_l, g.margin_l + cw + g.col_gap
        i = 0
        while i < len(sub):
            y0 = self.y
            at_top = self.empty()
            rem = sub[i:]
            all_fns = self.page.fns + [f for u in rem for f in u.fns if f not in self.page.fns]
            avail = y0 - self.fn_top(all_fns)
            total = sum(u.h for u in rem if u.kind != "gap") + sum(u.h for u in rem if u.kind == "gap")
            if total <= 2 * avail + 40:
                h = max(1.0, math.floor(total / 2))
                while h <= avail:
                    a = self.fill(sub, i, xl, y0, y0 - h, True, self.page.fns, self.page.low, False)
                    if a[2] == "end" and not a[5]:
                        b = (len(sub), y0, "end", a[3], a[4], False)
                    else:
                        b = self.fill(sub, a[0], xr, y0, y0 - h, True, a[3], a[4], False)
                    if b[2] == "end" and not a[5] and not b[5]:
                        a = self.fill(sub, i, xl, y0, y0 - h, True, self.page.fns, self.page.low, True)
                        self.commit_state(a[3], a[4])
                        yr = y0
                        if a[0] < len(sub):
                            b = self.fill(sub, a[0], xr, y0, y0 - h, True, a[3], a[4], True)
                            self.commit_state(b[3], b[4])
                            yr = b[1]
                        self.y = min(a[1], yr) - 2.0
                        return
                    h += 1.0
            a = self.fill(sub, i, xl, y0, g.body_bottom, at_top, self.page.fns, self.page.low, True)
            self.commit_state(a[3], a[4])
            if a[0] == i:
                self.new_page()
                continue
            b = self.fill(sub, a[0], xr, y0, g.body_bottom, True, a[3], a[4], True)
            self.commit_state(b[3], b[4])
            i = b[0]
            self.y = min(a[1], b[1]) - 2.0
            if i < len(sub):
                self.new_page()


# ---------------------------------------------------------------- document

@dataclass
class PdfOptions:
    header_left: str = ""
    header_right: str = ""
    classification: str = "OFFICIAL"
    title: str = ""
    author: str = ""
    subject: str = ""
    band_seed: str = ""
    encrypt: object = None          # reportlab StandardEncryption (fixtures)


@dataclass
class Layout:
    pages: list
    stats: dict
    geometry: Geometry


def layout(doc: Document, blocks, g: Geometry) -> Layout:
    register_fonts()
    st = Styles(g)
    ub = UnitBuilder(doc, g, st)
    units = ub.build(blocks, g.width)
    fn = Footnotes(doc, g, st)
    pg = Paginator(g, fn)
    pg.flow(units)
    # footnote ops are added to their pages now (they sit above the footer)
    for p in pg.pages:
        if p.fns:
            top = g.body_bottom + fn.height(p.fns)
            p.ops.extend(fn.ops(p.fns, g.margin_l, top))
    stats = Counter()
    for p in pg.pages:
        for op in p.ops:
            if op[0] == "stat":
                stats[op[1]] += 1
            elif op[0] == "atext":
                stats["ligatures"] += sum(1 for ch in op[5] if ch in LIG_CHARS)
    stats["spanning_paragraphs"] = sum(
        1 for pid, ps in pg.para_pages.items() if len(ps) > 1 and ub.para_kind[pid] == "paragraph")
    stats["spanning_blocks"] = sum(1 for ps in pg.para_pages.values() if len(ps) > 1)
    stats["body_pages"] = len(pg.pages)
    return Layout(pg.pages, dict(stats), g)


def _roman(n):
    vals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


def draw_ops(c, ops, counter=None):
    for op in ops:
        k = op[0]
        if k == "atext":
            _, x, y, font, size, text, color = op
            c.setFillColor(color)
            c.setFont(font, size)
            c.drawString(x, y, text)
        elif k == "arect":
            _, x, y, w, h, fill, stroke = op
            if fill is not None:
                c.setFillColor(fill)
            if stroke is not None:
                c.setStrokeColor(stroke)
                c.setLineWidth(0.5)
            c.rect(x, y, w, h, stroke=1 if stroke is not None else 0, fill=1 if fill is not None else 0)
        elif k == "aline":
            _, x1, y1, x2, y2, lw, color = op
            c.setStrokeColor(color)
            c.setLineWidth(lw)
            c.line(x1, y1, x2, y2)
        elif k == "stat":
            pass
        else:
            raise ValueError(op)


def scan_image(seed, w_px, h_px):
    """A greyscale 'scanned page': dark blobs in lines that look like print."""
    import random
    from PIL import Image, ImageDraw
    rng = random.Random(seed)
    img = Image.new("L", (w_px, h_px), 246)
    d = ImageDraw.Draw(img)
    m = int(w_px * 0.11)
    y = int(h_px * 0.06)
    d.rectangle([m, y, m + int(w_px * 0.3), y + 5], fill=150)      # header text
    y = int(h_px * 0.11)
    while y < h_px * 0.88:
        if rng.random() < 0.12:
            y += 14
            d.rectangle([m, y, m + rng.randint(120, 260), y + 11], fill=40)   # heading
            y += 26
            continue
        nlines = rng.randint(3, 9)
        for k in range(nlines):
            x = m
            end = w_px - m if k < nlines - 1 else rng.randint(m + 80, w_px - m)
            while x < end - 20:
                wl = rng.randint(8, 46)
                if x + wl > end:
                    break
                d.rectangle([x, y, x + wl, y + 7], fill=rng.randint(30, 80))
                x += wl + rng.randint(5, 8)
            y += 14
        y += 9
    d.rectangle([w_px // 2 - 30, h_px - 40, w_px // 2 + 30, h_px - 34], fill=120)  # page no.
    return img


def render_pdf(doc: Document, opts: PdfOptions, geometries):
    """Lay the body out with each candidate geometry in turn and keep the
    first whose layout has enough hyphenated breaks and page-spanning
    paragraphs (the best one if none has). Returns (pdf bytes, stats)."""
    cover, contents, body = split_front(doc.blocks)
    best = None
    for g in geometries:
        lay = layout(doc, body, g)
        s = lay.stats
        score = (min(s.get("syll", 0), TARGET) + min(s.get("compound", 0), TARGET)
                 + min(s.get("spanning_paragraphs", 0), TARGET))
        if best is None or score > best[0]:
            best = (score, lay)
        if score >= 3 * TARGET:
            break
    lay = best[1]
    data, stats = draw(doc, opts, lay, cover, contents)
    for k, v in lay.stats.items():
        stats[k] = stats.get(k, 0) + v
    return data, stats


def draw(doc: Document, opts: PdfOptions, lay: Layout, cover, contents):
    g = lay.geometry
    st = Styles(g)
    stats = Counter()
    buf = io.BytesIO()
    c = rl_canvas.Canvas(buf, pagesize=g.pagesize, invariant=1, pageCompression=1, initialFontName=REG,
                         encrypt=opts.encrypt)
    c.setTitle(opts.title)
    c.setAuthor(opts.author)
    c.setSubject(opts.subject)
    c.setCreator("Sightline sample-corpus renderer")
    first_body = 0
    nbody = len(lay.pages)
    if cover:
        draw_cover(c, doc, g, cover, opts, stats)
        c.showPage()
        c.addPageLabel(0, prefix="Cover")
        first_body += 1
    if contents:
        draw_contents(c, lay, g, st, contents, stats)
        c.showPage()
        c.addPageLabel(first_body, style="ROMAN_LOWER", start=1)
        first_body += 1
    c.addPageLabel(first_body, style="ARABIC", start=1)
    for k, p in enumerate(lay.pages):
        if p.kind == "scan":
            from reportlab.lib.utils import ImageReader
            img = scan_image(p.seed, int(g.W * 1.4), int(g.H * 1.4))
            c.drawImage(ImageReader(img), 0, 0, g.W, g.H)
            c.showPage()
            continue
        draw_header(c, g, opts)
        draw_ops(c, p.ops)
        draw_footer(c, g, opts, k + 1, nbody)
        c.showPage()
    c.save()
    stats["pages"] = first_body + nbody
    return buf.getvalue(), stats


def draw_header(c, g, opts):
    if not (opts.header_left or opts.header_right):
        return
    y = g.H - 40
    c.setFont(REG, 7.5)
    c.setFillColor(GREY)
    c.drawString(g.margin_l, y, opts.header_left)
    c.drawRightString(g.W - g.margin_r, y, opts.header_right)
    c.setStrokeColor(RULE)
    c.setLineWidth(0.4)
    c.line(g.margin_l, y - 5, g.W - g.margin_r, y - 5)


def draw_footer(c, g, opts, n, m):
    c.setFont(REG, 8)
    c.setFillColor(GREY)
    c.drawRightString(g.W - g.margin_r, 38, f"Page {n} of {m}")
    if opts.classification:
        c.setFont(BOLD, 7.5)
        c.drawString(g.margin_l, 38, opts.classification)


def wrap_simple(text, font, size, width):
    words = text.split(" ")
    lines, cur = [], ""
    for w in words:
        t = (cur + " " + w) if cur else w
        if pdfmetrics.stringWidth(ligate(t), font, size) <= width or not cur:
            cur = t
        else:
            lines.append(cur)
            cur = w
    if cur:
        lines.append(cur)
    return lines


def _lig_count(s):
    return sum(1 for ch in s if ch in LIG_CHARS)


def draw_cover(c, doc, g, cover, opts, stats):
    """The title block: the cover paragraphs of the source, top to bottom.
    The one matching the partnership goes in a coloured band with a drawn
    logo (if it comes first), the one matching the title is set large."""
    meta = doc.meta
    h = hashlib.sha1((opts.band_seed or meta["id"]).encode()).digest()
    band = Color(0.08 + h[0] / 2550, 0.25 + h[1] / 1275, 0.38 + h[2] / 1275)
    c.setFillColor(band)
    c.rect(0, g.H - 150, g.W, 150, stroke=0, fill=1)
    white = Color(1, 1, 1)
    c.setFillColor(white)
    cx, cy = g.margin_l + 26, g.H - 62
    c.circle(cx, cy, 24, stroke=0, fill=1)
    c.setFillColor(band)
    c.circle(cx, cy, 15, stroke=0, fill=1)
    c.setFillColor(white)
    c.rect(cx + 36, cy + 4, 120, 6, stroke=0, fill=1)
    title = clean_text(meta["title"])
    partnership = clean_text(meta["partnership"])
    texts = [plain(b.inline) for b in cover]
    title_idx = texts.index(title) if title in texts else next(
        (k for k, t in enumerate(texts) if t != partnership), 0)
    y = g.H - 250
    for k, t in enumerate(texts):
        if k == 0 and t == partnership:
            c.setFillColor(white)
            c.setFont(BOLD, 14)
            lines = wrap_simple(t, BOLD, 14, g.width)
            yy = g.H - 112
            for ln in lines:
                c.drawString(g.margin_l, yy, ligate(ln))
                stats["ligatures"] += _lig_count(ligate(ln))
                yy -= 18
            continue
        if k == title_idx:
            font, size, lead, color, after = BOLD, 24, 31, HEAD_BLUE, 22
        elif k < title_idx:
            font, size, lead, color, after = REG, 14, 19, BLACK, 14
        else:
            font, size, lead, color, after = REG, 12, 16, GREY, 6
        c.setFillColor(color)
        c.setFont(font, size)
        for ln in wrap_simple(t, font, size, g.width):
            c.drawString(g.margin_l, y, ligate(ln))
            stats["ligatures"] += _lig_count(ligate(ln))
            y -= lead
        y -= after
    c.setStrokeColor(band)
    c.setLineWidth(3)
    c.line(g.margin_l, 110, g.W - g.margin_r, 110)


def _norm(s):
    return re.sub(r"\s+", " ", s).strip().lower()


def draw_contents(c, lay, g, st, contents, stats):
    """The source's contents section on its own page; list items become
    contents lines with dot leaders and the printed page number of the
    heading they name (when there is one)."""
    pages_of = {}
    for k, p in enumerate(lay.pages):
        for level, text in p.headings:
            pages_of.setdefault(_norm(text), (k + 1, level))
    by_number = {}
    for key, v in pages_of.items():
        m = re.match(r"^(\d+(\.\d+)*)\.?\s", key)
        if m:
            by_number.setdefault(m.group(1), v)
    y = g.top - 10
    right = g.W - g.margin_r
    for b in contents:
        if isinstance(b, Heading):
            c.setFillColor(HEAD_BLUE)
            c.setFont(BOLD, 16)
            t = plain(b.inline)
            c.drawString(g.margin_l, y, ligate(t))
            stats["ligatures"] += _lig_count(ligate(t))
            y -= 34
        elif isinstance(b, Paragraph):
            c.setFillColor(BLACK)
            for ln in wrap_simple(plain(b.inline), REG, 10.5, g.width):
                c.setFont(REG, 10.5)
                c.drawString(g.margin_l, y, ligate(ln))
                y -= 14
            y -= 6
        elif isinstance(b, BulletList):
            n = len(b.items)
            lead = min(20.0, max(11.0, (y - 90) / max(1, n)))
            for it in b.items:
                t = plain(it)
                hit = pages_of.get(_norm(t))
                if hit is None:
                    m = re.match(r"^(\d+(\.\d+)*)\.?\s", t)
                    hit = by_number.get(m.group(1)) if m else None
                sub = bool(re.match(r"^\d+\.\d+", t))
                font = REG if sub else BOLD
                size = 10.0 if sub else 10.5
                x = g.margin_l + (18 if sub else 0)
                num_s = str(hit[0]) if hit else ""
                avail = right - x - 40
                lines = wrap_simple(t, font, size, avail)
                c.setFillColor(BLACK)
                c.setFont(font, size)
                for ln in lines[:-1]:
                    c.drawString(x, y, ligate(ln))
                    y -= size * 1.3
                last = ligate(lines[-1])
                c.drawString(x, y, last)
                stats["ligatures"] += _lig_count(ligate(t))
                if num_s:
                    c.drawRightString(right, y, num_s)
                    x_end = x + pdfmetrics.stringWidth(last, font, size) + 6
                    x_stop = right - pdfmetrics.stringWidth(num_s, font, size) - 6
                    unit = pdfmetrics.stringWidth(".", REG, size)
                    ndots = int((x_stop - x_end) / unit)
                    if ndots > 2:
                        # one run of dots, as Word's dot-leader tab exports
                        c.setFont(REG, size)
                        c.setFillColor(GREY)
                        c.drawRightString(x_stop, y, "." * ndots)
                y -= lead
            y -= 6
        else:
            raise ValueError(f"{type(b).__name__} is not supported in the contents section")
    c.setFont(REG, 8)
    c.setFillColor(GREY)
    c.drawCentredString(g.W / 2, 38, _roman(1))


def geometry_variants(doc: Document, pagesize=A4):
    """Candidate page geometries, most typical first. The renderer keeps the
    first that gives enough hyphenated line ends, compound breaks and
    paragraphs running over a page break (render_pdf)."""
    h = int(hashlib.sha1(doc.meta["id"].encode()).hexdigest()[:4], 16)
    justify = h % 3 != 0
    out = []
    for lead in (1.36, 1.45, 1.55, 1.65, 1.75):
        for fill in (0.8, 0.74, 0.68):
            for size in (10.5, 10.75, 10.25, 11.0):
                for margin in (70, 66, 74, 62, 78):
                    out.append(Geometry(pagesize=pagesize, margin_l=margin, margin_r=margin,
                                        body_size=size, leading_factor=lead, justify=justify,
                                        compound_fill=fill))
    return out


def render(doc: Document):
    meta = doc.meta
    opts = PdfOptions(header_left=clean_text(meta["partnership"]),
                      header_right=clean_text(meta["short_title"]),
                      title=clean_text(meta["title"]), author=clean_text(meta["partnership"]),
                      subject=f"{meta['review_type']} published {meta['year']}")
    return render_pdf(doc, opts, geometry_variants(doc))
