// swift-tools-version: 6.1
// The benchmarks of CDS core, in their own package so that the library's users never
// resolve benchmark dependencies. See BENCHMARKS.md at the repository's root.
import PackageDescription

let package = Package(
    name: "cds-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "cds-core", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
    ],
    targets: [
        /// The deterministic generator of benchmark data (a CDS over three years).
        .target(name: "CDSDataGen", dependencies: [.product(name: "CDS", package: "cds-core")]),
        /// The side-by-side comparisons with the peers (SQL in SQLite on the same file).
        .executableTarget(
            name: "cds-bench",
            dependencies: ["CDSDataGen", .product(name: "CDS", package: "cds-core"), .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        /// The matcher's figures, and the data and figures the Python peers compare with.
        /// Reads while the CDS is written to, through the C door: live and afresh side by side.
        .executableTarget(
            name: "cds-live-bench",
            dependencies: ["CDSDataGen", .product(name: "CDS", package: "cds-core"), .product(name: "CDSCAPI", package: "cds-core")]),
        .executableTarget(
            name: "cds-match-bench",
            dependencies: ["CDSDataGen", .product(name: "CDS", package: "cds-core")]),
        .executableTarget(
            name: "Indicators",
            dependencies: [.product(name: "Benchmark", package: "benchmark"), "CDSDataGen", .product(name: "CDS", package: "cds-core")],
            path: "Benchmarks/Indicators",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "Matching",
            dependencies: [.product(name: "Benchmark", package: "benchmark"), "CDSDataGen", .product(name: "CDS", package: "cds-core")],
            path: "Benchmarks/Matching",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "Store",
            dependencies: [.product(name: "Benchmark", package: "benchmark"), .product(name: "CDS", package: "cds-core"),
                           .product(name: "CDSCAPI", package: "cds-core")],
            path: "Benchmarks/Store",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    ]
)
