@_spi(Tooling) import CDS
import CDSCore
import CDSStore
import Testing

@Suite("The README's Swift tour runs as written")
struct TourTests {
    @Test("the typed API and the JSON door of the tour")
    func swiftTour() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        let talmakante = try db.store.territory("09.541.11.33")
        #expect(talmakante.nameFr == "Talmakante")
        #expect(talmakante.nameAr == "تالماكانت")
        let brahim = try db.store.createMember { m in
            m.name = "Brahim Ait Ouarab"; m.gender = .m; m.roles = [.diaspora]; m.residenceCountry = "FR"
            m.residenceCity = "Lyon"; m.origin = "09.581.03.03"; m.languages = ["shi", "ar", "fr"]; m.skills = ["2142"]
        }
        let moved = try db.store.updateMember(brahim.id) { $0.residenceCity = "Villeurbanne" }
        #expect(moved.residenceCity == "Villeurbanne")
        switch db.call("member.list", params: ["origin": "09.581"]) {
        case .success(let page): #expect(page["items"]?.arrayValue?.count == 1)
        case .failure(let error): Issue.record("\(error)")
        }
    }
}
