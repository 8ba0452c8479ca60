@_spi(Tooling) import CDS
import CDSC
import CDSCore
import CDSHeader
import Foundation
import Synchronization
import Testing

/// `cds_interrupt` stops the long calls in progress on a handle, from another thread, and
/// nothing they were doing is half-written.
@Suite("Interrupting long calls")
struct InterruptTests {
    /// A handle with enough offers and needs that `match.all` does real work.
    static func world() throws -> OpaquePointer {
        var raw: OpaquePointer? = nil
        var err: UnsafeMutablePointer<CChar>? = nil
        guard cds_open(":memory:", #"{"trusted": true}"#, &raw, &err) == CDS_OK, let raw else { throw CDSError(.internal, "cds_open failed") }
        func call(_ method: String, _ params: String) throws -> JSON {
            var out: UnsafeMutablePointer<CChar>? = nil
            let s = method.withCString { m in params.withCString { cds_call(raw, m, $0, &out) } }
            defer { cds_free(out) }
            let answer = try JSON.parse(out.map { String(cString: $0) } ?? "null")
            guard s == CDS_OK, let r = answer["result"] else { throw CDSError(.internal, "\(method) failed: \(answer.text)") }
            return r
        }
        let project = try call("project.create", #"{"title": {"fr": "Eau"}, "communes": ["09.581.03.03"], "sector": "EAU"}"#)["id"]?.stringValue ?? ""
        let skills = ["2142", "2411", "3112", "3113", "7411", "2341"]
        for n in 0..<120 {
            _ = try call("need.create", #"{"project": "\#(project)", "kind": "skill", "description": "Besoin \#(n)", "skills": ["\#(skills[n % 6])"], "quantity": {"unit": "person_days", "amount": 5}}"#)
        }
        for n in 0..<150 {
            let m = try call("member.create", #"{"name": "Membre \#(n)", "gender": "f", "roles": ["diaspora"], "residence_country": "FR", "origin": "09.581.03.03", "consents": [{"purpose": "processing", "version": "1"}, {"purpose": "contact", "version": "1"}]}"#)["id"]?.stringValue ?? ""
            _ = try call("offer.create", #"{"member": "\#(m)", "kind": "skill", "description": "Offre \#(n)", "skills": ["\#(skills[n % 6])"], "capacity": {"unit": "person_days", "amount": 10}, "remote": true, "contact_consent": true}"#)
        }
        return raw
    }

    static func answer(_ db: OpaquePointer, _ method: String, _ params: String) -> (cds_status, JSON) {
        var out: UnsafeMutablePointer<CChar>? = nil
        let s = method.withCString { m in params.withCString { cds_call(db, m, $0, &out) } }
        defer { cds_free(out) }
        let a = (try? JSON.parse(out.map { String(cString: $0) } ?? "null")) ?? .null
        return (s, a["result"] ?? a)
    }

    @Test("a long match.all interrupted from another thread answers interrupted, and the next call runs as usual")
    func matchAllIsInterrupted() throws {
        let raw = try Self.world()
        defer { cds_close(raw) }
        let handle = UncheckedHandle(raw)
        let events = Self.answer(raw, "audit.verify", "{}").1["events"]?.intValue
        let stop = Atomic<Bool>(false)
        let interrupter = Thread {
            while !stop.load(ordering: .relaxed) { cds_interrupt(handle.raw) }
        }
        interrupter.start()
        var codes: [String: Int] = [:]
        for _ in 0..<200 {
            let (s, a) = Self.answer(raw, "match.all", #"{"k": 10}"#)
            let code = s == CDS_OK ? "ok" : a["error"]?["code"]?.stringValue ?? "?"
            codes[code, default: 0] += 1
            if (codes["interrupted"] ?? 0) >= 5 { break }
        }
        stop.store(true, ordering: .relaxed)
        while !interrupter.isFinished { usleep(1000) }
        #expect((codes["interrupted"] ?? 0) >= 1, "some calls were interrupted: \(codes)")
        #expect(Set(codes.keys).isSubset(of: ["ok", "interrupted"]), "every answer is a result or interrupted: \(codes)")
        let after = Self.answer(raw, "match.all", #"{"k": 10}"#)
        #expect(after.0 == CDS_OK, "a call made after the interrupts runs as usual")
        #expect(after.1["needs"]?.arrayValue?.count == 120)
        #expect(Self.answer(raw, "audit.verify", "{}").1["events"]?.intValue == events, "reads wrote nothing")
        #expect(Self.answer(raw, "audit.verify", "{}").1["ok"] == true)
    }

    @Test("writes interrupted from another thread are whole or absent: the log stays verified")
    func interruptedWritesAreWholeOrAbsent() throws {
        let raw = try Self.world()
        defer { cds_close(raw) }
        let handle = UncheckedHandle(raw)
        let before = Self.answer(raw, "audit.verify", "{}").1["events"]?.intValue ?? 0
        let stop = Atomic<Bool>(false)
        let interrupter = Thread { while !stop.load(ordering: .relaxed) { cds_interrupt(handle.raw); usleep(50) } }
        interrupter.start()
        var created = 0
        for n in 0..<200 {
            let (s, a) = Self.answer(raw, "member.create", #"{"name": "Nouveau \#(n)", "gender": "m", "roles": ["diaspora"], "residence_country": "BE"}"#)
            if s == CDS_OK { created += 1 } else { #expect(a["error"]?["code"]?.stringValue == "interrupted", "\(a.text)") }
        }
        stop.store(true, ordering: .relaxed)
        while !interrupter.isFinished { usleep(1000) }
        let audit = Self.answer(raw, "audit.verify", "{}").1
        #expect(audit["ok"] == true)
        #expect(audit["events"]?.intValue == before + Int64(created), "one event for each member created, none for the interrupted ones")
    }

    @Test("cds_interrupt on NULL or an idle handle does nothing")
    func idleInterruptIsHarmless() throws {
        cds_interrupt(nil)
        var raw: OpaquePointer? = nil
        var err: UnsafeMutablePointer<CChar>? = nil
        #expect(cds_open(":memory:", #"{"trusted": true}"#, &raw, &err) == CDS_OK)
        defer { cds_close(raw) }
        guard let raw else { return }
        cds_interrupt(raw)
        #expect(Self.answer(raw, "meta.version", "{}").0 == CDS_OK)
    }
}

/// A C handle shared with the interrupting thread (the C door is thread-safe).
struct UncheckedHandle: @unchecked Sendable {
    let raw: OpaquePointer
    init(_ raw: OpaquePointer) { self.raw = raw }
}
