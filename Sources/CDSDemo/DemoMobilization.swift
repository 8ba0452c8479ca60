import CDSCore

/// The mobilization of the demo: the ADC of Anzi invites three members of the association
/// in Gennevilliers (its president, already a member, and two new ones); one of them brings
/// two more; an outreach for the water project's engineering need reaches the engineer in
/// Lyon in French; the year's report shows the circles.
enum DemoMobilization {
    /// March: the invitations and the circles they start.
    static func invitations(_ call: (String, JSONObject) throws(CDSError) -> JSON, ids: inout [String: String]) throws(CDSError) -> [String] {
        let adc = ids["adc.anzi"] ?? ""
        var lines = ["Invitations (March 2026), who brought whom:"]
        func invite(by: String, _ channel: String, _ name: String, _ email: String, on day: String) throws(CDSError) -> String {
            try call("invitation.create", ["by": .string(by), "channel": .string(channel), "name": .string(name), "email": .string(email),
                                           "expires_at": .string("2026-06-30T00:00:00Z"), "actor": .string(by), "at": .string(day + "T09:00:00Z")])["code"]?.stringValue ?? ""
        }
        func join(_ code: String, _ key: String, _ name: String, _ gender: String, city: String, on day: String) throws(CDSError) -> String {
            let r = try call("invitation.accept", ["code": .string(code), "at": .string(day + "T18:00:00Z"), "profile": [
                "name": .string(name), "gender": .string(gender), "roles": ["diaspora"], "residence_country": "FR", "residence_city": .string(city),
                "origin": "09.581.01.05", "languages": ["shi", "fr"],
                "organizations": [["organization": .string(ids["org.gennevilliers"] ?? ""), "role": "membre"]],
                "consents": [["purpose": "processing", "version": "2026-01"], ["purpose": "contact", "version": "2026-01"]]]])
            let id = r["member"]?["id"]?.stringValue ?? ""
            ids[key] = id
            return id
        }
        // The president is a member already: his invitation links him.
        let president = ids["president.gennevilliers"] ?? ""
        let code = try call("invitation.create", ["by": .string(adc), "channel": "messaging", "name": "Lahcen Id Ali", "actor": .string(adc),
                                                  "expires_at": "2026-06-30T00:00:00Z", "at": "2026-03-02T09:00:00Z"])["code"]?.stringValue ?? ""
        _ = try call("invitation.accept", ["code": .string(code), "member": .string(president), "actor": .string(president), "at": "2026-03-02T20:00:00Z"])
        lines.append("  Lahcen Id Ali ← the ADC of Anzi (messaging)")
        let fadma = try join(try invite(by: adc, "email", "Fadma Ait Brahim", "fadma.aitbrahim@example.org", on: "2026-03-03"),
                             "member.gennevilliers.fadma", "Fadma Ait Brahim", "f", city: "Gennevilliers", on: "2026-03-04")
        lines.append("  Fadma Ait Brahim ← the ADC of Anzi (e-mail)")
        _ = try join(try invite(by: adc, "email", "Omar Id Bella", "omar.idbella@example.org", on: "2026-03-03"),
                     "member.gennevilliers.omar", "Omar Id Bella", "m", city: "Asnières-sur-Seine", on: "2026-03-06")
        lines.append("  Omar Id Bella ← the ADC of Anzi (e-mail)")
        for (key, name, gender, city) in [("member.gennevilliers.khadija", "Khadija Ait Brahim", "f", "Gennevilliers"),
                                          ("member.gennevilliers.youness", "Youness Oubella", "m", "Colombes")] {
            _ = try join(try invite(by: fadma, "messaging", name, key.replacingOccurrences(of: "member.gennevilliers.", with: "") + "@example.org", on: "2026-03-10"),
                         key, name, gender, city: city, on: "2026-03-12")
            lines.append("  \(name) ← Fadma Ait Brahim (messaging)")
        }
        return lines
    }

    /// June: the engineering need of the water project published, an outreach to the member most worth
    /// contacting; the host takes the messages and delivers them.
    static func outreach(_ call: (String, JSONObject) throws(CDSError) -> JSON, ids: [String: String], need: String, day: String) throws(CDSError) -> [String] {
        let adc = ids["adc.anzi"] ?? ""
        let sent = try call("outreach.send", ["need": .string(need), "params": ["link": "https://cds-souss-massa.example.org/besoins/eau-anzi"],
                                              "limit": 1, "actor": .string(adc), "at": .string(day + "T10:00:00Z")])
        var lines = ["Outreach for the engineering need of the water project (\(day)):"]
        let taken = try call("outbox.next", ["limit": 10, "at": .string(day + "T10:05:00Z")])["messages"]?.arrayValue ?? []
        for m in taken {
            _ = try call("outbox.ack", ["id": m["id"] ?? .null, "status": "delivered", "at": .string(day + "T10:06:00Z")])
            let who = try call("member.get", ["id": m["member"] ?? .null])["name"]?.stringValue ?? ""
            lines.append("  \(who) — \(m["channel"]?.stringValue ?? "") in \(m["language"]?.stringValue ?? ""): « \(m["subject"]?.stringValue ?? "") »")
        }
        lines.append("  \(sent["queued"]?.arrayValue?.count ?? 0) messages written, \(taken.count) delivered")
        return lines
    }

    /// December: the circles and the outreach in the year's report.
    static func report(_ call: (String, JSONObject) throws(CDSError) -> JSON) throws(CDSError) -> [String] {
        let circles = try call("circle.indicators", ["as_of": "2026-12-31"])
        var lines = ["Mobilization circles as of 2026-12-31: \(circles["members"]?.intValue ?? 0) members brought in, "
                         + "\(circles["migrants"]?.intValue ?? 0) of them mobilized (a confirmed or delivered contribution)"]
        for c in circles["circles"]?.arrayValue ?? [] {
            lines.append("  circle \(c["circle"]?.intValue ?? 0): \(c["members"]?.intValue ?? 0) members, \(c["migrants"]?.intValue ?? 0) migrants mobilized")
        }
        let reached = try call("outreach.indicators", ["as_of": "2026-12-31"])
        lines.append("Outreach: \(reached["reached"]?.intValue ?? 0) people reached, \(reached["responded"]?.intValue ?? 0) responded within 30 days")
        return lines
    }
}
