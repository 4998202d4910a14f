// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Sightline",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sightline", targets: ["sightline"]),
        .executable(name: "sightline-extract", targets: ["sightline-extract"]),
        .executable(name: "sightline-tag", targets: ["sightline-tag"]),
        .executable(name: "sightline-aggregate", targets: ["sightline-aggregate"]),
        .library(name: "SightlineCore", targets: ["SightlineCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
    ],
    targets: [
        // C libraries, found with pkg-config; `scripts/setup` installs the apt packages.
        .systemLibrary(
            name: "CPoppler",
            pkgConfig: "poppler-glib",
            providers: [.apt(["libpoppler-glib-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // zlib inflates DOCX parts (SightlineExtract's ZipArchive) and deflates the .qdpx export's parts.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Process-level support for the extraction worker (see its header).
        .target(
            name: "CSightlineSupport",
            linkerSettings: [.linkedLibrary("dl")]
        ),
        // Tesseract's C API, opened with dlopen when a page needs OCR (see its header);
        // building needs libtesseract-dev for the header only.
        .target(
            name: "CTesseract",
            linkerSettings: [.linkedLibrary("dl")]
        ),
        // Records, cleaning, JSON Lines, coding: no C library of its own (SHA-256 from swift-crypto).
        .target(
            name: "SightlineCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The shipped cue file (a link to taxonomies/cues.yaml), built into the
            // binary: a taxonomy without a cue file of its own gets these cues.
            resources: [.embedInCode("Resources/cues.yaml")]
        ),
        // The only module that talks to poppler, libxml2 and Tesseract.
        .target(
            name: "SightlineExtract",
            dependencies: [
                "SightlineCore", "CPoppler", "CLibXML2", "CZlib", "CSightlineSupport", "CTesseract",
            ]
        ),
        // The batch runtime, below option parsing: ordered scheduling, worker processes, the cache,
        // duplicates, progress, and atomic output files.
        .target(
            name: "SightlinePipeline",
            dependencies: [
                "SightlineCore", "SightlineExtract", "CSightlineSupport",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(
            name: "SightlineCLI",
            dependencies: [
                "SightlineCore", "SightlineExtract", "SightlinePipeline", "CSightlineSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "sightline",
            dependencies: ["SightlineCLI"],
            linkerSettings: exportInterposedSymbols
        ),
        .executableTarget(
            name: "sightline-extract",
            dependencies: ["SightlineCLI"],
            linkerSettings: exportInterposedSymbols
        ),
        .executableTarget(name: "sightline-tag", dependencies: ["SightlineCLI"]),
        // Fuzzing harnesses for the parsers Sightline owns; `scripts/fuzz` builds
        // sightline-fuzz with libFuzzer, an ordinary build replays the seeds.
        .target(name: "SightlineFuzzing", dependencies: ["SightlineCore", "SightlineExtract"]),
        .executableTarget(name: "sightline-fuzz", dependencies: ["SightlineFuzzing"]),
        .executableTarget(name: "sightline-aggregate", dependencies: ["SightlineCLI"]),
        // Measurements for scripts/bench-* (`sightline-bench tag` times the coder): not a user's command.
        .executableTarget(
            name: "sightline-bench",
            dependencies: [
                "SightlineCLI", "SightlineCore", "SightlinePipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "SightlineCoreTests", dependencies: ["SightlineCore", "CSightlineSupport"]),
        .testTarget(
            name: "SightlineTagTests",
            dependencies: ["SightlineCore"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "SightlineExtractTests",
            dependencies: ["SightlineExtract", "SightlineCore"],
            exclude: ["Fixtures"],
            linkerSettings: exportInterposedSymbols
        ),
        .testTarget(name: "SightlineFuzzTests", dependencies: ["SightlineFuzzing"]),
        .testTarget(name: "SightlinePipelineTests", dependencies: ["SightlinePipeline", "SightlineCore"]),
        .testTarget(
            name: "SightlineCLITests",
            dependencies: ["SightlineCLI", "SightlineCore", "SightlineExtract", "SightlinePipeline"],
            exclude: ["Golden"]
        ),
    ]
)

/// The extraction process replaces liblcms2's `cmsCreateTransform` (see
/// `Sources/CSightlineSupport/include/CSightlineSupport.h`); the executable must
/// export that symbol so that libpoppler binds to it.
var exportInterposedSymbols: [LinkerSetting] {
    [.unsafeFlags(["-Xlinker", "--export-dynamic-symbol=cmsCreateTransform"])]
}
