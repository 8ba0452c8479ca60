import CDSCore
import Testing

@Suite("CSV stream")
struct CSVStreamTests {
    func read(_ text: String, separator: UInt8? = nil, chunk: Int = .max) -> (records: [CSVStream.Record], separator: UInt8?) {
        var reader = CSVStream(separator: separator, maxField: 50)
        var out: [CSVStream.Record] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let end = min(bytes.count, i + min(chunk, bytes.count))
            reader.feed(bytes[i..<end]) { out.append($0) }
            i = end
        }
        reader.finish { out.append($0) }
        return (out, reader.separator)
    }

    @Test("quoted fields keep their separators, doubled quotes and line breaks; a BOM, CRLF and blank lines are no data")
    func quoting() {
        let text = "\u{FEFF}nom;ville\r\n\"Aït Ouarab; Brahim\";\"Saint-Denis\r\n93\"\r\n\r\n\"dit \"\"le sage\"\"\";عائشة\r\nlast;row"
        let (records, sep) = read(text)
        #expect(sep == UInt8(ascii: ";"))
        #expect(records.map(\.fields) == [["nom", "ville"], ["Aït Ouarab; Brahim", "Saint-Denis\r\n93"], ["dit \"le sage\"", "عائشة"], ["last", "row"]])
        #expect(records.map(\.number) == [1, 2, 4, 5], "a record's number is its row in the sheet")
    }

    @Test("the same text read a byte at a time gives the same records: a file streams in chunks of any size")
    func chunks() {
        let text = "\u{FEFF}a,b\n\"x,\"\"y\"\"\",z\n1,2\n"
        #expect(read(text, chunk: 1).records == read(text).records)
        #expect(read(text, chunk: 3).records == read(text).records)
        #expect(read(text).separator == UInt8(ascii: ","))
    }

    @Test("a field too long is cut and its record marked; a quote left open marks the last record")
    func damage() {
        let (records, _) = read("a,b\n\(String(repeating: "x", count: 60)),1\n\"open,2\n")
        #expect(records[1].damage?.contains("longer than 50 bytes") == true)
        #expect(records[1].fields[0].utf8.count == 50)
        #expect(records[2].damage?.contains("not closed") == true)
    }

    @Test("what CSVWriter writes, CSVStream reads back; a cell a spreadsheet would run as a formula is protected")
    func roundTrip() {
        let w = CSVWriter(separator: ";")
        let cells = ["a;b", "say \"hi\"", "two\nlines", " padded ", "=SUM(A1)", "-12", "plain"]
        let (records, _) = read(w.line(["h1", "h2", "h3", "h4", "h5", "h6", "h7"]) + w.line(cells), separator: UInt8(ascii: ";"))
        #expect(records.last?.fields == ["a;b", "say \"hi\"", "two\nlines", " padded ", "'=SUM(A1)", "-12", "plain"])
    }

    @Test("dates in the forms of a French spreadsheet, only when declared; 30 February is no date")
    func dates() {
        #expect(ImportSpec.date("2026-02-28", style: .iso)?.description == "2026-02-28")
        #expect(ImportSpec.date("28/02/2026", style: .iso) == nil)
        #expect(ImportSpec.date("28/02/2026", style: .fr)?.description == "2026-02-28")
        #expect(ImportSpec.date("1.3.2026", style: .fr)?.description == "2026-03-01")
        #expect(ImportSpec.date("30/02/2026", style: .fr) == nil)
        #expect(ImportSpec.date("2026-02-30", style: .fr) == nil)
        #expect(ImportSpec.integer("1 250 000") == 1_250_000)
        #expect(ImportSpec.boolean("Oui") == true && ImportSpec.boolean("peut-être") == nil)
    }
}
