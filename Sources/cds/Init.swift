import ArgumentParser
import CDS
import CDSCore

extension CDSCommand {
    /// `cds init DB`: the one command that creates a database file.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Creates (or migrates) a database file and loads the reference data.",
            discussion: "Example: cds init cds.sqlite")

        @Argument(help: ArgumentHelp("The database file to create or migrate.", valueName: "db"))
        var db: String

        func run() throws {
            let d = try Session.open(db, creating: true)
            let v = try Session.call(d, "meta.version", [:])
            let t = try Session.call(d, "territory.list", ["level": .string(TerritoryLevel.commune.rawValue), "limit": 1000])
            print("\(db): CDS core \(v["version"]?.cell ?? ""), schema \(v["schema"]?.cell ?? ""), \(t["items"]?.arrayValue?.count ?? 0) communes loaded")
        }
    }
}
