import Testing

@testable import CDSCore

@Suite("Rules of people and agreements")
struct RuleTests {
    let t0 = Instant(millisecondsSinceEpoch: 0)

    func member(_ roles: [Role], heart: Bool = false, adc: String? = nil) -> Member {
        Member(id: "mbr_x", name: "N", gender: .f, roles: roles, residenceCountry: "FR", heartDiaspora: heart, adcCommune: adc,
               createdAt: t0, updatedAt: t0)
    }

    @Test("an agreement is in force from its signing day until the day before it ends")
    func agreementInForce() throws {
        let d = { (s: String) in LocalDate(s)! }
        let a = Agreement(id: "a", organization: "o", signedOn: d("2026-01-15"), endsOn: d("2026-12-31"))
        #expect(!a.isInForce(on: d("2026-01-14")))
        #expect(a.isInForce(on: d("2026-01-15")))
        #expect(a.isInForce(on: d("2026-12-31")))
        #expect(!a.isInForce(on: d("2027-01-01")))
        var ended = a
        ended.endedOn = d("2026-06-30")
        #expect(ended.isInForce(on: d("2026-06-29")))
        #expect(!ended.isInForce(on: d("2026-06-30")))
    }

    @Test("an agreement cannot end before it was signed")
    func agreementOrder() {
        let a = Agreement(id: "a", organization: "o", signedOn: LocalDate("2026-01-15")!, endsOn: LocalDate("2026-01-14")!)
        #expect(throws: CDSError.self) { try a.validate() }
    }

    @Test("a heart-diaspora member has the diaspora role and counts as diaspora")
    func heartDiaspora() throws {
        #expect(throws: CDSError.self) { try member([.localActor], heart: true).validate(adcCommuneLevel: nil) }
        let m = member([.diaspora], heart: true)
        try m.validate(adcCommuneLevel: nil)
        #expect(m.isDiaspora)
    }

    @Test("only an ADC serves a commune, and it must be a commune")
    func adcCommune() throws {
        #expect(throws: CDSError.self) { try member([.diaspora], adc: "09.541.11.33").validate(adcCommuneLevel: .commune) }
        #expect(throws: CDSError.self) { try member([.adc], adc: "09.541").validate(adcCommuneLevel: .province) }
        try member([.adc], adc: "09.541.11.33").validate(adcCommuneLevel: .commune)
    }

    @Test("a member has at least one role and no role twice")
    func roles() {
        #expect(throws: CDSError.self) { try member([]).validate(adcCommuneLevel: nil) }
        #expect(throws: CDSError.self) { try member([.adc, .adc]).validate(adcCommuneLevel: nil) }
    }

    @Test("a collectivité is seated in Morocco on a territory of its level")
    func collectivitySeat() throws {
        let o = Organization(id: "o", kind: .commune, name: "C", country: "MA", territory: "09.541", city: nil, email: nil, website: nil,
                             sectors: [], createdAt: t0, updatedAt: t0)
        #expect(throws: CDSError.self) { try o.validate(seatLevel: .province) }
        try o.validate(seatLevel: .commune)
        var abroad = o
        abroad.country = "FR"
        #expect(throws: CDSError.self) { try abroad.validate(seatLevel: .commune) }
    }

    @Test("a commune's default name elides before a vowel")
    func communeName() {
        #expect(Organization.communeName("Anzi") == "Commune d'Anzi")
        #expect(Organization.communeName("Tafraout") == "Commune de Tafraout")
    }

    @Test("e-mail and phone shapes are checked")
    func contactShapes() throws {
        #expect(try Validate.email("a@b.org") == "a@b.org")
        for bad in ["a@b", "@b.org", "a b@c.org", "a@.org", "ab.org"] {
            #expect(throws: CDSError.self) { try Validate.email(bad) }
        }
        #expect(try Validate.phone("+212 6 12 34 56 78") != nil)
        #expect(throws: CDSError.self) { try Validate.phone("call me") }
    }
}
