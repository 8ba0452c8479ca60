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

/// Makes the opaque ids of entities: a short prefix and 16 random base32 characters.
public enum Identifier {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    /// A new id such as `mbr_7k2q9d0s4m1x8c3v`.
    /// 16 characters of 5 random bits each (80 bits), from two draws of the system's generator
    /// (one draw a character was 16 getrandom calls an id).
    public static func make(_ prefix: String) -> String {
        var rng = SystemRandomNumberGenerator()
        var out = Array(prefix.utf8)
        out.append(UInt8(ascii: "_"))
        var bits = rng.next() as UInt64
        for n in 0..<16 {
            if n == 12 { bits = rng.next() }          // 12 characters use 60 of the first draw's 64 bits
            out.append(alphabet[Int(bits & 31)])
            bits >>= 5
        }
        return String(decoding: out, as: UTF8.self)
    }
}
