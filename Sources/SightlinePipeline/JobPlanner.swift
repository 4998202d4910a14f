import Foundation
import SightlineCore

/// Looks each input up in the cache's index before the batch starts: an
/// unchanged file's SHA-256 is known without reading it; the others are
/// hashed by the batch's lanes as they come to them, alongside extraction.
enum JobPlanner {
    static func plan(_ items: [InputItem], index: HashIndex) -> [Job] {
        items.map { item in
            var job = Job(item: item)
            guard case .file(let path, _) = item, let identity = HashIndex.identity(of: path) else { return job }
            if let known = index.known(identity) { job.sha256 = known } else { job.identity = identity }
            return job
        }
    }

    /// SHA-256 of a file read in 1 MiB pieces, or nil when it cannot be read.
    static func sha256(ofFileAt path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        // Closing a file only read cannot lose anything.
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            // nil or empty: the end of the file; a throw: a read error.
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 20) } catch { return nil }
            guard let chunk, !chunk.isEmpty else { break }
            hasher.update(chunk)
        }
        return hasher.finalizeHex()
    }
}
