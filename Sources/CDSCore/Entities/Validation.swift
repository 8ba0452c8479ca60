/// The length limits of free-text fields, shared by the rules and the JSON Schemas.
public enum Limits {
    /// A person's or organization's name.
    public static let name = 200
    /// A city.
    public static let city = 100
    /// An e-mail address (RFC 5321).
    public static let email = 254
    /// A phone number.
    public static let phone = 32
    /// A URL.
    public static let url = 500
    /// A short reference or version.
    public static let reference = 100
    /// A note, reason or summary.
    public static let note = 4000
    /// A search string.
    public static let query = 200
    /// Items in a list field (skills, languages, roles…).
    public static let listItems = 100
    /// The largest page.
    public static let page = 1000
    /// The largest amount of one quantity or sum of money, in its unit (person-days, units or minor units):
    /// 10¹⁵, so that 9,000 of them still add up inside 64 bits and any rate up to 9,000 converts one of them.
    public static let amount: Int64 = 1_000_000_000_000_000
    /// The largest count of people (beneficiaries, a target).
    public static let people: Int64 = 1_000_000_000
}

/// Checks of free-text fields that every entity uses.
public enum Validate {
    /// A trimmed, non-empty, printable text of at most `max` characters.
    public static func text(_ s: String, field: String, max: Int) throws(CDSError) -> String {
        let t = trimmed(s)
        guard !t.isEmpty else { throw CDSError.invalid(field, "must not be empty") }
        // Counted in Unicode scalars, as JSON Schema's maxLength counts them.
        guard t.unicodeScalars.count <= max else { throw CDSError.invalid(field, "must be at most \(max) characters") }
        guard Text.isPrintable(t) else { throw CDSError.invalid(field, "must not contain control characters") }
        return t
    }

    /// An optional text: nil or blank gives nil.
    public static func optionalText(_ s: String?, field: String, max: Int) throws(CDSError) -> String? {
        guard let s, !trimmed(s).isEmpty else { return nil }
        return try text(s, field: field, max: max)
    }

    /// An e-mail address of the shape `local@domain.tld`.
    public static func email(_ s: String?, field: String = "email") throws(CDSError) -> String? {
        guard let e = try optionalText(s, field: field, max: Limits.email) else { return nil }
        let parts = e.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !e.contains(" ")
        else { throw CDSError.invalid(field, "must be an e-mail address such as name@example.org") }
        return e
    }

    /// A phone number: digits, spaces, and + - ( ) . only.
    public static func phone(_ s: String?, field: String = "phone") throws(CDSError) -> String? {
        guard let p = try optionalText(s, field: field, max: Limits.phone) else { return nil }
        guard p.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || " +-().".unicodeScalars.contains($0) }),
            p.unicodeScalars.contains(where: { ("0"..."9").contains($0) })
        else { throw CDSError.invalid(field, "must be a phone number (digits, spaces, + - ( ) .)") }
        return p
    }

    /// A list without duplicates, at most `Limits.listItems` long.
    public static func unique<T: Hashable>(_ items: [T], field: String) throws(CDSError) -> [T] {
        guard items.count <= Limits.listItems else { throw CDSError.invalid(field, "must have at most \(Limits.listItems) items") }
        var seen = Set<T>()
        for i in items where !seen.insert(i).inserted { throw CDSError.invalid(field, "must not repeat an item") }
        return items
    }

    /// `end` is not before `start`.
    public static func order(_ start: LocalDate, _ end: LocalDate?, field: String, startField: String) throws(CDSError) {
        if let end, end < start { throw CDSError.invalid(field, "must not be before \(startField)") }
    }

    /// The text without leading and trailing white space (the one trimming rule of every text).
    public static func trimmed(_ s: String) -> String {
        // Most texts begin and end with a visible ASCII character: nothing to trim, and no
        // Unicode property to look up (a character that ends in such a byte is not white space).
        if let first = s.utf8.first, let last = s.utf8.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F { return s }
        var sub = Substring(s)
        while let f = sub.first, f.isWhitespace { sub.removeFirst() }
        while let l = sub.last, l.isWhitespace { sub.removeLast() }
        return String(sub)
    }
}
