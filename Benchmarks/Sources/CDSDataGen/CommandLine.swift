import Foundation

/// The command line of a benchmark tool: `--name value` options and `--flag`s, checked, so
/// that a typo is an error rather than a silently ignored option.
public struct ToolArguments: Sendable {
    /// The options' values by name (`--offers` → "1000").
    public let values: [String: String]
    /// The flags given.
    public let flags: Set<String>

    /// Reads `arguments` (without the program's name): every option must be among `options` or `flags`.
    public init(options: [String], flags known: [String] = [], _ arguments: [String] = Array(CommandLine.arguments.dropFirst())) throws {
        var values: [String: String] = [:]
        var flags: Set<String> = []
        var rest = arguments[...]
        while let name = rest.popFirst() {
            if known.contains(name) { flags.insert(name); continue }
            guard options.contains(name) else {
                throw ToolError("unknown argument \(name); options: " + (options + known).joined(separator: " "))
            }
            guard let value = rest.popFirst() else { throw ToolError("\(name) needs a value") }
            values[name] = value
        }
        self.values = values
        self.flags = flags
    }

    /// The value of `name`, or `fallback`.
    public func string(_ name: String, _ fallback: String) -> String { values[name] ?? fallback }

    /// The whole number given for `name` (at least `minimum`), or `fallback`.
    public func int(_ name: String, _ fallback: Int, minimum: Int = 1) throws -> Int {
        guard let text = values[name] else { return fallback }
        guard let n = Int(text), n >= minimum else { throw ToolError("\(name) takes a whole number of at least \(minimum), not \(text)") }
        return n
    }

    /// True when `name` was given.
    public func flag(_ name: String) -> Bool { flags.contains(name) }
}

/// What a benchmark tool failed with, printed once as `error: …`.
public struct ToolError: Error, CustomStringConvertible {
    /// What went wrong, for a person.
    public let description: String
    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}

/// Runs a tool's body; any error prints `error: …` once on standard error and exits 1 (never a trap).
public func runTool(_ body: () throws -> Void) -> Never {
    do {
        try body()
        exit(0)
    } catch {
        say("error: \(error)")
        exit(1)
    }
}

/// Makes `path` a directory (with its parents), or fails saying why.
public func makeDirectory(_ path: String) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
        guard isDirectory.boolValue else { throw ToolError("\(path) exists and is not a directory") }
        return
    }
    do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
        throw ToolError("cannot create the directory \(path) (a parent is missing rights or is a file)")
    }
}

/// A duration in seconds.
public func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

/// A line on standard error (progress and figures; standard output stays for data).
public func say(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
