extension CueSet {
    /// The name under which the built-in cues are reported.
    public static let standardName = "standard cues (taxonomies/cues.yaml, built in)"

    /// Sightline's shipped cue file, taxonomies/cues.yaml, as built into the
    /// binary: the cues of every taxonomy that has no cue file of its own.
    public static func standard() throws -> CueSet {
        let bytes = PackageResources.cues_yaml
        var cues = try TaxonomyLoader().parseCues(String(decoding: bytes, as: UTF8.self), file: standardName)
        cues.sha256 = SHA256.hex(of: bytes)
        cues.file = standardName
        return cues
    }
}

/// The heading lists a taxonomy gets when it states none (`boilerplate_headings`,
/// `hypothetical_headings`); an empty list (`[]`) opts out. They are the lists
/// of the shipped panel-themes taxonomy, which a test keeps in step.
public enum StandardHeadings {
    /// Headings of sections that are about the review or inspection itself, not practice.
    public static let boilerplate = [
        "*contents", "*table of contents*", "*glossary*", "*terms of reference*", "*scope", "*scope of the review*",
        "*scope and*", "*methodology*", "*method", "*review process*", "*how the review was*", "*the review process*",
        "*references", "*bibliography*", "*acknowledgement*", "*acknowledgment*", "*abbreviations*", "*acronyms*",
        "*statement of independence*", "*the lead reviewer*", "*the independent reviewer*", "*about the reviewer*",
        "focused visit to*", "*about this inspection*", "*what the inspection judgements mean*",
        "*what the inspection judgments mean*",
    ]
    /// Headings of recommendations and areas for improvement: what they say should happen, not what did.
    public static let hypothetical = [
        "recommendation*", "*recommendations*", "what needs to improve*", "areas for improvement*",
        "area for improvement*", "*the partnership should*", "*should consider*",
    ]
}
