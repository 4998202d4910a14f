import Foundation
import SightlineFuzzing

#if SIGHTLINE_FUZZ
    /// libFuzzer's driver, from compiler-rt's `libclang_rt.fuzzer_no_main` (linked by `scripts/fuzz`):
    /// `int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t))`.
    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The C symbol's own name.
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    /// The target this fuzzing process runs, from SIGHTLINE_FUZZ_TARGET.
    let selectedTarget = ProcessInfo.processInfo.environment["SIGHTLINE_FUZZ_TARGET"].flatMap(
        FuzzTarget.init(rawValue:))
#endif

/// `sightline-fuzz`: the fuzzing harnesses' entry point.
///
/// Built by `scripts/fuzz` (with `-D SIGHTLINE_FUZZ`, sanitizer coverage and
/// libFuzzer), it hands the process to libFuzzer for the target named by
/// SIGHTLINE_FUZZ_TARGET. In an ordinary build it replays inputs through the
/// same harnesses: `sightline-fuzz [TARGET [FILE-OR-FOLDER…]]`, by default
/// every target's seeds in Tests/Fuzz/seeds/TARGET.
@main
enum FuzzMain {
    static let targetNames = FuzzTarget.allCases.map(\.rawValue)

    static func main() {
        #if SIGHTLINE_FUZZ
            guard let target = selectedTarget else {
                FileHandle.standardError.write(
                    Data(
                        "set SIGHTLINE_FUZZ_TARGET to one of: \(targetNames.joined(separator: ", "))\n".utf8))
                exit(2)
            }
            FileHandle.standardError.write(Data("sightline-fuzz: fuzzing \(target.rawValue)\n".utf8))
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(
                LLVMFuzzerRunDriver(&argc, &argv) { data, size in
                    selectedTarget?.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
                    return 0
                })
        #else
            replay(Array(CommandLine.arguments.dropFirst()))
        #endif
    }

    /// Runs inputs through the harnesses, naming each before it runs (so a crash names its input).
    static func replay(_ arguments: [String]) {
        var targets = FuzzTarget.allCases
        var paths: [String] = []
        if let first = arguments.first {
            guard let target = FuzzTarget(rawValue: first) else {
                FileHandle.standardError.write(
                    Data(
                        "usage: sightline-fuzz [\(targetNames.joined(separator: "|")) [FILE-OR-FOLDER…]]\n".utf8))
                exit(2)
            }
            targets = [target]
            paths = Array(arguments.dropFirst())
        }
        var count = 0
        for target in targets {
            let inputs = paths.isEmpty ? ["Tests/Fuzz/seeds/\(target.rawValue)"] : paths
            for file in FuzzSeeds.files(inputs) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    FileHandle.standardError.write(Data("sightline-fuzz: cannot read \(file)\n".utf8))
                    exit(1)
                }
                FileHandle.standardError.write(Data("\(target.rawValue): \(file)\n".utf8))
                target.run([UInt8](data))
                count += 1
            }
        }
        print("sightline-fuzz: \(count) inputs ran without a finding")
    }
}
