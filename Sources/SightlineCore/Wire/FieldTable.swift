/// The fields of one record type as they go on the wire, taken from the
/// record's own `CodingKeys`: the single list the Codable conformance, the
/// fast writer and the fast reader share.
///
/// `fields` holds the keys in the order JSONEncoder writes them with sorted
/// keys (byte order of the names). The fast writer walks `fields` in order,
/// and the fast reader finds a key's place in it; both then `switch` over the
/// `CodingKeys` case, which Swift requires to be exhaustive, so a field added
/// to a record's `CodingKeys` does not compile until both paths handle it.
///
/// A class, made once per record type: readers and writers hold it by one
/// reference rather than copying its four arrays for every object.
final class FieldTable<Key: CodingKey & CaseIterable & Sendable>: Sendable {
    /// The record's keys, sorted as they are written.
    let fields: [Key]
    /// Each field's name packed for comparison (`PackedKey`), in `fields` order.
    let packed: [PackedKey]
    /// `"name":` for each field, one after another, and where each starts (one more entry than fields).
    let keyText: [UInt8]
    let keyStarts: [Int]
    /// Bit `i` set: `fields[i]` must be on every line (its property is not optional).
    let requiredMask: UInt32

    /// `optional`: the keys whose property is an Optional (left out of a line when nil).
    init(optional: Set<String>) {
        fields = Key.allCases.sorted { $0.stringValue.utf8.lexicographicallyPrecedes($1.stringValue.utf8) }
        precondition(fields.count <= 32, "a fast-path record has at most 32 fields")
        packed = fields.map { PackedKey(Array($0.stringValue.utf8)) }
        var text: [UInt8] = []
        var starts: [Int] = []
        var required: UInt32 = 0
        for (i, field) in fields.enumerated() {
            starts.append(text.count)
            text += Array("\"\(field.stringValue)\":".utf8)
            if !optional.contains(field.stringValue) { required |= 1 << UInt32(i) }
        }
        starts.append(text.count)
        keyText = text
        keyStarts = starts
        requiredMask = required
    }

    /// The place of a key in `fields`, or nil when the record has no such field.
    @inline(__always)
    func position(of key: PackedKey) -> Int? {
        packed.withUnsafeBufferPointer { packed in
            for i in 0..<packed.count where packed[i] == key { return i }
            return nil
        }
    }
}

/// A field name's bytes packed into two words (names of up to 15 bytes;
/// a longer one matches no field), so that a key read from a line is
/// recognised by comparing integers rather than by building a string.
struct PackedKey: Equatable, Sendable {
    let low: UInt64
    let high: UInt64

    init(bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= 15 else {
            (low, high) = (0, .max)
            return
        }
        var low: UInt64 = 0
        var high = UInt64(bytes.count) << 56
        for (k, byte) in bytes.enumerated() {
            if k < 8 { low |= UInt64(byte) << (8 * UInt64(k)) } else { high |= UInt64(byte) << (8 * UInt64(k - 8)) }
        }
        (self.low, self.high) = (low, high)
    }

    init(_ bytes: [UInt8]) {
        self = bytes.withUnsafeBufferPointer { PackedKey(bytes: $0) }
    }
}

/// The tables of the records with fast paths. Each names the keys whose
/// property is optional; `WireFieldTableTests` checks these against what
/// JSONEncoder writes for records with every optional set and with none.
extension BlockRecord {
    static let table = FieldTable<CodingKeys>(
        optional: ["page_label", "page_end_label", "level", "bbox", "ocr_confidence"])
}

extension BoundingBox {
    static let table = FieldTable<CodingKeys>(optional: [])
}

extension PassageRecord {
    static let table = FieldTable<CodingKeys>(optional: ["page_label"])
}

extension CodingRecord {
    static let table = FieldTable<CodingKeys>(optional: ["page_label", "subtheme"])
}

extension MatchSpan {
    static let table = FieldTable<CodingKeys>(optional: [])
}
