"""DOCX renderer: a WordprocessingML package written with zipfile.

Parts: [Content_Types].xml, _rels/.rels, docProps/core.xml (dc:title),
docProps/app.xml, word/document.xml, word/styles.xml (Title, Heading1,
Heading2, ListParagraph, FootnoteText, TableGrid ...), word/numbering.xml
(a Symbol-font bullet, as Word writes it), word/footnotes.xml (separator
footnotes plus one real footnote per [^n]), word/settings.xml,
word/header1.xml and word/footer1.xml (running header, 'Page N of M' fields:
not document text), word/_rels/document.xml.rels.

Word-like noise the extractor must cope with: paragraph text split over
several w:r runs (sometimes in the middle of a word) with bold/italic runs,
w:proofErr and w:bookmarkStart/End elements, xml:space="preserve" on runs
with edge spaces, an empty paragraph holding the page break after the title
block, and a page break run for '::: pagebreak'. The cover paragraphs that
match the front matter's title and partnership get the Title and Subtitle
styles (they are still paragraphs in the truth).
"""

import hashlib
import io
import random
import zipfile
from xml.sax.saxutils import escape

from source import (BulletList, Columns, Document, FootnoteDef, Heading,
                    PageBreak, Paragraph, Ref, ScanPage, Table, clean_text,
                    plain, split_front)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ZIP_DATE = (2024, 1, 1, 0, 0, 0)
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def x(s):
    return escape(s, {'"': "&quot;"})


def t_elem(text):
    sp = ' xml:space="preserve"' if (text[:1].isspace() or text[-1:].isspace()) else ""
    return f"<w:t{sp}>{x(text)}</w:t>"


def run(text, bold=False, italic=False):
    rpr = ""
    if bold or italic:
        rpr = "<w:rPr>" + ("<w:b/><w:bCs/>" if bold else "") + ("<w:i/><w:iCs/>" if italic else "") + "</w:rPr>"
    return f"<w:r>{rpr}{t_elem(text)}</w:r>"


class DocxWriter:
    def __init__(self, doc: Document):
        self.doc = doc
        seed = int(hashlib.sha1(doc.meta["id"].encode()).hexdigest()[:8], 16)
        self.rng = random.Random(seed)
        self.fn_ids = {}           # label -> w:id
        self.bookmark = 0
        self.body = []

    def runs(self, inline, split=True):
        """Runs for an inline; text pieces are split into several runs."""
        out = []
        for p in inline:
            if isinstance(p, Ref):
                fid = self.fn_ids.setdefault(p.label, len(self.fn_ids) + 1)
                out.append('<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                           f'<w:footnoteReference w:id="{fid}"/></w:r>')
                continue
            if not split or len(p) < 40:
                out.append(run(p))
                continue
            # cut points: mostly at spaces, sometimes inside a word
            n = self.rng.choice([1, 1, 2, 3])
            cuts = sorted(set(self.rng.randrange(5, len(p) - 5) for _ in range(n)))
            pieces, last = [], 0
            for cpos in cuts:
                if self.rng.random() < 0.7:
                    sp = p.find(" ", cpos)
                    if sp == -1 or sp >= len(p) - 1:
                        continue
                    cpos = sp + (1 if self.rng.random() < 0.5 else 0)
                if cpos <= last:
                    continue
                pieces.append(p[last:cpos])
                last = cpos
            pieces.append(p[last:])
            for k, piece in enumerate(pieces):
                if not piece:
                    continue
                style = self.rng.random()
                bold = 0 < k and style < 0.08
                italic = 0 < k and 0.08 <= style < 0.16
                if self.rng.random() < 0.1:
                    out.append('<w:proofErr w:type="spellStart"/>')
                    out.append(run(piece, bold, italic))
                    out.append('<w:proofErr w:type="spellEnd"/>')
                else:
                    out.append(run(piece, bold, italic))
        return "".join(out)

    def para(self, inner, style=None, extra_ppr=""):
        ppr = ""
        if style or extra_ppr:
            ppr = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "") + extra_ppr + "</w:pPr>"
        return f"<w:p>{ppr}{inner}</w:p>"

    def build(self):
        doc = self.doc
        cover, _, _ = split_front(doc.blocks)
        self.cover_style = {}
        title = clean_text(doc.meta.get("title", ""))
        partnership = clean_text(doc.meta.get("partnership", ""))
        for b in cover:
            t = plain(b.inline)
            self.cover_style[id(b)] = ("Title" if t == title else
                                       "Subtitle" if t == partnership else None)
        self.last_cover = cover[-1] if cover else None
        self.walk(doc.blocks)

    def walk(self, blocks):
        B = self.body
        for b in blocks:
            if isinstance(b, Heading):
                self.bookmark += 1
                name = f"_Toc{self.bookmark:09d}"
                B.append(self.para(f'<w:bookmarkStart w:id="{self.bookmark}" w:name="{name}"/>'
                                   + self.runs(b.inline, split=False)
                                   + f'<w:bookmarkEnd w:id="{self.bookmark}"/>',
                                   f"Heading{b.level}"))
            elif isinstance(b, Paragraph):
                if id(b) in self.cover_style:
                    B.append(self.para(self.runs(b.inline, split=False), self.cover_style[id(b)]))
                    if b is self.last_cover:
                        # Word users end a cover with an empty paragraph holding a page break
                        B.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
                else:
                    B.append(self.para(self.runs(b.inline)))
            elif isinstance(b, BulletList):
                for it in b.items:
                    B.append(self.para(self.runs(it), "ListParagraph",
                                       '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'))
            elif isinstance(b, Table):
                B.append(self.table(b))
                B.append(self.para(""))
            elif isinstance(b, FootnoteDef):
                pass
            elif isinstance(b, Columns):
                self.walk(b.blocks)
            elif isinstance(b, PageBreak):
                if B and B[-1].endswith('<w:br w:type="page"/></w:r></w:p>'):
                    continue
                B.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
            elif isinstance(b, ScanPage):
                pass

    def table(self, t: Table):
        ncol = len(t.rows[0])
        total = 9026
        lens = [max(len(clean_text("".join(p for p in row[c] if isinstance(p, str)))) for row in t.rows) + 4
                for c in range(ncol)]
        widths = [max(900, int(total * n / sum(lens))) for n in lens]
        widths[-1] += total - sum(widths)
        out = ['<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/>'
               '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
               'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>']
        out.extend(f'<w:gridCol w:w="{w}"/>' for w in widths)
        out.append("</w:tblGrid>")
        for r, row in enumerate(t.rows):
            trpr = "<w:trPr><w:tblHeader/></w:trPr>" if r == 0 else ""
            out.append(f"<w:tr>{trpr}")
            for c, cell in enumerate(row):
                shade = '<w:shd w:val="clear" w:color="auto" w:fill="D9E2F3"/>' if r == 0 else ""
                inner = self.runs(cell, split=False) if cell else ""
                if r == 0:
                    inner = inner.replace("<w:r><w:t", "<w:r><w:rPr><w:b/></w:rPr><w:t")
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{widths[c]}" w:type="dxa"/>{shade}</w:tcPr>'
                           f"{self.para(inner)}</w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return "".join(out)

    def document_xml(self):
        sect = ('<w:sectPr><w:headerReference w:type="default" r:id="rId6"/>'
                '<w:footerReference w:type="default" r:id="rId7"/>'
                '<w:footnotePr><w:numFmt w:val="decimal"/></w:footnotePr>'
                '<w:pgSz w:w="11906" w:h="16838"/>'
                '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" '
                'w:header="708" w:footer="708" w:gutter="0"/>'
                '<w:cols w:space="708"/><w:docGrid w:linePitch="360"/></w:sectPr>')
        return (XML_DECL + f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>'
                + "".join(self.body) + sect + "</w:body></w:document>")

    def footnotes_xml(self):
        out = [XML_DECL, f'<w:footnotes xmlns:w="{W_NS}" xmlns:r="{R_NS}">',
               '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
               'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>',
               '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing '
               'w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/>'
               '</w:r></w:p></w:footnote>']
        for label, fid in sorted(self.fn_ids.items(), key=lambda kv: kv[1]):
            d = self.doc.footnotes[label]
            out.append(f'<w:footnote w:id="{fid}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
                       '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
                       + run(" ") + self.runs(d.inline, split=False) + "</w:p></w:footnote>")
        out.append("</w:footnotes>")
        return "".join(out)


STYLES = XML_DECL + f'''<w:styles xmlns:w="{W_NS}">\
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>\
<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault>\
<w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>\
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>\
<w:qFormat/><w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:color w:val="1D4F73"/><w:sz w:val="48"/></w:rPr></w:style>\
<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/>\
<w:next w:val="Normal"/><w:qFormat/><w:rPr><w:sz w:val="28"/></w:rPr></w:style>\
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>\
<w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="360" w:after="120"/>\
<w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:color w:val="1D4F73"/><w:sz w:val="32"/></w:rPr></w:style>\
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/>\
<w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="80"/>\
<w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:color w:val="1D4F73"/><w:sz w:val="26"/></w:rPr></w:style>\
<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/>\
<w:qFormat/><w:pPr><w:ind w:left="720"/><w:contextualSpacing/></w:pPr></w:style>\
<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/>\
<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="18"/></w:rPr></w:style>\
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>\
<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>\
<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/></w:style>\
<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/></w:style>\
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>\
<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>\
<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>\
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>\
<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:tblPr><w:tblBorders>\
<w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/>\
<w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/>\
<w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/>\
</w:tblBorders></w:tblPr></w:style>\
</w:styles>'''

NUMBERING = XML_DECL + f'''<w:numbering xmlns:w="{W_NS}">\
<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/>\
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/><w:lvlJc w:val="left"/>\
<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr><w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol" w:hint="default"/></w:rPr></w:lvl>\
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/><w:lvlJc w:val="left"/>\
<w:pPr><w:ind w:left="1440" w:hanging="360"/></w:pPr><w:rPr><w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New" w:hint="default"/></w:rPr></w:lvl>\
</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'''

SETTINGS = XML_DECL + f'''<w:settings xmlns:w="{W_NS}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>\
<w:characterSpacingControl w:val="doNotCompress"/><w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>\
<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>\
</w:settings>'''


def header_xml(left, right):
    return (XML_DECL + f'<w:hdr xmlns:w="{W_NS}"><w:p><w:pPr><w:pStyle w:val="Header"/>'
            '<w:tabs><w:tab w:val="right" w:pos="9026"/></w:tabs></w:pPr>'
            f'{run(left)}<w:r><w:tab/></w:r>{run(right)}</w:p></w:hdr>')


def footer_xml(classification):
    fld = lambda name: ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                        f'<w:r><w:instrText xml:space="preserve"> {name} </w:instrText></w:r>'
                        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
                        '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    return (XML_DECL + f'<w:ftr xmlns:w="{W_NS}"><w:p><w:pPr><w:pStyle w:val="Footer"/>'
            '<w:tabs><w:tab w:val="right" w:pos="9026"/></w:tabs></w:pPr>'
            f'{run(classification, bold=True)}<w:r><w:tab/></w:r>{run("Page ")}{fld("PAGE")}'
            f'{run(" of ")}{fld("NUMPAGES")}</w:p></w:ftr>')


def write_zip(files):
    """files: name -> str|bytes; [Content_Types].xml first, then sorted names."""
    buf = io.BytesIO()
    names = ["[Content_Types].xml"] + sorted(n for n in files if n != "[Content_Types].xml")
    with zipfile.ZipFile(buf, "w") as z:
        for n in names:
            data = files[n]
            if isinstance(data, str):
                data = data.encode("utf-8")
            zi = zipfile.ZipInfo(n, date_time=ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.create_system = 0
            zi.external_attr = 0
            z.writestr(zi, data, compresslevel=6)
    return buf.getvalue()


def package(doc: Document, document_xml=None):
    """All parts of the package as a dict (used by the fixtures too)."""
    w = DocxWriter(doc)
    w.build()
    meta = doc.meta
    title = clean_text(meta.get("title", ""))
    partnership = clean_text(meta.get("partnership", ""))
    year = meta.get("year", "2024")
    files = {
        "[Content_Types].xml": XML_DECL + (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
            '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
            '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
            '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
            '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
            '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            "</Types>"),
        "_rels/.rels": XML_DECL + (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>"),
        "word/_rels/document.xml.rels": XML_DECL + (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>'
            '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
            '<Relationship Id="rId6" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>'
            '<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>'
            "</Relationships>"),
        "word/document.xml": document_xml if document_xml is not None else w.document_xml(),
        "word/styles.xml": STYLES,
        "word/settings.xml": SETTINGS,
        "word/numbering.xml": NUMBERING,
        "word/footnotes.xml": w.footnotes_xml(),
        "word/header1.xml": header_xml(partnership, clean_text(meta.get("short_title", ""))),
        "word/footer1.xml": footer_xml("OFFICIAL"),
        "docProps/core.xml": XML_DECL + (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{x(title)}</dc:title><dc:creator>{x(partnership)}</dc:creator>"
            f"<cp:lastModifiedBy>{x(partnership)} business unit</cp:lastModifiedBy><cp:revision>7</cp:revision>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{year}-05-12T09:14:00Z</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{year}-06-30T15:02:00Z</dcterms:modified>'
            "</cp:coreProperties>"),
        "docProps/app.xml": XML_DECL + (
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            "<Template>Normal.dotm</Template><TotalTime>0</TotalTime><Application>Sightline corpus renderer</Application>"
            f"<Company>{x(partnership)}</Company></Properties>"),
    }
    return files


def render(doc: Document) -> bytes:
    return write_zip(package(doc))
