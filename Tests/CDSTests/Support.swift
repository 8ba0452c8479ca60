import CDS
import CDSCore
import Foundation
import Testing

/// A fresh database file in a temporary folder, removed at the end of the test.
final class TempDB {
    let dir: URL
    let path: String
    init() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("cds-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        path = dir.appendingPathComponent("cds.sqlite").path
    }
    deinit { try? FileManager.default.removeItem(at: dir) }

    func open(_ options: OpenOptions = .trusted) throws -> CDSDatabase { try CDSDatabase(path: path, options: options) }
}

extension CDSDatabase {
    /// Calls through the JSON text door and answers the result, failing the test on an error.
    @discardableResult
    func ok(_ method: String, _ params: String = "{}", sourceLocation: SourceLocation = #_sourceLocation) throws -> JSON {
        let answer = call(method, params)
        let json = try JSON.parse(answer.text)
        #expect(answer.ok, "\(method) failed: \(answer.text.prefix(500))", sourceLocation: sourceLocation)
        return json["result"] ?? .null
    }

    /// Calls and answers the error object, failing the test if the call succeeded.
    func err(_ method: String, _ params: String = "{}", sourceLocation: SourceLocation = #_sourceLocation) throws -> JSON {
        let answer = call(method, params)
        #expect(!answer.ok, "\(method) should have failed: \(answer.text.prefix(300))", sourceLocation: sourceLocation)
        return try JSON.parse(answer.text)["error"] ?? .null
    }

    /// How many events the log holds.
    func eventCount() throws -> Int64 {
        try ok("audit.verify")["events"]?.intValue ?? -1
    }

    /// A diaspora member with the given extra fields (JSON object text without braces).
    func diaspora(_ name: String = "Brahim", extra: String = "") throws -> String {
        let more = extra.isEmpty ? "" : ", " + extra
        return try ok("member.create", #"{"name": "\#(name)", "gender": "m", "roles": ["diaspora"], "residence_country": "FR"\#(more)}"#)["id"]?.stringValue ?? ""
    }
}

import GRDB

/// Raw SQL on a database file, for tests that tamper with it.
struct GRDBQueue {
    let queue: DatabaseQueue
    init(_ path: String) throws { queue = try DatabaseQueue(path: path) }
    func execute(_ sql: String) throws { try queue.write { try $0.execute(sql: sql) } }
}
