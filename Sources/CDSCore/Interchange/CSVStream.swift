/// A CSV reader that takes its input in chunks and hands over each record as soon as it is
/// complete, so a file of any size is read in bounded memory: RFC 4180 quoting (separators,
/// doubled quotes and line breaks inside quotes), `,` or `;` (given, or found from the
/// header), a UTF-8 byte order mark, CRLF or LF. A field longer than `maxField` bytes, or a
/// record of more than `maxFields` fields, is cut and its record marked, never grown without bound.
///
/// ```swift
/// var reader = CSVStream()
/// var rows: [CSVStream.Record] = []
/// reader.feed(Array("nom;genre\r\nAïcha;f\r\n".utf8)) { rows.append($0) }
/// reader.finish { rows.append($0) }   // rows[1].fields == ["Aïcha", "f"], reader.separator == ";"
/// ```
public struct CSVStream: Sendable {
    /// One record: its number (the header is 1, as a spreadsheet numbers rows), its fields,
    /// and what is wrong with it as read (a cut field, an unclosed quote).
    public struct Record: Sendable, Equatable {
        /// The record's number, from 1 (the header).
        public var number: Int
        /// Its fields, as text.
        public var fields: [String]
        /// Why the record could not be read whole, if it could not.
        public var damage: String?
    }

    /// The field separator: given, or found from the header (`;` when it has more `;` than `,` outside quotes).
    public private(set) var separator: UInt8?
    /// The longest field kept, in bytes.
    public let maxField: Int
    /// The most fields a record keeps.
    public let maxFields: Int

    private var field: [UInt8] = []
    private var fields: [String] = []
    private var quoted = false
    private var quoteEnded = false
    private var pendingCR = false
    private var atStart = true
    private var bomChecked = false
    private var bomBytes: [UInt8] = []
    private var damage: String?
    private var number = 0
    /// The header's bytes until the separator is known.
    private var header: [UInt8] = []

    /// A reader; `separator` nil finds it from the header line.
    public init(separator: UInt8? = nil, maxField: Int = 100_000, maxFields: Int = 1_000) {
        self.separator = separator; self.maxField = maxField; self.maxFields = maxFields
    }

    /// Reads `bytes`, calling `emit` for every record they complete.
    public mutating func feed<E: Error>(_ bytes: some Collection<UInt8>, _ emit: (Record) throws(E) -> Void) throws(E) {
        for b in bytes { try byte(b, emit) }
    }

    /// Ends the input: emits the last record if the text does not end with a line break.
    public mutating func finish<E: Error>(_ emit: (Record) throws(E) -> Void) throws(E) {
        if !bomChecked { let pending = bomBytes; bomBytes = []; bomChecked = true; for b in pending { try byte(b, emit) } }
        if separator == nil, !header.isEmpty { try resolveHeader(emit) }
        if quoted { damage = damage ?? "a quoted field is not closed before the end of the file" }
        if !field.isEmpty || !fields.isEmpty || quoted || quoteEnded { try endRecord(emit) }
    }

    private mutating func byte<E: Error>(_ b: UInt8, _ emit: (Record) throws(E) -> Void) throws(E) {
        // The byte order mark EF BB BF, only at the very start.
        if !bomChecked {
            bomBytes.append(b)
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            if bomBytes.count <= 3, bomBytes == Array(bom.prefix(bomBytes.count)) {
                if bomBytes.count == 3 { bomBytes = []; bomChecked = true }
                return
            }
            bomChecked = true
            let pending = bomBytes
            bomBytes = []
            for p in pending { try byte(p, emit) }
            return
        }
        if separator == nil {
            // Until the header line ends, keep its bytes to count the separators.
            header.append(b)
            if !quotedHeader(), b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") { try resolveHeader(emit) }
            return
        }
        try parse(b, emit)
    }

    /// True while the header bytes end inside quotes.
    private func quotedHeader() -> Bool {
        var q = false
        for c in header where c == UInt8(ascii: "\"") { q.toggle() }
        return q
    }

    /// Picks the separator from the header, then parses it.
    private mutating func resolveHeader<E: Error>(_ emit: (Record) throws(E) -> Void) throws(E) {
        var q = false, commas = 0, semicolons = 0
        for c in header {
            if c == UInt8(ascii: "\"") { q.toggle() } else if !q, c == UInt8(ascii: ",") { commas += 1 } else if !q, c == UInt8(ascii: ";") { semicolons += 1 }
        }
        separator = semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
        let pending = header
        header = []
        for c in pending { try parse(c, emit) }
    }

    private mutating func parse<E: Error>(_ c: UInt8, _ emit: (Record) throws(E) -> Void) throws(E) {
        let sep = separator ?? UInt8(ascii: ",")
        if pendingCR {
            pendingCR = false
            if c == UInt8(ascii: "\n") { return }
        }
        if quoted {
            if c == UInt8(ascii: "\"") { quoted = false; quoteEnded = true } else { append(c) }
            return
        }
        if quoteEnded, c == UInt8(ascii: "\"") {
            // A doubled quote inside a quoted field.
            quoted = true; quoteEnded = false
            append(c)
            return
        }
        switch c {
        case UInt8(ascii: "\""):
            if field.isEmpty && !quoteEnded { quoted = true } else { append(c) }
        case sep:
            endField()
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
            if c == UInt8(ascii: "\r") { pendingCR = true }
            try endRecord(emit)
        default:
            append(c)
        }
    }

    private mutating func append(_ c: UInt8) {
        if field.count < maxField { field.append(c) } else if damage == nil { damage = "a field is longer than \(maxField) bytes" }
    }

    private mutating func endField() {
        quoteEnded = false
        if fields.count < maxFields { fields.append(String(decoding: field, as: UTF8.self)) } else if damage == nil { damage = "a record has more than \(maxFields) fields" }
        field.removeAll(keepingCapacity: true)
    }

    private mutating func endRecord<E: Error>(_ emit: (Record) throws(E) -> Void) throws(E) {
        endField()
        number += 1
        let r = Record(number: number, fields: fields, damage: damage)
        fields.removeAll(keepingCapacity: true)
        damage = nil
        // A blank line is no record (it still counts as a row of the sheet).
        if r.fields == [""], r.damage == nil { return }
        try emit(r)
    }
}

/// Writes CSV a spreadsheet opens as it should: fields quoted when they hold the separator,
/// a quote or a line break; a cell that a spreadsheet would run as a formula (`=`, `+`, `-`,
/// `@` first) gets a leading `'` (which `ImportSpec` removes when the file comes back).
public struct CSVWriter: Sendable {
    /// The separator.
    public let separator: Character
    /// A writer.
    public init(separator: Character = ",") { self.separator = separator }

    /// One line, ending with CRLF (RFC 4180).
    public func line(_ cells: [String]) -> String {
        var out = ""
        for (n, c) in cells.enumerated() {
            if n > 0 { out.append(separator) }
            out += cell(c)
        }
        return out + "\r\n"
    }

    /// A cell, quoted when it needs to be.
    public func cell(_ text: String) -> String {
        var t = text
        if let first = t.unicodeScalars.first, "=+-@".unicodeScalars.contains(first), Double(t) == nil { t = "'" + t }
        guard t.contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || t.hasPrefix(" ") || t.hasSuffix(" ") else { return t }
        return "\"" + t.replacingQuotes() + "\""
    }
}

extension String {
    /// The text with every `"` doubled.
    func replacingQuotes() -> String {
        var out = ""
        for ch in self { out.append(ch); if ch == "\"" { out.append("\"") } }
        return out
    }
}
