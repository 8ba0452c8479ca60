// Package.swift: .product(name: "CDS", package: "cds-core")
import CDS
import CDSCore

// A trusted handle acts as the system (an import, a job): every method, nothing withheld.
let db = try CDSDatabase(path: "cds.sqlite", options: .trusted)

// Every door calls the same JSON methods; params and results are CDSCore's `JSON` values.
let talmakante = try db.call("territory.get", params: ["code": "09.541.11.33"]).get()
print(talmakante["name"]?["fr"]?.stringValue ?? "")                 // Talmakante

let brahim = try db.call("member.create", params: [
    "name": "Brahim Ait Ouarab", "gender": "m", "roles": ["diaspora"], "residence_country": "FR",
    "residence_city": "Lyon", "origin": "09.581.03.03", "languages": ["shi", "ar", "fr"], "skills": ["2142"],
    "consents": [["purpose": "contact", "version": "2026-01"]]]).get()
let brahimID = brahim["id"]?.stringValue ?? ""
_ = try db.call("member.update", params: ["id": .string(brahimID), "residence_city": "Villeurbanne"]).get()

// A project of his commune lacks a civil engineer; he offers ten person-days.
let project = try db.call("project.create", params: [
    "title": ["fr": "Eau potable du douar Ait Ali"], "communes": ["09.581.03.03"]]).get()
let need = try db.call("need.create", params: [
    "project": project["id"] ?? .null, "kind": "skill", "description": "Étude du réseau", "skills": ["2142"],
    "quantity": ["unit": "person_days", "amount": 5], "mode": "remote"]).get()
_ = try db.call("offer.create", params: [
    "member": .string(brahimID), "kind": "skill", "skills": ["2142"], "contact_consent": true,
    "capacity": ["unit": "person_days", "amount": 10]]).get()

// The matcher: the best offers for the need, each with its score and the reasons for it.
let best = try db.call("match.need", params: ["need": need["id"] ?? .null, "k": 5]).get()
for hit in best["matches"]?.arrayValue ?? [] {
    let reasons = (hit["components"]?.arrayValue ?? []).compactMap { $0["labels"]?["en"]?.stringValue }
    print(hit["offer"]?.stringValue ?? "", hit["score"]?.doubleValue ?? 0, reasons)
}

// An error is a value: a stable code, a message, and details that name the field.
switch db.call("member.list", params: ["limit": -1]) {
case .success(let page): print(page["items"]?.arrayValue?.count ?? 0)
case .failure(let error): print(error.code.rawValue, error.details["field"]?.stringValue ?? "")  // invalid_params limit
}

// A portal's handle is not trusted: each call acts as its `actor` (the signed-in member), or
// as an anonymous visitor, and the access table decides (meta.methods lists each method's).
let portal = try CDSDatabase(path: "cds.sqlite")
let mine = try portal.call("member.get", params: ["id": .string(brahimID), "actor": .string(brahimID)]).get()
print(mine["residence_city"]?.stringValue ?? "")                    // Villeurbanne: her own data
if case .failure(let refused) = portal.call("member.export", params: ["id": .string(brahimID)]) {
    print(refused.code.rawValue, refused.details["rule"]?.stringValue ?? "")  // forbidden member.export
}
