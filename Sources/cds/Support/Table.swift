import CDSCore

/// Tables and figures as people read them.
enum Table {
    /// Prints rows under a header, columns aligned.
    static func print(_ header: [String], _ rows: [[String]]) {
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                i == cells.count - 1 || i >= widths.count ? c : c + String(repeating: " ", count: max(0, widths[i] - c.count))
            }.joined(separator: "  ")
        }
        Swift.print(line(header))
        Swift.print(line(widths.map { String(repeating: "-", count: $0) }))
        for row in rows { Swift.print(line(row)) }
    }

    /// Prints every field of an entity, one `key: value` a line.
    static func fields(_ entity: JSON) {
        for (key, value) in entity.objectValue ?? JSONObject() { Swift.print("\(key): \(value.cell)") }
    }

    /// Prints a list answer's items as a table of `columns`, then how many (and whether more are left).
    static func items(_ answer: JSON, _ columns: [String], noun: String) {
        page(answer, columns, noun: noun) { item in columns.map { item[$0]?.cell ?? "" } }
    }

    /// Prints a list answer's items, one `row` each under `header`, then how many (and whether more are left).
    static func page(_ answer: JSON, _ header: [String], noun: String, row: (JSON) -> [String]) {
        let items = answer["items"]?.arrayValue ?? []
        print(header, items.map(row))
        let withheld = answer["withheld"]?.intValue.map { ", \($0) withheld: not yours to see" } ?? ""
        Swift.print("\(items.count) \(noun)" + withheld + (answer["next_cursor"]?.isNull == false ? " (more: raise --limit)" : ""))
    }
}

/// Numbers, money and scores as the tables write them.
/// What a progress line counts.
enum ProgressUnit: String {
    case bytes, rows
}

enum Format {
    /// Digits grouped by thousands with spaces, as amounts are written in French: 1250000 → "1 250 000".
    static func grouped(_ n: Int64) -> String {
        var out = ""
        for (i, ch) in String(n.magnitude).reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(" ") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + String(out.reversed())
    }

    /// `{"minor", "currency"}` as `1 250 000,00 MAD`; `—` when absent.
    static func money(_ m: JSON?) -> String {
        guard let minor = m?["minor"]?.intValue, let currency = m?["currency"]?.stringValue else { return "—" }
        let cents = minor.magnitude % 100
        return (minor < 0 ? "-" : "") + grouped(Int64(minor.magnitude / 100)) + "," + (cents < 10 ? "0" : "") + String(cents) + " " + currency
    }

    /// Minor units in a currency, as `money` writes them; `—` when either is absent.
    static func money(minor: JSON?, currency: JSON?) -> String { money(["minor": minor ?? .null, "currency": currency ?? .null]) }

    /// A quantity `{"unit", "amount", "currency"}`: money in major units, the rest as counted.
    static func quantity(_ q: JSON?) -> String {
        guard let amount = q?["amount"]?.intValue, let unit = q?["unit"]?.stringValue else { return "" }
        if unit == QuantityUnit.money.rawValue { return money(minor: .int(amount), currency: q?["currency"]) }
        return "\(grouped(amount)) \(unit)"
    }

    /// A share (0…1) as a rounded percentage; empty when it is not a number.
    static func percent(_ s: JSON?) -> String {
        guard let d = s?.doubleValue, d.isFinite, abs(d) < 1e12 else { return "" }
        return String(Int((d * 100).rounded())) + " %"
    }

    /// The line a long command draws as it goes: `importing members.csv ██████░░░░ 60 % (7,2 of 12 MB)`
    /// when the total is known, `exporting members: 12 000 rows` when it is not (`unit` names what is counted).
    static func progress(_ label: String, done: Int64, total: Int64?, unit: ProgressUnit) -> String {
        guard let total, total > 0 else { return "\(label): \(grouped(done)) \(unit.rawValue)" }
        let share = Double(min(done, total)) / Double(total)
        let figures = unit == .bytes ? "\(megabytes(done)) of \(megabytes(total)) MB" : "\(grouped(done)) of \(grouped(total)) \(unit.rawValue)"
        return "\(label) \(bar(share)) (\(figures))"
    }

    /// Bytes as megabytes with one decimal, written the French way: 7340032 → "7,3".
    static func megabytes(_ bytes: Int64) -> String {
        let tenths = (bytes.magnitude * 10 + 524_288) / 1_048_576
        return grouped(Int64(tenths / 10)) + "," + String(tenths % 10)
    }

    /// A progress bar of 10 cells and the percentage.
    static func bar(_ x: Double) -> String {
        guard x.isFinite else { return "" }
        let cells = Int((min(1, max(0, x)) * 10).rounded())
        return String(repeating: "█", count: cells) + String(repeating: "░", count: 10 - cells) + " " + percent(.double(x))
    }
}

extension JSON {
    /// A table cell: strings as they are, null as empty, lists joined, the rest as JSON.
    var cell: String {
        switch self {
        case .null: ""
        case .string(let s): s
        case .array(let a): a.map(\.cell).joined(separator: ",")
        default: text
        }
    }
}
