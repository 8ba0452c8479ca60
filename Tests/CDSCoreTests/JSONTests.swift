import PropertyBased
import Testing

@testable import CDSCore

@Suite("JSON is parsed strictly and written deterministically")
struct JSONTests {
    @Test("any string survives writing and parsing back")
    func stringRoundTrip() async {
        let chars = Gen.character(in: " "..."\u{D7FF}").string(of: 0...40)
        await propertyCheck(count: 300, input: chars) { s in
            let v = JSON.array([.string(s), ["k": .string(s)]])
            #expect((try? JSON.parse(v.text)) == v)
        }
    }

    @Test("any 64-bit integer survives writing and parsing back")
    func integerRoundTrip() async {
        await propertyCheck(count: 300, input: Gen.int64()) { i in
            #expect((try? JSON.parse(JSON.int(i).text)) == .int(i))
        }
    }

    @Test("a string of control characters, quotes and backslashes between plain runs is written escaped and survives parsing back")
    func controlCharactersRoundTrip() async {
        let chars = Gen.character(in: "\u{0}"..."\u{7F}").string(of: 0...40)
        await propertyCheck(count: 300, input: chars) { s in
            let text = JSON.string(s).text
            #expect(!text.utf8.dropFirst().dropLast().contains { $0 < 0x20 } && (try? JSON.parse(text)) == .string(s))
        }
        #expect(JSON.string("a\"b\\c\nd\u{1}").text == #""a\"b\\c\nd\u0001""#)
        #expect(JSON.array([.int(Int64.min), .int(Int64.max), .int(0), .int(-7)]).text == "[-9223372036854775808,9223372036854775807,0,-7]")
    }

    @Test("escapes, surrogate pairs and non-ASCII text are read right")
    func escapes() throws {
        #expect(try JSON.parse(#""a\"b\\c\/d\n\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\né😀"))
        #expect(try JSON.parse(#""تالماكانت""#) == .string("تالماكانت"))
        #expect(JSON.string("a\u{1}b").text == #""a\u0001b""#)
    }

    @Test("malformed texts are refused with a reason", arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "01", "1.", "-", "1e", "tru", "nul", "\"abc", "[1] x",
        "{\"a\":1,\"a\":2}", #""\ud800""#, #""\udc00x""#, "\"a\u{1}b\"", "NaN", "1e999", "{'a':1}",
    ])
    func refusesMalformed(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSON.parse(text) }
    }

    @Test("nesting deeper than the limit is refused, not a stack overflow")
    func depthLimit() throws {
        let ok = String(repeating: "[", count: JSON.maxDepth) + String(repeating: "]", count: JSON.maxDepth)
        _ = try JSON.parse(ok)
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSON.parse(deep) }
    }

    @Test("integers beyond 64 bits become doubles, whole numbers with a fraction stay doubles")
    func numbers() throws {
        #expect(try JSON.parse("12345678901234567890") == .double(12345678901234567890))
        #expect(try JSON.parse("5.0") == .double(5))
        #expect(try JSON.parse("-0") == .int(0))
    }

    @Test("objects keep the order their keys were written in")
    func order() throws {
        let v = try JSON.parse(#"{"z":1,"a":2,"m":3}"#)
        #expect(v.objectValue?.keys == ["z", "a", "m"])
        #expect(v.text == #"{"z":1,"a":2,"m":3}"#)
    }
}

@Suite("Dates and instants")
struct TimeTests {
    @Test("a day number and its date convert both ways")
    func dayRoundTrip() async {
        await propertyCheck(count: 500, input: Gen.int(in: -700_000...2_900_000)) { d in
            let date = LocalDate(daysSinceEpoch: d)
            #expect(date.daysSinceEpoch == d)
            #expect(LocalDate(date.description) == date)
        }
    }

    @Test("days that do not exist are refused", arguments: ["2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "26-01-01", "2026-1-1", "2026/01/01", ""])
    func invalidDates(_ s: String) { #expect(LocalDate(s) == nil) }

    @Test("a leap day exists in a leap year")
    func leapDay() { #expect(LocalDate("2028-02-29") != nil) }

    @Test("RFC 3339 instants with offsets and fractions read to UTC")
    func instants() {
        #expect(Instant("2026-03-01T10:30:00+01:00")?.description == "2026-03-01T09:30:00Z")
        #expect(Instant("2026-03-01T09:30:00.25Z")?.description == "2026-03-01T09:30:00.250Z")
        #expect(Instant("1969-12-31T23:59:59Z")?.millisecondsSinceEpoch == -1000)
        #expect(Instant("1969-12-31T23:59:59Z")?.date.description == "1969-12-31")
        #expect(Instant("2026-03-01 09:30:00Z") == nil)
        #expect(Instant("2026-03-01T24:00:00Z") == nil)
        #expect(Instant("2026-03-01T09:30:00") == nil)
    }
}

@Suite("SHA-256, CSV and text folding")
struct SupportTests {
    @Test("SHA-256 gives the FIPS 180-4 test vectors")
    func sha256() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(String(repeating: "a", count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("CSV reads quoted fields with commas, quotes and line breaks")
    func csv() {
        let rows = CSV.records("a,b,c\n1,\"x, \"\"y\"\"\",\"l1\nl2\"\r\n2,,\n")
        #expect(rows.count == 2)
        #expect(rows[0]["b"] == "x, \"y\"")
        #expect(rows[0]["c"] == "l1\nl2")
        #expect(rows[1]["b"] == "")
    }

    @Test("folding ignores case and accents, keeps Arabic")
    func fold() {
        #expect(Text.fold("  Drâa-Tafilalet  ") == "draa tafilalet")
        #expect(Text.fold("ÉCOLE Élémentaire") == "ecole elementaire")
        #expect(Text.fold("تالماكانت") == "تالماكانت")
    }

    @Test("trimming takes off exactly the white space a loop over characters takes off, its ASCII shortcut included")
    func trimming() {
        func slow(_ s: String) -> String {
            var sub = Substring(s)
            while let f = sub.first, f.isWhitespace { sub.removeFirst() }
            while let l = sub.last, l.isWhitespace { sub.removeLast() }
            return String(sub)
        }
        let pieces = ["a", "Z", "~", "!", " ", "\t", "\n", "\r\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{2028}", "\u{3000}", "é", "e\u{301}", "بئر", "💧", "\u{7F}", ""]
        var cases: [String] = []
        for a in pieces { for b in pieces { for c in ["", "x", " y "] { cases.append(a + c + b) } } }
        for s in cases { #expect(Validate.trimmed(s) == slow(s), "\(Array(s.unicodeScalars))") }
    }

    @Test("ids are unique even a hundred thousand in the same milliseconds, carry their prefix, use the alphabet and sort in the order they were made")
    func ids() throws {
        let ids = (0..<100_000).map { _ in Identifier.make("mbr") }
        #expect(Set(ids).count == ids.count)
        let alphabet = Set("0123456789abcdefghjkmnpqrstvwxyz")
        #expect(ids.allSatisfy { $0.hasPrefix("mbr_") && $0.count == 20 && $0.dropFirst(4).allSatisfy(alphabet.contains) })
        #expect(ids == ids.sorted(), "made one after the other, they sort in that order")
        // The random part differs between ids made in different milliseconds too, and a token says nothing of the time.
        let tokens = (0..<1_000).map { _ in Identifier.token(8) }
        #expect(Set(tokens).count > 990 && tokens.allSatisfy { $0.count == 8 && $0.allSatisfy(alphabet.contains) })
        for position in 0..<8 { #expect(Set(tokens.map { Array($0)[position] }) == alphabet, "token position \(position)") }
    }
}
