import Foundation
import SightlineExtract

/// What the parent tells a worker when it starts it: the first line on the
/// worker's standard input, one JSON object. Everything else the worker reads
/// there is requests (see `WorkerProtocol`).
///
/// `version` changes whenever a field's meaning does; a worker refuses a
/// configuration whose version it does not know, or that does not decode,
/// and answers every request with an error record that says so.
struct WorkerConfiguration: Codable, Equatable {
    /// 2: frames carry a fifth section, the document's `DocumentResult`.
    static let currentVersion = 2

    /// A taxonomy file to code with, and the SHA-256 the parent loaded it with.
    struct TaxonomyFile: Codable, Equatable {
        var path: String
        var sha256: String
    }

    var version = Self.currentVersion
    /// Whether poppler builds ICC colour transforms (`--keep-colour-management`).
    var keepColourManagement = false
    /// The worker's address-space limit in MiB, 0 for none.
    var memoryLimitMB = 0
    /// `OCRMode`'s raw value.
    var ocr = OCRMode.auto.rawValue
    /// Empty when the worker only extracts.
    var taxonomies: [TaxonomyFile] = []

    enum CodingKeys: String, CodingKey {
        case version
        case keepColourManagement = "keep_colour_management"
        case memoryLimitMB = "memory_limit_mb"
        case ocr
        case taxonomies
    }

    /// The configuration's JSON line.
    func line() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Reads a configuration line, or says in words why it cannot be used.
    static func decode(_ line: Data) -> Result<WorkerConfiguration, ConfigurationError> {
        struct Versioned: Decodable { var version: Int }
        let decoder = JSONDecoder()
        guard let versioned = try? decoder.decode(Versioned.self, from: line) else {
            return .failure(.unreadable(String(decoding: line.prefix(200), as: UTF8.self)))
        }
        guard versioned.version == currentVersion else { return .failure(.version(versioned.version)) }
        do {
            let configuration = try decoder.decode(WorkerConfiguration.self, from: line)
            guard OCRMode(rawValue: configuration.ocr) != nil else { return .failure(.field("ocr", configuration.ocr)) }
            guard configuration.memoryLimitMB >= 0 else {
                return .failure(.field("memory_limit_mb", String(configuration.memoryLimitMB)))
            }
            return .success(configuration)
        } catch let DecodingError.keyNotFound(key, _) {
            return .failure(.undecodable("it has no \(key.stringValue)"))
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            return .failure(.undecodable("\(field) is not what it should be (\(context.debugDescription))"))
        } catch {
            return .failure(.undecodable(String(describing: error)))
        }
    }

    enum ConfigurationError: Error, CustomStringConvertible, Equatable {
        /// Not a JSON object with a version.
        case unreadable(String)
        case version(Int)
        case undecodable(String)
        case field(String, String)

        var description: String {
            let prefix = "the extraction worker could not use the configuration its parent sent"
            switch self {
            case .unreadable(let text): return "\(prefix): not a JSON object with a version: ‘\(text)’"
            case .version(let version):
                return "\(prefix): it has version \(version) and this worker reads version \(currentVersion) "
                    + "(the parent and the worker are different builds of Sightline)"
            case .undecodable(let reason): return "\(prefix): \(reason)"
            case .field(let name, let value): return "\(prefix): \(name) cannot be ‘\(value)’"
            }
        }
    }
}
