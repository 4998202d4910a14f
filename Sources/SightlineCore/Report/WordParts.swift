/// The fixed parts of the Word document: content types, relationships,
/// document properties and the styles the body refers to.
extension WordReportRenderer {
    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/word/document.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
        <Override PartName="/word/styles.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
        <Override PartName="/docProps/core.xml" \
        ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
        </Types>
        """

    static let packageRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" \
        Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
        Target="word/document.xml"/>\
        <Relationship Id="rId2" \
        Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" \
        Target="docProps/core.xml"/>\
        </Relationships>
        """

    static let documentRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \
        Target="styles.xml"/></Relationships>
        """

    static func coreProperties(title: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
        xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>\(escape(title))</dc:title>\
        <dc:creator>Sightline</dc:creator></cp:coreProperties>
        """
    }

    /// A paragraph style: name, id, what it is based on, and its paragraph and run properties.
    private static func style(
        _ id: String, _ name: String, basedOn: String? = "Normal", next: String? = nil,
        outline: Int? = nil, paragraph: String = "", run: String = ""
    ) -> String {
        var out = "<w:style w:type=\"paragraph\" w:styleId=\"\(id)\"><w:name w:val=\"\(name)\"/>"
        if let basedOn { out += "<w:basedOn w:val=\"\(basedOn)\"/>" }
        if let next { out += "<w:next w:val=\"\(next)\"/>" }
        out += "<w:qFormat/><w:pPr>\(paragraph)\(outline.map { "<w:outlineLvl w:val=\"\($0)\"/>" } ?? "")</w:pPr>"
        return out + "<w:rPr>\(run)</w:rPr></w:style>"
    }

    static let heading =
        "<w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:cs=\"Arial\"/><w:b/><w:color w:val=\"112233\"/>"

    static let styles: String = {
        var out = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">\
            <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Georgia" w:hAnsi="Georgia" w:cs="Georgia" \
            w:eastAsia="Georgia"/><w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault>\
            <w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault>\
            </w:docDefaults>\
            <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
            """
        out += style(
            "Title", "Title", next: "Normal", paragraph: "<w:spacing w:after=\"240\"/>",
            run: heading + "<w:sz w:val=\"40\"/>")
        out += style(
            "Heading1", "heading 1", next: "Normal", outline: 0,
            paragraph:
                "<w:keepNext/>"
                + "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"12\" w:space=\"2\" w:color=\"112233\"/></w:pBdr>"
                + "<w:spacing w:before=\"360\" w:after=\"120\"/>",
            run: heading + "<w:sz w:val=\"30\"/>")
        out += style(
            "Heading2", "heading 2", next: "Normal", outline: 1,
            paragraph: "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"80\"/>",
            run: heading + "<w:sz w:val=\"24\"/>")
        out += style("Note", "Note", run: "<w:color w:val=\"444444\"/><w:sz w:val=\"17\"/>")
        out += style(
            "ListItem", "List Item", paragraph: "<w:spacing w:after=\"60\"/><w:ind w:left=\"360\" w:hanging=\"360\"/>")
        out += style(
            "Quote", "Quote", next: "Source",
            paragraph: "<w:keepNext/><w:keepLines/>"
                + "<w:pBdr><w:left w:val=\"single\" w:sz=\"24\" w:space=\"8\" w:color=\"55AA77\"/></w:pBdr>"
                + "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"F6FAF7\"/>"
                + "<w:spacing w:before=\"160\" w:after=\"40\"/><w:ind w:left=\"284\"/>")
        out += style(
            "Source", "Quote Source", paragraph: "<w:spacing w:after=\"160\"/><w:ind w:left=\"284\"/>",
            run: "<w:color w:val=\"555555\"/><w:sz w:val=\"18\"/>")
        out += style(
            "TableText", "Table Text", paragraph: "<w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>")
        out += style("AfterTable", "After Table", paragraph: "<w:spacing w:after=\"60\"/>", run: "<w:sz w:val=\"8\"/>")
        out += """
            <w:style w:type="table" w:styleId="ReportTable"><w:name w:val="Report Table"/><w:tblPr>\
            <w:tblBorders><w:top w:val="single" w:sz="4" w:color="BBBBBB"/>\
            <w:left w:val="single" w:sz="4" w:color="BBBBBB"/>\
            <w:bottom w:val="single" w:sz="4" w:color="BBBBBB"/><w:right w:val="single" w:sz="4" w:color="BBBBBB"/>\
            <w:insideH w:val="single" w:sz="4" w:color="BBBBBB"/><w:insideV w:val="single" w:sz="4" w:color="BBBBBB"/>\
            </w:tblBorders><w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="80" w:type="dxa"/>\
            <w:bottom w:w="40" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>\
            </w:styles>
            """
        return out
    }()
}
