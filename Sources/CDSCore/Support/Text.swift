#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
/// Text helpers shared by every rule that compares or searches names.
public enum Text {
    /// Lowercased, accents removed, spaces collapsed: the form `q` searches compare.
    /// Arabic script is kept as it is (only its tatweel is dropped).
    public static func fold(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var lastSpace = true
        for ch in s.lowercased().unicodeScalars {
            let folded: String
            switch ch {
            case "à", "á", "â", "ã", "ä", "å", "ā": folded = "a"
            case "ç", "ć", "č": folded = "c"
            case "è", "é", "ê", "ë", "ē", "ė": folded = "e"
            case "ì", "í", "î", "ï", "ī": folded = "i"
            case "ñ", "ń": folded = "n"
            case "ò", "ó", "ô", "õ", "ö", "ø", "ō": folded = "o"
            case "ù", "ú", "û", "ü", "ū": folded = "u"
            case "ý", "ÿ": folded = "y"
            case "œ": folded = "oe"
            case "æ": folded = "ae"
            case "ß": folded = "ss"
            case "’", "'", "`", "ʼ": folded = "'"
            case "\u{0640}": folded = ""
            case " ", "\t", "\n", "\r", "-", "_": folded = " "
            default: folded = String(ch)
            }
            if folded == " " {
                if !lastSpace { out += " " }
                lastSpace = true
            } else {
                out += folded
                lastSpace = folded.isEmpty ? lastSpace : false
            }
        }
        while out.hasSuffix(" ") { out.removeLast() }
        return out
    }

    /// True when `s` has no character below U+0020 other than tab and line breaks.
    public static func isPrintable(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy { $0.value >= 0x20 || $0 == "\n" || $0 == "\t" || $0 == "\r" }
    }
}

/// Makes the opaque ids of entities: a short prefix and 16 base32 characters that sort by
/// creation: 9 of the milliseconds since 1970 (45 bits), then 7 random ones (35 bits). Rows
/// keyed by such ids are appended at the end of their tables' B-trees instead of scattered
/// over them: a bulk load dirties a few pages a row, not one per index. Within a process, an
/// id made in the same millisecond as the last one takes its random part plus one, so no two
/// ever meet; across processes, two would need the same millisecond and the same 35 bits.
public enum Identifier {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)
    private static let last = LastId()

    /// The last id's millisecond and random part, behind a pthread mutex (a lock that the
    /// thread sanitizer sees; `Synchronization.Mutex` waits on a futex it does not).
    private final class LastId: @unchecked Sendable {
        private let lock: UnsafeMutablePointer<pthread_mutex_t>
        private var ms: UInt64 = 0, random: UInt64 = 0
        init() {
            lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
            pthread_mutex_init(lock, nil)
        }
        /// The millisecond and random part of the next id made at `now`: a fresh draw in a new
        /// millisecond, the last one plus one in the same (or when the clock went back).
        func next(now: UInt64, draw: () -> UInt64, mask: UInt64) -> (UInt64, UInt64) {
            pthread_mutex_lock(lock)
            defer { pthread_mutex_unlock(lock) }
            if now <= ms {
                random = (random &+ 1) & mask
            } else {
                ms = now
                random = draw() & mask
            }
            return (ms, random)
        }
    }

    /// A new id such as `mbr_1jc8x9q2m7k2q9d0`.
    public static func make(_ prefix: String) -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let now = UInt64(max(0, ts.tv_sec)) &* 1000 &+ UInt64(max(0, ts.tv_nsec)) / 1_000_000
        var rng = SystemRandomNumberGenerator()
        let mask: UInt64 = (1 << 35) - 1
        let (ms, random) = last.next(now: now, draw: { rng.next() }, mask: mask)
        var out = Array(prefix.utf8)
        out.append(UInt8(ascii: "_"))
        let high = ms & ((1 << 45) - 1)
        for n in (0..<9).reversed() { out.append(alphabet[Int((high >> (5 * UInt64(n))) & 31)]) }
        for n in (0..<7).reversed() { out.append(alphabet[Int((random >> (5 * UInt64(n))) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// `count` (at most 12) random base32 characters, from one draw of the system's generator:
    /// a token that says nothing of when it was made (an erased member's surrogate name).
    public static func token(_ count: Int) -> String {
        var rng = SystemRandomNumberGenerator()
        var bits = rng.next() as UInt64
        var out: [UInt8] = []
        for _ in 0..<min(max(count, 0), 12) {
            out.append(alphabet[Int(bits & 31)])
            bits >>= 5
        }
        return String(decoding: out, as: UTF8.self)
    }
}
