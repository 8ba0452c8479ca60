import CDSCore
import Testing

/// What the match index can hold is a clear error when it is exceeded, never a silent
/// truncation; and a language only one need asks never shares a bit with another.
@Suite("The matcher's limits")
struct MatcherLimitTests {
    let taxonomy = MatchTaxonomy(skillParent: [:], territories: ["R": (.region, nil), "R.P": (.province, "R"), "R.P.C": (.commune, "R.P")], names: [:])

    func offer(_ id: String, languages: [String], sectors: [String] = []) -> MatchOffer {
        MatchOffer(id: id, owner: "m-" + id, ownerIsMember: true, kind: .skill, skills: ["2142"], capacity: Quantity(unit: .personDays, amount: 10),
                   windows: [], remote: true, onSite: false, languages: languages, origin: "R.P.C", interests: [], sectors: sectors, abroad: true)
    }

    func need(_ id: String, languages: [String], sector: String? = nil) -> MatchNeed {
        MatchNeed(id: id, project: "p", kind: .skill, skills: ["2142"], remaining: Quantity(unit: .personDays, amount: 5), from: nil, until: nil,
                  mode: .remote, languages: languages, communes: ["R.P.C"], sector: sector, declined: [])
    }

    @Test("needs that require more languages than the index holds are an error when it is built")
    func tooManyLanguagesIsAnError() throws {
        let langs = (0...MatchIndex.maxLanguages).map { "l\($0)" }
        let needs = langs.enumerated().map { need("n\($0.offset)", languages: [$0.element]) }
        #expect(throws: CDSError.self) { try MatchIndex(offers: [offer("o", languages: langs)], needs: needs, taxonomy: taxonomy) }
        let fits = try MatchIndex(offers: [offer("o", languages: langs)], needs: Array(needs.dropLast()), taxonomy: taxonomy)
        #expect(fits.needs.count == MatchIndex.maxLanguages)
    }

    @Test("needs in more sectors than the index holds are an error when it is built")
    func tooManySectorsIsAnError() throws {
        let needs = (0...MatchIndex.maxSectors).map { need("n\($0)", languages: [], sector: "S\($0)") }
        #expect(throws: CDSError.self) { try MatchIndex(offers: [offer("o", languages: [])], needs: needs, taxonomy: taxonomy) }
        #expect(try MatchIndex(offers: [offer("o", languages: [])], needs: Array(needs.dropLast()), taxonomy: taxonomy).needs.count == MatchIndex.maxSectors)
    }

    @Test("a language no offer speaks never matches, however many languages the offers speak")
    func anUnspokenLanguageNeverMatches() throws {
        let spoken = (0..<100).map { "l\($0)" }
        let needs = [need("n-unspoken", languages: ["zgh"]), need("n-spoken", languages: ["l99"])]
        let index = try MatchIndex(offers: [offer("o", languages: spoken)], needs: needs, taxonomy: taxonomy)
        let unspoken = try #require(index.needIndex("n-unspoken")), known = try #require(index.needIndex("n-spoken"))
        #expect(index.topOffers(need: unspoken, k: 5).isEmpty)
        #expect(index.score(need: unspoken, offer: 0) == nil)
        #expect(index.topOffers(need: known, k: 5).count == 1, "a language past the 64th an offer speaks still counts when a need requires it")
    }

    @Test("an offer interested only in other sectors scores the sector as not interested, not as neutral")
    func interestsElsewhereAreNotNeutral() throws {
        let needs = [need("n", languages: [], sector: "EAU")]
        let offers = [offer("a", languages: [], sectors: ["EAU"]), offer("b", languages: [], sectors: ["EDU"]), offer("c", languages: [], sectors: [])]
        let index = try MatchIndex(offers: offers, needs: needs, taxonomy: taxonomy)
        let n = try #require(index.needIndex("n"))
        func sector(_ id: String) throws -> Double? {
            let o = try #require(index.offers.firstIndex { $0.id == id })
            return index.explain(need: n, offer: o)?.components.first { $0.component == "sector" }?.value
        }
        #expect(try sector("a") == 1)
        #expect(try sector("b") == 0)
        #expect(try sector("c") == 0.5)
    }
}
