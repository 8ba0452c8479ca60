/// A compact binary form of an engine's state, so that a store can keep it beside the log
/// and open a large CDS without reading every event again (`IndicatorEngine.snapshot()`).
///
/// Integers are zigzag LEB128 varints; every string is written once and referred to by its
/// number afterwards (ids recur in many tables); containers are a count and their elements.
/// The bytes start with a magic, the layout's version and a 64-bit checksum of the rest:
/// a snapshot that is damaged, truncated or of another layout is refused, never half-read.
struct SnapshotWriter {
    private(set) var bytes: [UInt8] = []
    private var strings: [String: Int] = [:]

    init() { bytes.reserveCapacity(1 << 20) }

    /// Int.max and Int.min (the engine's "never" and "always") take a byte, like small numbers.
    mutating func int(_ v: Int) {
        var u: UInt64 = v == Int.max ? 0 : v == Int.min ? 1 : UInt64(bitPattern: Int64(v) << 1 ^ Int64(v) >> 63) &+ 2
        while u >= 0x80 { bytes.append(UInt8(truncatingIfNeeded: u) | 0x80); u >>= 7 }
        bytes.append(UInt8(truncatingIfNeeded: u))
    }

    mutating func string(_ s: String) {
        if let n = strings[s] { int(n &+ 1); return }
        strings[s] = strings.count
        int(0)
        let utf8 = s.utf8
        int(utf8.count)
        bytes.append(contentsOf: utf8)
    }

    mutating func put<T: Snapshotted>(_ v: T) { v.write(to: &self) }

    mutating func array<T>(_ a: [T], _ element: (inout SnapshotWriter, T) -> Void) {
        int(a.count)
        for e in a { element(&self, e) }
    }

    mutating func dictionary<K: Snapshotted, V>(_ d: [K: V], _ value: (inout SnapshotWriter, V) -> Void) {
        int(d.count)
        for (k, v) in d { k.write(to: &self); value(&self, v) }
    }

    /// The bytes with their header: magic, layout version, checksum of the body.
    func sealed(version: Int) -> [UInt8] { Self.sealed(version: version, sections: [self]) }

    /// Sections, each with its own strings so that each can be read on its own thread, as
    /// one body behind the header: their count, their lengths, their bytes.
    static func sealed(version: Int, sections: [SnapshotWriter]) -> [UInt8] {
        var body = SnapshotWriter()
        body.int(sections.count)
        for s in sections { body.int(s.bytes.count) }
        for s in sections { body.bytes.append(contentsOf: s.bytes) }
        var head = SnapshotWriter()
        head.bytes.append(contentsOf: SnapshotReader.magic)
        head.int(version)
        var sum = body.bytes.withUnsafeBytes { Snapshot.checksum($0) }
        for _ in 0..<8 { head.bytes.append(UInt8(truncatingIfNeeded: sum)); sum >>= 8 }
        return head.bytes + body.bytes
    }
}

/// Reads what a `SnapshotWriter` wrote; every read is checked against the bytes left and
/// answers a `storage` error past them.
struct SnapshotReader {
    static let magic: [UInt8] = Array("CDS-SNAP".utf8)
    private let bytes: [UInt8]
    private var at = 0
    /// Where this reader's bytes end (its section's end).
    private var end: Int
    private var strings: [String] = []

    /// The one section of `sealed` bytes, once their magic, version and checksum are checked.
    init(sealed: [UInt8], version: Int) throws(CDSError) {
        let sections = try Self.sections(sealed: sealed, version: version)
        guard sections.count == 1, let only = sections.first else { throw Self.damage("it holds \(sections.count) sections") }
        self = only
    }

    private init(_ bytes: [UInt8], at: Int, end: Int) {
        self.bytes = bytes; self.at = at; self.end = end
    }

    /// The sections of `sealed` bytes, once their magic, version and checksum are checked.
    static func sections(sealed: [UInt8], version: Int) throws(CDSError) -> [SnapshotReader] {
        var r = SnapshotReader(sealed, at: 0, end: sealed.count)
        guard sealed.count >= magic.count + 9, sealed.prefix(magic.count).elementsEqual(magic) else { throw damage("it is not a snapshot") }
        r.at = magic.count
        guard try r.int() == version else { throw damage("it has another layout") }
        var sum: UInt64 = 0
        for i in 0..<8 { sum |= UInt64(try r.byte()) << (8 * UInt64(i)) }
        let body = r.at
        guard sealed.withUnsafeBytes({ Snapshot.checksum(UnsafeRawBufferPointer(rebasing: $0[body...])) }) == sum else { throw damage("its checksum does not match") }
        let n = try r.count()
        var lengths: [Int] = []
        for _ in 0..<n { lengths.append(try r.count()) }
        var out: [SnapshotReader] = []
        var start = r.at
        for length in lengths {
            guard length <= sealed.count - start else { throw damage("a section ends past the bytes") }
            out.append(SnapshotReader(sealed, at: start, end: start + length))
            start += length
        }
        guard start == sealed.count else { throw damage("bytes are left after the sections") }
        return out
    }

    static func damage(_ why: String) -> CDSError { CDSError(.storage, "the engine snapshot is damaged: \(why)") }

    var isAtEnd: Bool { at == end }

    private mutating func byte() throws(CDSError) -> UInt8 {
        guard at < end else { throw Self.damage("it ends early") }
        let b = bytes[at]
        at += 1
        return b
    }

    mutating func int() throws(CDSError) -> Int {
        var u: UInt64 = 0, shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw Self.damage("an integer is too long") }
            u |= UInt64(b & 0x7f) << shift
            if b < 0x80 { break }
            shift += 7
        }
        switch u {
        case 0: return Int.max
        case 1: return Int.min
        default: u &-= 2; return Int(Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1))
        }
    }

    /// A count of elements still to read: each takes a byte at least.
    mutating func count() throws(CDSError) -> Int {
        let n = try int()
        guard n >= 0, n <= end - at else { throw Self.damage("a count of \(n) exceeds what is left") }
        return n
    }

    mutating func string() throws(CDSError) -> String {
        let n = try int()
        if n > 0 {
            guard n <= strings.count else { throw Self.damage("string \(n) was never written") }
            return strings[n - 1]
        }
        guard n == 0 else { throw Self.damage("a negative string number") }
        let length = try count()
        let start = at
        let s = bytes.withUnsafeBufferPointer { b in String(decoding: UnsafeBufferPointer(rebasing: b[start..<(start + length)]), as: UTF8.self) }
        at += length
        strings.append(s)
        return s
    }

    mutating func get<T: Snapshotted>(_: T.Type = T.self) throws(CDSError) -> T { try T(from: &self) }

    mutating func array<T>(_ element: (inout SnapshotReader) throws(CDSError) -> T) throws(CDSError) -> [T] {
        let n = try count()
        var out: [T] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try element(&self)) }
        return out
    }

    mutating func dictionary<K: Snapshotted, V>(_ value: (inout SnapshotReader) throws(CDSError) -> V) throws(CDSError) -> [K: V] {
        let n = try count()
        var out: [K: V] = Dictionary(minimumCapacity: n)
        for _ in 0..<n {
            let k = try K(from: &self)
            out[k] = try value(&self)
        }
        guard out.count == n else { throw Self.damage("a key is written twice") }
        return out
    }
}

/// The checksum of a snapshot.
enum Snapshot {
    /// A 64-bit multiply-xorshift hash over 8-byte words: catches damage, not an adversary
    /// (whoever can write the file can write the log too).
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        let words = bytes.count / 8
        for i in 0..<words {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
        }
        var tail: UInt64 = 0
        for (n, b) in bytes[(words &* 8)...].enumerated() { tail |= UInt64(b) << (8 &* UInt64(n)) }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        return h ^ h >> 29
    }
}

/// A value a snapshot writes and reads back as it was.
protocol Snapshotted {
    func write(to w: inout SnapshotWriter)
    init(from r: inout SnapshotReader) throws(CDSError)
}

extension Int: Snapshotted {
    func write(to w: inout SnapshotWriter) { w.int(self) }
    init(from r: inout SnapshotReader) throws(CDSError) { self = try r.int() }
}

extension Int64: Snapshotted {
    func write(to w: inout SnapshotWriter) { w.int(Int(self)) }
    init(from r: inout SnapshotReader) throws(CDSError) { self = Int64(try r.int()) }
}

extension Int32: Snapshotted {
    func write(to w: inout SnapshotWriter) { w.int(Int(self)) }
    init(from r: inout SnapshotReader) throws(CDSError) {
        guard let v = Int32(exactly: try r.int()) else { throw SnapshotReader.damage("an integer exceeds 32 bits") }
        self = v
    }
}

extension Bool: Snapshotted {
    func write(to w: inout SnapshotWriter) { w.int(self ? 1 : 0) }
    init(from r: inout SnapshotReader) throws(CDSError) {
        switch try r.int() {
        case 0: self = false
        case 1: self = true
        default: throw SnapshotReader.damage("a flag is neither 0 nor 1")
        }
    }
}

extension String: Snapshotted {
    func write(to w: inout SnapshotWriter) { w.string(self) }
    init(from r: inout SnapshotReader) throws(CDSError) { self = try r.string() }
}

extension Optional: Snapshotted where Wrapped: Snapshotted {
    func write(to w: inout SnapshotWriter) {
        if let v = self { w.int(1); v.write(to: &w) } else { w.int(0) }
    }
    init(from r: inout SnapshotReader) throws(CDSError) {
        switch try r.int() {
        case 0: self = nil
        case 1: self = try Wrapped(from: &r)
        default: throw SnapshotReader.damage("an optional is neither absent nor present")
        }
    }
}

extension Array: Snapshotted where Element: Snapshotted {
    func write(to w: inout SnapshotWriter) { w.array(self) { w, e in e.write(to: &w) } }
    init(from r: inout SnapshotReader) throws(CDSError) { self = try r.array { r throws(CDSError) in try Element(from: &r) } }
}

extension Set: Snapshotted where Element: Snapshotted {
    func write(to w: inout SnapshotWriter) {
        w.int(count)
        for e in self { e.write(to: &w) }
    }
    init(from r: inout SnapshotReader) throws(CDSError) {
        let n = try r.count()
        self.init(minimumCapacity: n)
        for _ in 0..<n { insert(try Element(from: &r)) }
        guard count == n else { throw SnapshotReader.damage("an element is written twice") }
    }
}

extension Dictionary: Snapshotted where Key: Snapshotted, Value: Snapshotted {
    func write(to w: inout SnapshotWriter) { w.dictionary(self) { w, v in v.write(to: &w) } }
    init(from r: inout SnapshotReader) throws(CDSError) { self = try r.dictionary { r throws(CDSError) in try Value(from: &r) } }
}

extension SnapshotReader {
    /// A term written by its code (a code this release does not know is damage).
    mutating func term<V: Vocabulary>(_: V.Type = V.self) throws(CDSError) -> V {
        let code = try string()
        guard let v = V(rawValue: code) else { throw Self.damage("\"\(code)\" is not a code of \(V.self)") }
        return v
    }

    /// A date written by its day number, within the years 1 to 9999.
    mutating func date() throws(CDSError) -> LocalDate {
        let d = try int()
        guard (-719_162...2_932_896).contains(d) else { throw Self.damage("day \(d) is not a date") }
        return LocalDate(daysSinceEpoch: d)
    }
}
