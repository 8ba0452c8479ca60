// swift-tools-version: 6.2
// The libFuzzer target over the JSON door (cds_call), in its own package so that the
// library's users never build it. Build and run (see Fuzz/README.md):
//   swift build --package-path Fuzz -c debug --sanitize=fuzzer --sanitize=address
//   Fuzz/.build/debug/CDSFuzz Fuzz/corpus -max_total_time=60
import PackageDescription

let package = Package(
    name: "cds-fuzz",
    dependencies: [.package(name: "cds-core", path: "..")],
    targets: [
        .executableTarget(
            name: "CDSFuzz",
            dependencies: [.product(name: "CDSCAPI", package: "cds-core")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    ]
)
