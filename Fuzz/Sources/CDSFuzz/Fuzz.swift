// libFuzzer entry point: each input is a method name, a newline, and params text. It goes
// through cds_call exactly as a host's would; any trap, leak or memory error is a finding.
import CDSHeader

#if canImport(Glibc)
import Glibc
#endif

/// One in-memory database for the whole run, with the demo's reference data.
nonisolated(unsafe) private var handle: OpaquePointer? = nil

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    var err: UnsafeMutablePointer<CChar>? = nil
    // Trusted, so that every handler is reached (the access table would refuse most anonymous writes).
    guard cds_open(":memory:", #"{"now": "2026-06-01T10:00:00Z", "trusted": true}"#, &handle, &err) == CDS_OK else { abort() }
    // Something to find: a few members, a commune, a project.
    for call in seeds {
        var out: UnsafeMutablePointer<CChar>? = nil
        _ = cds_call(handle, call.0, call.1, &out)
        cds_free(out)
    }
    return 0
}

private let seeds: [(String, String)] = [
    ("member.create", #"{"name": "Brahim", "gender": "m", "roles": ["diaspora"], "residence_country": "FR", "origin": "09.581.03.03"}"#),
    ("member.create", #"{"name": "Youssef", "gender": "m", "roles": ["adc"], "residence_country": "MA", "adc_commune": "09.581.03.03"}"#),
    ("organization.create", #"{"kind": "commune", "territory": "09.581.03.03"}"#),
    ("project.create", #"{"title": {"fr": "Eau"}, "communes": ["09.581.03.03"], "sector": "EAU"}"#),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let newline = bytes.firstIndex(of: 10) ?? size
    var method = Array(bytes[0..<newline]).map { CChar(bitPattern: $0) }
    method.append(0)
    var params = newline < size ? Array(bytes[(newline + 1)...]).map { CChar(bitPattern: $0) } : []
    params.append(0)
    var out: UnsafeMutablePointer<CChar>? = nil
    let status = cds_call(handle, method, params, &out)
    // The contract: OK or ERROR with an answer; never MISUSE for a real handle and method.
    if status == CDS_MISUSE || out == nil { abort() }
    cds_free(out)
    return 0
}
