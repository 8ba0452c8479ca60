// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "cds-core",
    products: [
        /// The Swift API for apps: `import CDS`.
        .library(name: "CDS", targets: ["CDS"]),
        /// libcds.so: the stable C ABI of include/cds.h, for Python, PHP and any C host.
        .library(name: "cds", type: .dynamic, targets: ["CDSC"]),
        /// The C ABI as a static library, for Swift hosts of the C door (the fuzzer).
        .library(name: "CDSCAPI", targets: ["CDSC"]),
        /// The `cds` command line (the binary is `cds-cli`: the name `cds` is libcds.so's product).
        .executable(name: "cds-cli", targets: ["cds"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        // `swift package generate-documentation`: the DocC catalogs of CDS and CDSCore, built in scripts/test.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .target(name: "CDSHeader", path: "include", publicHeadersPath: "."),
        .target(name: "CDSCore", dependencies: [.product(name: "OrderedCollections", package: "swift-collections")]),
        .target(name: "CDSStore", dependencies: ["CDSCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")]),
        .target(name: "CDS", dependencies: ["CDSCore", "CDSStore"]),
        /// The demo CDS of SCENARIO.md, built through the method table: for the CLI and the tests, not in libcds.so.
        .target(name: "CDSDemo", dependencies: ["CDS", "CDSCore"]),
        .target(
            name: "CDSC", dependencies: ["CDS", "CDSHeader"],
            // libcds.so is never unmapped (DF_1_NODELETE): the threads SQLite connections leave
            // behind must not outlive their code when a host dlcloses it (PHP at exit, ctypes).
            linkerSettings: [.unsafeFlags(["-Xlinker", "-z", "-Xlinker", "nodelete"])]),
        .executableTarget(name: "cds", dependencies: ["CDS", "CDSCore", "CDSDemo", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // The 10⁴–10⁶-key JSON benchmark (scripts/test runs it with --check); not a product.
        .executableTarget(name: "cds-json-bench", dependencies: ["CDSCore"]),
        /// The command line's types run in-process (parseAsRoot), besides scripts/test's runs of the binary.
        .testTarget(name: "CDSCommandTests", dependencies: ["cds", "CDSCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // The README's Swift tour, word for word (scripts/readme-snippets --check); scripts/test builds and runs it.
        .executableTarget(name: "readme-swift-tour", dependencies: ["CDS"], path: "Tests/ReadmeSwiftTour"),
        .testTarget(name: "CDSCoreTests", dependencies: ["CDSCore", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "CDSTests", dependencies: ["CDS", "CDSDemo", "CDSStore", "CDSCore", "CDSC", "CDSHeader", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PropertyBased", package: "swift-property-based")],
                    // A database and answers of release 0.1.0 (FixtureTests).
                    resources: [.copy("Fixtures")]),
    ]
)
