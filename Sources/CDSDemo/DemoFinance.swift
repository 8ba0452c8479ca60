import CDSCore

/// Solidarity finance in the demo CDS: the exchange rate the CDS sets in January, the
/// water project's funding plan checked against PRA/OSIM (and, before anyone applies,
/// against FDVA's cap of 80 % of public funds), an all-or-nothing campaign for the solar
/// pumps of Talmakante that reaches its goal thanks to the commune's matching fund, and
/// one for the argan cooperative that misses it and refunds every gift.
enum DemoFinance {
    typealias Caller = (String, JSONObject) throws(CDSError) -> JSON

    /// January: the CDS sets the rate its conversions use (PRA/OSIM's caps are in euros, the plans in dirhams).
    static func rates(_ call: Caller, ids: [String: String]) throws(CDSError) {
        _ = try call("rate.set", ["from": "EUR", "to": "MAD", "rate": "10.85", "on": "2026-01-01", "actor": .string(ids["facilitator"] ?? ""),
                                  "at": "2026-01-08T09:00:00Z"])
    }

    /// `minor` centimes as "1 250 000 MAD" (cents shown only when there are some).
    static func text(_ minor: Int64, _ currency: String) -> String {
        let cents = minor % 100
        return (minor / 100).grouped + (cents == 0 ? "" : "," + (cents < 10 ? "0" : "") + String(cents)) + " " + currency
    }

    /// A campaign's story, from the draft to the settlement; answers the lines to print.
    struct Gift { let who: String; let minor: Int64; let currency: String; let on: String; let collect: String? }

    static func campaign(_ call: Caller, ids: [String: String], project: String, adc: String, title: String, goal: Int64, opens: String, closes: String,
                         pool: (org: String, rep: String, name: String, amount: Int64, rateBP: Int64, capPerGift: Int64)?, gifts: [Gift],
                         settle: String) throws(CDSError) -> [String] {
        let c = try call("campaign.create", ["project": .string(ids[project] ?? ""), "title": ["fr": .string(title)], "model": "all_or_nothing",
                                             "goal": ["minor": .int(goal), "currency": "MAD"], "opens_on": .string(opens), "closes_on": .string(closes),
                                             "actor": .string(adc), "at": .string(opens + "T08:00:00Z")])
        let id = c["id"]?.stringValue ?? ""
        _ = try call("campaign.open", ["id": .string(id), "actor": .string(adc), "at": .string(opens + "T08:30:00Z")])
        var lines = ["  \(title) — all or nothing, goal \(text(goal, "MAD")), \(opens) to \(closes)"]
        if let pool {
            _ = try call("pool.create", ["organization": .string(ids[pool.org] ?? ""), "name": .string(pool.name), "amount": ["minor": .int(pool.amount), "currency": "MAD"],
                                         "campaign": .string(id), "rate_bp": .int(pool.rateBP), "cap_per_gift": .int(pool.capPerGift),
                                         "opens_on": .string(opens), "closes_on": .string(closes), "actor": .string(ids[pool.rep] ?? ""), "at": .string(opens + "T09:00:00Z")])
            lines.append("    \(pool.name): \(pool.rateBP / 100) % of each gift, at most \(text(pool.capPerGift, "MAD")) per gift, up to \(text(pool.amount, "MAD"))")
        }
        for g in gifts {
            let giver = ids[g.who] ?? ""
            let pledged = try call("gift.create", ["campaign": .string(id), "member": .string(giver), "amount": ["minor": .int(g.minor), "currency": .string(g.currency)],
                                                   "on": .string(g.on), "actor": .string(giver), "at": .string(g.on + "T20:00:00Z")])
            var gift = pledged
            if let day = g.collect {
                gift = try call("gift.move", ["id": pledged["id"] ?? "", "to": "collected", "on": .string(day), "actor": .string(adc), "at": .string(day + "T10:00:00Z")])
            }
            let name = try call("member.get", ["id": .string(giver)])["name"]?.stringValue ?? ""
            var line = "    \(g.on) \(name): \(text(g.minor, g.currency))"
            if g.currency != "MAD" { line += " (\(text(gift["amount"]?["minor"]?.intValue ?? 0, "MAD")) at \(gift["rate"]?["rate"]?.stringValue ?? ""))" }
            line += g.collect == nil ? ", pledged" : ", collected"
            for m in gift["matches"]?.arrayValue ?? [] {
                line += ", matched \(text(m["amount"]?.intValue ?? 0, "MAD"))"
                if let why = m["limited_by"]?.stringValue {
                    line += " of \(text(m["wanted"]?.intValue ?? 0, "MAD")) (\(MatchLimit(rawValue: why)?.labels.en.lowercased() ?? why))"
                }
            }
            lines.append(line)
        }
        let settled = try call("campaign.settle", ["id": .string(id), "on": .string(settle), "actor": .string(adc), "at": .string(settle + "T09:00:00Z")])
        let totals = settled["totals"] ?? .null
        func minor(_ k: String) -> Int64 { totals[k]?["minor"]?.intValue ?? 0 }
        let status = settled["status"]?.stringValue ?? ""
        lines.append("    Settled \(settle): " + (status == "succeeded"
            ? "succeeded, \(text(minor("received"), "MAD")) received (\(text(minor("collected"), "MAD")) of gifts and \(text(minor("matched"), "MAD")) matched)"
            : "failed, the goal was missed: \(text(minor("refunded"), "MAD")) refunded and every pledge released"))
        return lines
    }

    /// The water plan's check, the two campaigns, and the year's finance figures.
    static func build(_ call: Caller, ids: [String: String]) throws(CDSError) -> [String] {
        var lines = ["Funding plan of the water project, checked on 2026-05-20:"]
        let check = try call("project.funding_check", ["id": .string(ids["project.water.anzi"] ?? ""), "on": "2026-05-20", "programmes": ["fdva"], "locale": "en",
                                                       "actor": .string(ids["adc.anzi"] ?? "")])
        for p in check["programmes"]?.arrayValue ?? [] {
            let whatIf = p["what_if"] == true
            let verdict = p["met"] == true ? "every rule met" : "a rule is broken"
            lines.append("  \(p["programme"]?.stringValue ?? "")" + (whatIf ? " (what if the association also applied)" : "") + ": " + verdict)
            for rule in p["rules"]?.arrayValue ?? [] {
                lines.append("    \(rule["met"] == true ? "✓" : "✗") \(rule["label"]?.stringValue ?? "")")
            }
        }

        lines.append("Campaigns (June–October 2026):")
        lines += try campaign(call, ids: ids, project: "project.solar.talmakante", adc: ids["adc.talmakante"] ?? "", title: "Pompage solaire : la part de la diaspora",
                              goal: 6_000_000, opens: "2026-06-15", closes: "2026-07-31",
                              pool: (org: "commune.talmakante", rep: "representative.talmakante", name: "Abondement de la commune de Talmakante",
                                     amount: 2_000_000, rateBP: 5000, capPerGift: 500_000),
                              gifts: [Gift(who: "technician.rotterdam", minor: 1_500_000, currency: "MAD", on: "2026-06-16", collect: "2026-06-18"),
                                      Gift(who: "teacher.barcelona", minor: 800_000, currency: "MAD", on: "2026-06-20", collect: "2026-06-22"),
                                      Gift(who: "engineer.lyon", minor: 100_000, currency: "EUR", on: "2026-06-25", collect: "2026-06-26"),
                                      Gift(who: "president.gennevilliers", minor: 1_200_000, currency: "MAD", on: "2026-07-02", collect: "2026-07-03"),
                                      Gift(who: "accountant.brussels", minor: 400_000, currency: "MAD", on: "2026-07-10", collect: "2026-07-12")],
                              settle: "2026-08-01")
        lines += try campaign(call, ids: ids, project: "project.argan.tafraout", adc: ids["adc.tafraout"] ?? "", title: "Emballages et vente en ligne de l'argan",
                              goal: 8_000_000, opens: "2026-09-01", closes: "2026-10-15", pool: nil,
                              gifts: [Gift(who: "teacher.barcelona", minor: 1_000_000, currency: "MAD", on: "2026-09-03", collect: "2026-09-04"),
                                      Gift(who: "accountant.brussels", minor: 500_000, currency: "MAD", on: "2026-09-10", collect: "2026-09-11"),
                                      Gift(who: "engineer.madrid", minor: 40_000, currency: "EUR", on: "2026-09-20", collect: "2026-09-21"),
                                      Gift(who: "president.gennevilliers", minor: 2_000_000, currency: "MAD", on: "2026-10-10", collect: nil)],
                              settle: "2026-10-16")

        let f = try call("finance.indicators", ["as_of": "2026-12-31"])
        lines.append("Solidarity finance as of 2026-12-31:")
        for row in f["per_currency"]?.arrayValue ?? [] {
            let cur = row["currency"]?.stringValue ?? ""
            lines.append("  collected \(text(row["collected"]?.intValue ?? 0, cur)), refunded \(text(row["refunded"]?.intValue ?? 0, cur)), matched \(text(row["matched"]?.intValue ?? 0, cur))")
        }
        lines.append("  campaigns succeeded \(f["campaigns"]?["succeeded"]?.intValue ?? 0), failed \(f["campaigns"]?["failed"]?.intValue ?? 0); "
            + "funding plans meeting every rule \(f["plans"]?["meeting_every_rule"]?.intValue ?? 0) of \(f["plans"]?["checked"]?.intValue ?? 0)")
        let byGender = f["by_gender"]?.objectValue ?? JSONObject()
        for gender in byGender.keys.sorted() {
            let collected = (byGender[gender]?.arrayValue ?? []).compactMap { $0["collected"]?.intValue }.saturatedSum()
            lines.append("  given by \(gender): \(text(collected, "MAD"))")
        }
        return lines
    }
}
