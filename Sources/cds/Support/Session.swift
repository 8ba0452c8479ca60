import ArgumentParser
import Synchronization
import CDS
import CDSCore

#if canImport(Glibc)
import Glibc
#endif

/// What a command failed with, printed once as `error (code): message` (exit status 1).
struct Failure: Error, CustomStringConvertible {
    /// A `CDSError` code, or the command line's own (`no_such_database`).
    let code: String
    /// What went wrong, for a person.
    let message: String
    /// The checklist items a transition lacks, one a line under the error.
    let missing: [String]

    /// A contract error of the library.
    init(_ error: CDSError) {
        code = error.code.rawValue
        message = error.message
        missing = (error.details["missing"]?.arrayValue ?? []).map { $0["label"]?.stringValue ?? $0["key"]?.stringValue ?? "" }
    }

    /// An error of the command line itself.
    init(code: String, _ message: String) {
        self.code = code
        self.message = message
        missing = []
    }

    /// `error (code): message`, then `  - item` per missing item.
    var description: String {
        (["error (\(code)): \(message)"] + missing.map { "  - \($0)" }).joined(separator: "\n")
    }
}

/// How commands reach the library: open a database, call a method of the table.
enum Session {
    /// The member this command acts as (`--as`); nil: the trusted system. One command a process.
    nonisolated(unsafe) static var actingAs: String?

    /// Opens `path`; unless `creating`, it must exist (or be `:memory:`): a typo must not make an empty database.
    /// Trusted (the operator on the file) unless `member` is given: then every call acts as her.
    static func open(_ path: String, creating: Bool = false, as member: String? = nil) throws -> CDSDatabase {
        if !creating && path != ":memory:" && access(path, F_OK) != 0 {
            throw Failure(code: "no_such_database", "no such database: \(path) (cds init \(path) creates one)")
        }
        actingAs = member
        do { return try CDSDatabase(path: path, options: OpenOptions(trusted: member == nil)) } catch { throw Failure(error) }
    }

    /// The params text with `actor` set to `member` (`--as`); text that is not a JSON object
    /// is left for the library to refuse.
    static func withActor(_ member: String, _ text: String) throws -> String {
        guard let json = try? JSON.parse(text), var o = json.objectValue else { return text }
        try act(as: member, &o)
        return JSON.object(o).text
    }

    /// Sets the params' `actor` to `member`, refusing another one given with `--actor`.
    static func act(as member: String, _ params: inout JSONObject) throws {
        if let other = params["actor"]?.stringValue, other != member {
            throw Failure(code: "invalid_params", "actor \(other) differs from --as \(member): a member acts as herself")
        }
        params["actor"] = .string(member)
    }

    /// Calls `method` through the JSON method table (the C door's) and answers its result.
    /// `progress` is told how far a long call has come (``StandardError/progress(_:unit:)`` draws it).
    static func call(_ db: CDSDatabase, _ method: String, _ params: JSONObject, locale: Locale? = nil, progress: ProgressHandler? = nil) throws -> JSON {
        var p = params
        if let locale { p["locale"] = .string(locale.rawValue) }
        if let me = actingAs { try act(as: me, &p) }
        switch db.call(method, params: .object(p), progress: progress) {
        case .success(let result): return result
        case .failure(let error): throw Failure(error)
        }
    }
}

extension Session {
    /// Prints one entity by id (`organization.get`, `offer.get`…): its fields, or the JSON answer.
    static func show(_ method: String, id: String, _ database: DatabaseOptions, _ output: OutputOptions) throws {
        let r = try call(try database.open(), method, ["id": .string(id)], locale: output.locale)
        if output.printedJSON(r) { return }
        Table.fields(r)
    }
}

/// Standard error: messages and the status line, never mixed with the data on standard output.
enum StandardError {
    /// Writes `text` and a newline to file descriptor 2.
    static func line(_ text: String) { write(text + "\n") }

    /// Writes `text` as it is.
    static func write(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }

    /// True when a person watches standard error: only then is a status line drawn.
    static var isTerminal: Bool { isatty(2) == 1 }

    /// A progress line redrawn on a terminal each time its text changes (``Format/progress(_:done:total:unit:)``),
    /// erased by `finish`; nil when stderr is redirected, so that logs get no control characters.
    static func progress(_ label: String, unit: ProgressUnit) -> ProgressLine? {
        isTerminal ? ProgressLine(label: label, unit: unit) : nil
    }

    /// Runs `body` with the handler of a progress line (nil when stderr is redirected), erased when it returns.
    static func withProgress<T>(_ label: String, unit: ProgressUnit, _ body: (ProgressHandler?) throws -> T) rethrows -> T {
        let line = progress(label, unit: unit)
        defer { line?.finish() }
        return try body(line?.handler)
    }

    /// Shows `text` on a terminal while `body` runs, then erases it; nothing when stderr is redirected.
    static func status<T>(_ text: String, _ body: () throws -> T) rethrows -> T {
        guard isTerminal else { return try body() }
        write(text)
        defer { write("\r\u{1B}[K") }
        return try body()
    }
}

/// The progress line of one long command on a terminal: redrawn only when its text changes.
final class ProgressLine: Sendable {
    let label: String
    let unit: ProgressUnit
    private let last = Mutex<String>("")

    init(label: String, unit: ProgressUnit) { self.label = label; self.unit = unit }

    /// The handler a call reports to.
    var handler: ProgressHandler {
        { [self] done, total in
            let text = Format.progress(label, done: done, total: total, unit: unit)
            let changed = last.withLock { old in
                defer { old = text }
                return old != text
            }
            if changed { StandardError.write("\r\u{1B}[K" + text) }
        }
    }

    /// Erases the line.
    func finish() { StandardError.write("\r\u{1B}[K") }
}
