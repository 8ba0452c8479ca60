import CDS
import CDSC
import CDSCore
import CDSHeader
import Foundation
import Testing

@Suite("The C door and the method table")
struct DoorTests {
    /// Calls through the C functions, as a host would.
    func cCall(_ db: OpaquePointer?, _ method: String?, _ params: [UInt8]?) -> (cds_status, String?) {
        var out: UnsafeMutablePointer<CChar>? = nil
        let status: cds_status
        switch (method, params) {
        case (let m?, let p?): status = m.withCString { mp in (p + [0]).withUnsafeBufferPointer { pp in
            pp.baseAddress!.withMemoryRebound(to: CChar.self, capacity: pp.count) { cds_call(db, mp, $0, &out) } } }
        case (let m?, nil): status = m.withCString { cds_call(db, $0, nil, &out) }
        case (nil, _): status = cds_call(db, nil, nil, &out)
        }
        defer { cds_free(out) }
        return (status, out.map { String(cString: $0) })
    }

    func open() -> OpaquePointer? {
        var db: OpaquePointer? = nil
        var err: UnsafeMutablePointer<CChar>? = nil
        let s = cds_open(":memory:", #"{"trusted": true}"#, &db, &err)
        #expect(s == CDS_OK)
        #expect(err == nil)
        return db
    }

    @Test("the ABI and version answer what the header and meta.version say")
    func versions() throws {
        #expect(cds_abi_version() == CDS_ABI_VERSION)
        #expect(String(cString: cds_version()) == CDSDatabase.version)
    }

    @Test("NULL handle, method or out pointer is CDS_MISUSE and sets out to NULL")
    func misuse() {
        let db = open()
        defer { cds_close(db) }
        var out: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(bitPattern: 0x1)
        #expect(cds_call(nil, "meta.version", nil, &out) == CDS_MISUSE)
        #expect(out == nil)
        #expect(cCall(db, nil, nil).0 == CDS_MISUSE)
        #expect(cds_call(db, "meta.version", nil, nil) == CDS_MISUSE)
        var h: OpaquePointer? = nil
        #expect(cds_open(nil, nil, &h, nil) == CDS_MISUSE)
        #expect(cds_open(":memory:", nil, nil, nil) == CDS_MISUSE)
        cds_close(nil)
        cds_free(nil)
    }

    @Test("invalid UTF-8 in params or the method name answers an error, never a crash")
    func invalidUTF8() throws {
        let db = open()
        defer { cds_close(db) }
        let (s, text) = cCall(db, "territory.get", Array(#"{"code": ""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8))
        #expect(s == CDS_ERROR)
        #expect(try JSON.parse(text ?? "")["error"]?["code"] == "invalid_json")
        var out: UnsafeMutablePointer<CChar>? = nil
        let bad: [CChar] = [0x6D, CChar(bitPattern: 0xC3), 0x28, 0]
        #expect(cds_call(db, bad, nil, &out) == CDS_ERROR)
        #expect(out.map { String(cString: $0) }?.contains("unknown_method") == true)
        cds_free(out)
    }

    @Test("open with bad options or an unreachable path answers an error object")
    func openErrors() throws {
        var db: OpaquePointer? = nil
        var err: UnsafeMutablePointer<CChar>? = nil
        #expect(cds_open(":memory:", #"{"colour": "blue"}"#, &db, &err) == CDS_ERROR)
        #expect(db == nil)
        #expect(try JSON.parse(String(cString: err!))["error"]?["details"]?["field"] == "colour")
        cds_free(err)
        #expect(cds_open("/nonexistent-dir/x/cds.sqlite", nil, &db, &err) == CDS_ERROR)
        #expect(try JSON.parse(String(cString: err!))["error"]?["code"] == "storage")
        cds_free(err)
        #expect(cds_open(":memory:", "{", &db, &err) == CDS_ERROR)
        #expect(try JSON.parse(String(cString: err!))["error"]?["code"] == "invalid_json")
        cds_free(err)
    }

    @Test("every method has an object schema that refuses unknown fields, and a summary")
    func methodTable() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let methods = try db.ok("meta.methods")["methods"]?.arrayValue ?? []
        #expect(methods.count == MethodTable.all.count)
        #expect(Set(methods.compactMap { $0["name"]?.stringValue }).count == methods.count)
        for m in methods {
            #expect(m["params"]?["type"] == "object")
            #expect(m["params"]?["additionalProperties"] == false)
            #expect(m["summary"]?.stringValue?.isEmpty == false)
        }
        for name in ["meta.version", "meta.methods", "territory.get", "territory.list", "organization.create", "organization.get",
                     "organization.list", "member.create", "member.get", "member.update", "member.list", "agreement.sign",
                     "agreement.end", "competence.attest"] {
            #expect(MethodTable.byName[name] != nil, "the contract names \(name)")
        }
    }

    /// Threads × iterations of the concurrency test; each iteration makes 4 calls.
    static let threads = 8, iterations = 150

    @Test("8 threads calling one handle through the C door: every call succeeds, the final state is what the calls imply")
    func concurrency() throws {
        let tmp = TempDB()
        var handle: OpaquePointer? = nil
        #expect(cds_open(tmp.path, #"{"trusted": true}"#, &handle, nil) == CDS_OK)
        defer { cds_close(handle) }
        let db = UInt(bitPattern: handle)
        let failures = Mutex(0)
        let calls = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: Self.threads) { t in
            let h = OpaquePointer(bitPattern: db)
            var made = 0
            for n in 0..<Self.iterations {
                let (s1, created) = cCall(h, "member.create", Array(#"{"name": "T\#(t)-\#(n)", "gender": "x", "roles": ["diaspora"], "residence_country": "NL"}"#.utf8))
                let id = (try? JSON.parse(created ?? ""))?["result"]?["id"]?.stringValue ?? ""
                let (s2, _) = cCall(h, "member.update", Array(#"{"id": "\#(id)", "residence_city": "Rotterdam \#(t)"}"#.utf8))
                let (s3, _) = cCall(h, "territory.get", Array(#"{"code": "09.541.11.33"}"#.utf8))
                let (s4, _) = cCall(h, "member.list", Array(#"{"limit": 5, "residence_country": "NL"}"#.utf8))
                made += 4
                if s1 != CDS_OK || s2 != CDS_OK || s3 != CDS_OK || s4 != CDS_OK { failures.withLock { $0 += 1 } }
            }
            calls.withLock { $0 += made }
        }
        #expect(failures.withLock { $0 } == 0)
        #expect(calls.withLock { $0 } == Self.threads * Self.iterations * 4)
        let members = Self.threads * Self.iterations
        let (_, listed) = cCall(handle, "member.list", Array(#"{"limit": 1000, "residence_country": "NL"}"#.utf8))
        var count = 0
        var cursor: String? = nil
        var page = try JSON.parse(listed ?? "")["result"]
        while true {
            let items = page?["items"]?.arrayValue ?? []
            count += items.count
            #expect(items.allSatisfy { $0["residence_city"]?.stringValue?.hasPrefix("Rotterdam ") == true }, "every update landed")
            cursor = page?["next_cursor"]?.stringValue
            guard let c = cursor else { break }
            page = try JSON.parse(cCall(handle, "member.list", Array(#"{"limit": 1000, "residence_country": "NL", "cursor": "\#(c)"}"#.utf8)).1 ?? "")["result"]
        }
        #expect(count == members)
        let (_, audit) = cCall(handle, "audit.verify", nil)
        let report = try JSON.parse(audit ?? "")["result"]
        #expect(report?["ok"] == true)
        #expect(report?["events"] == .int(Int64(members * 2)), "one event per create and per update")
    }
}

/// A tiny lock for counting across threads in tests.
final class Mutex<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ v: T) { value = v }
    func withLock<R>(_ body: (inout T) -> R) -> R { lock.lock(); defer { lock.unlock() }; return body(&value) }
}
