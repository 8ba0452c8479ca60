// The C ABI of include/cds.h, implemented with `@c @implementation` so that the compiler
// checks every signature against the header. Nothing here traps on input: every failure
// becomes a status and a JSON error.
import CDS
import CDSCore
import CDSHeader

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a `cds_db *` points to: the database, retained until `cds_close`.
final class Handle: Sendable {
    let db: CDSDatabase
    init(_ db: CDSDatabase) { self.db = db }
}

/// A copy of `text` in malloc'd memory, for the host to release with `cds_free`.
private func owned(_ text: String) -> UnsafeMutablePointer<CChar>? {
    text.withCString { strdup($0) }
}

/// Reads a borrowed C string as UTF-8; nil when it is not valid UTF-8.
private func utf8(_ p: UnsafePointer<CChar>) -> String? {
    String(validatingCString: p)
}

/// The version as a C string that lives as long as the library (initialized once, never freed).
nonisolated(unsafe) private let versionCString: UnsafeMutablePointer<CChar>? = owned(CDSDatabase.version)

@c @implementation
public func cds_abi_version() -> CInt { CInt(CDSDatabase.abiVersion) }

@c @implementation
public func cds_version() -> UnsafePointer<CChar>? {
    UnsafePointer(versionCString)
}

@c @implementation
public func cds_open(_ path: UnsafePointer<CChar>?, _ optionsJSON: UnsafePointer<CChar>?,
                     _ outDB: UnsafeMutablePointer<OpaquePointer?>?,
                     _ outError: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> cds_status {
    outError?.pointee = nil
    guard let outDB else { return CDS_MISUSE }
    outDB.pointee = nil
    guard let path else { return CDS_MISUSE }
    func fail(_ e: CDSError) -> cds_status {
        outError?.pointee = owned(e.json.text)
        return CDS_ERROR
    }
    guard let pathText = utf8(path) else { return fail(CDSError.invalid("path", "must be valid UTF-8")) }
    var options = OpenOptions()
    if let optionsJSON {
        guard let text = utf8(optionsJSON) else { return fail(CDSError(.invalidJSON, "options are not valid UTF-8")) }
        do {
            options = try OpenOptions(json: try JSON.parse(text))
        } catch let e as CDSError {
            return fail(e)
        } catch let e as JSONParseError {
            return fail(CDSError(.invalidJSON, "options are not valid JSON: \(e.reason) at byte \(e.offset)"))
        } catch {
            return fail(CDSError(.internal, "\(error)"))
        }
    }
    do {
        let db = try CDSDatabase(path: pathText, options: options)
        outDB.pointee = OpaquePointer(Unmanaged.passRetained(Handle(db)).toOpaque())
        return CDS_OK
    } catch {
        return fail(error)
    }
}

@c @implementation
public func cds_close(_ db: OpaquePointer?) {
    guard let db else { return }
    Unmanaged<Handle>.fromOpaque(UnsafeRawPointer(db)).release()
}

@c @implementation
public func cds_call(_ db: OpaquePointer?, _ method: UnsafePointer<CChar>?, _ paramsJSON: UnsafePointer<CChar>?,
                     _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> cds_status {
    guard let outJSON else { return CDS_MISUSE }
    outJSON.pointee = nil
    guard let db, let method else { return CDS_MISUSE }
    let handle = Unmanaged<Handle>.fromOpaque(UnsafeRawPointer(db)).takeUnretainedValue()
    guard let name = utf8(method) else {
        outJSON.pointee = owned(CDSError(.unknownMethod, "the method name is not valid UTF-8").json.text)
        return CDS_ERROR
    }
    var params: String? = nil
    if let paramsJSON {
        guard let text = utf8(paramsJSON) else {
            outJSON.pointee = owned(CDSError(.invalidJSON, "params are not valid UTF-8").json.text)
            return CDS_ERROR
        }
        params = text
    }
    let answer = handle.db.call(name, params)
    outJSON.pointee = owned(answer.text)
    return answer.ok ? CDS_OK : CDS_ERROR
}

@c @implementation
public func cds_interrupt(_ db: OpaquePointer?) {
    guard let db else { return }
    Unmanaged<Handle>.fromOpaque(UnsafeRawPointer(db)).takeUnretainedValue().db.interrupt()
}

@c @implementation
public func cds_free(_ json: UnsafeMutablePointer<CChar>?) {
    free(json)
}
