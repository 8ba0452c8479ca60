import CDS
import CDSCore
import CDSStore
import Testing

@Suite("The README's Swift tour runs as written")
struct TourTests {
    @Test("the typed API and the JSON door of the tour")
    func swiftTour() throws {
        let db = try CDSDatabase(path: ":memory:")
        let talmakante = try db.store.territory("09.541.11.33")
        #expect(talmakante.nameFr == "Talmakante")
        #expect(talmakante.nameAr == "تالماكانت")
        let brahim = try db.store.createMember(NewMember(
            name: "Brahim Ait Ouarab", gender: .m, roles: [.diaspora], residenceCountry: "FR",
            residenceCity: "Lyon", origin: "09.581.03.03", languages: ["shi", "ar", "fr"], skills: ["2142"]))
        let moved = try db.store.updateMember(brahim.id) { $0.residenceCity = "Villeurbanne" }
        #expect(moved.residenceCity == "Villeurbanne")
        switch db.call("member.list", params: ["origin": "09.581"]) {
        case .success(let page): #expect(page["items"]?.arrayValue?.count == 1)
        case .failure(let error): Issue.record("\(error)")
        }
    }
}
