/// Checks a record's `schema` against what this Sightline reads.
public enum SchemaVersion {
    /// Throws when `schema` is not `<family>.vN`, or N is newer than `supported`.
    public static func check(_ schema: String, family: String, supported: Int = 1, file: String, line: Int) throws {
        guard schema.hasPrefix(family + ".v"), let version = Int(schema.dropFirst(family.count + 2)) else {
            throw JSONLinesError(
                file: file, line: line, problem: "expected a \(family) record, found schema ‘\(schema)’")
        }
        if version > supported {
            throw JSONLinesError(
                file: file, line: line,
                problem:
                    "written by a newer Sightline (\(schema)); this version reads \(family).v\(supported): upgrade Sightline"
            )
        }
    }
}
