import Foundation

/// A growable run of bytes that JSON Lines are written into. Writers ask for
/// room once (`room(_:)`), write through the pointer they get, and say how
/// much they wrote (`wrote(_:)`): the per-byte checks an array append makes
/// (is the storage shared, is there room) are made once per field instead.
/// A worker keeps one from document to document, so its memory is asked for
/// once.
public final class LineBuffer: ContiguousBytes {
    private struct State {
        var base: UnsafeMutablePointer<UInt8>
        var count: Int
        var capacity: Int
    }

    /// Kept behind a pointer, not in stored `var`s: the class's own
    /// properties would be checked for exclusive access at every write (a
    /// run-time call each), and a write here is a few bytes.
    private let state: UnsafeMutablePointer<State>

    /// The bytes written so far.
    public var count: Int { state.pointee.count }

    public init(capacity: Int = 1 << 16) {
        let capacity = max(capacity, 16)
        state = .allocate(capacity: 1)
        state.initialize(to: State(base: .allocate(capacity: capacity), count: 0, capacity: capacity))
    }

    deinit {
        state.pointee.base.deallocate()
        state.deallocate()
    }

    /// Where the next `bytes` bytes may be written (room is made if needed).
    @inline(__always)
    public func room(_ bytes: Int) -> UnsafeMutablePointer<UInt8> {
        if state.pointee.count + bytes > state.pointee.capacity { grow(to: state.pointee.count + bytes) }
        return state.pointee.base + state.pointee.count
    }

    /// Records that `bytes` bytes were written at the pointer `room` gave.
    @inline(__always)
    public func wrote(_ bytes: Int) { state.pointee.count += bytes }

    @inline(never)
    private func grow(to needed: Int) {
        var capacity = state.pointee.capacity * 2
        while capacity < needed { capacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        bigger.update(from: state.pointee.base, count: state.pointee.count)
        state.pointee.base.deallocate()
        state.pointee.base = bigger
        state.pointee.capacity = capacity
    }

    @inline(__always)
    public func append(_ byte: UInt8) {
        room(1).pointee = byte
        wrote(1)
    }

    public func append(_ bytes: UnsafeRawBufferPointer) {
        guard let from = bytes.baseAddress, bytes.count > 0 else { return }
        UnsafeMutableRawPointer(room(bytes.count)).copyMemory(from: from, byteCount: bytes.count)
        wrote(bytes.count)
    }

    /// Empties the buffer, keeping its memory.
    public func removeAll() { state.pointee.count = 0 }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: state.pointee.base, count: state.pointee.count))
    }

    /// A copy of the bytes written.
    public var data: Data { Data(bytes: state.pointee.base, count: state.pointee.count) }

    /// A copy of the bytes written, as an array.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: state.pointee.base, count: state.pointee.count)) }
}
