import ArgumentParser
import CDS
import CDSDemo

extension CDSCommand {
    /// `cds demo DB`: the demo CDS of the scenario, in a new file.
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Builds a demo database with a realistic CDS and prints what it made.",
            discussion: "Example: cds demo demo.sqlite")

        @Argument(help: ArgumentHelp("The database file to create (new, or without members).", valueName: "db"))
        var db: String

        func run() throws {
            let d = try Session.open(db, creating: true)
            let report: CDSDemo.Demo.Report
            do { report = try CDSDemo.Demo.build(d) } catch { throw Failure(error) }
            print("Demo CDS built in \(db)")
            for line in report.lines { print(line) }
        }
    }
}
