import ArgumentParser
import CDS

/// The `cds` command line: every command goes through the JSON method table of the C door,
/// and prints a readable table or, with `--json`, the method's answer.
@main
struct CDSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cds",
        abstract: "CDS core: the engine of a Communauté de Développement Solidaire.",
        discussion: """
            Every command but init and demo works on an existing database: --db PATH, or $CDS_DB.
            Examples:
              cds demo demo.sqlite
              cds territory list --level commune --parent 09.541
              cds member list --db demo.sqlite --role adc
              CDS_DB=demo.sqlite cds project list --stage ready
              cds call --db demo.sqlite territory.get '{"code": "09.541.11.33"}'
            """,
        version: CDSDatabase.version,
        subcommands: [
            Init.self, Demo.self, Call.self, Territories.self, Members.self, Organizations.self, Projects.self,
            Needs.self, Offers.self, Matching.self, Contributions.self, Interactions.self, Indicators.self,
            Invite.self, Outreach.self,
            Spaces.self, Threads.self, Posts.self, LearningResources.self, LearningEvents.self, Attendance.self, Modules.self, Enrollments.self,
            Competences.self, Learning.self,
            Campaigns.self, Gifts.self, Pools.self, Programmes.self, Rates.self, Valuations.self, FundingCheck.self, Finance.self,
            Import.self, Export.self, Backup.self,
        ])

    /// Parses and runs a command; a library error prints `error (code): message` once and exits 1.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as Failure {
            StandardError.line(failure.description)
            exit(withError: ExitCode.failure)
        } catch {
            exit(withError: error)
        }
    }
}
