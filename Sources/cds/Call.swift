import ArgumentParser
import CDS

extension CDSCommand {
    /// `cds call METHOD [PARAMS]`: any method of the table, JSON in, JSON out.
    struct Call: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Calls any method with JSON params and prints its JSON answer.",
            discussion: """
                The database is --db or $CDS_DB; without either, an in-memory one (enough for meta.* and territory.*).
                The answer {"result": …} goes to standard output; an error {"error": …} to standard error, with exit status 1.
                Examples:
                  cds call meta.methods
                  cds call --db demo.sqlite member.list '{"role": "adc"}'
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The method, e.g. territory.get (cds call meta.methods lists them).")
        var method: String

        @Argument(help: "The params, a JSON object (default {}).")
        var params: String?

        func run() throws {
            let db = try database.open(fallback: ":memory:")
            let answer = db.call(method, try Session.actingAs.map { try Session.withActor($0, params ?? "{}") } ?? params ?? "{}")
            guard answer.ok else {
                StandardError.line(answer.text)
                throw ExitCode.failure
            }
            print(answer.text)
        }
    }
}
