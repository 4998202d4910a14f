/// Checks a record's `schema` against what this Sightline reads: schemas only
/// gain fields, so any `<family>.v1` is read, and a newer major version is refused.
enum SchemaVersion {
    /// The major version of every family this version reads and writes.
    static let supported = 1

    /// Throws when `schema` is not `<family>.vN`, or N is newer than `supported`.
    static func check(_ schema: String, family: String) throws {
        guard schema.hasPrefix(family + ".v"), let version = Int(schema.dropFirst(family.count + 2)) else {
            throw Wire.Problem("expected a \(family) record, found schema ‘\(schema)’")
        }
        if version > supported {
            throw Wire.Problem(
                "written by a newer Sightline (\(schema)); this version reads \(family).v\(supported): "
                    + "upgrade Sightline")
        }
    }
}
