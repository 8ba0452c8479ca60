import ArgumentParser
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
    /// Opens `path`; unless `creating`, it must exist (or be `:memory:`): a typo must not make an empty database.
    static func open(_ path: String, creating: Bool = false) throws -> CDSDatabase {
        if !creating && path != ":memory:" && access(path, F_OK) != 0 {
            throw Failure(code: "no_such_database", "no such database: \(path) (cds init \(path) creates one)")
        }
        do { return try CDSDatabase(path: path, options: OpenOptions()) } catch { throw Failure(error) }
    }

    /// Calls `method` through the JSON method table (the C door's) and answers its result.
    static func call(_ db: CDSDatabase, _ method: String, _ params: JSONObject, locale: Locale? = nil) throws -> JSON {
        var p = params
        if let locale { p["locale"] = .string(locale.rawValue) }
        switch db.call(method, params: .object(p)) {
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

    /// Shows `text` on a terminal while `body` runs, then erases it; nothing when stderr is redirected.
    static func status<T>(_ text: String, _ body: () throws -> T) rethrows -> T {
        guard isTerminal else { return try body() }
        write(text)
        defer { write("\r\u{1B}[K") }
        return try body()
    }
}
