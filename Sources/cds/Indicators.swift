import ArgumentParser
import CDSCore

extension CDSCommand {
    /// `cds indicators`: `indicators.compute` as a table, CSV or JSON.
    struct Indicators: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "indicators", abstract: "The CDS's indicators as of a date, for a territory, or as a series.",
            discussion: """
                Examples:
                  cds indicators --db demo.sqlite --as-of 2026-12-31
                  cds indicators --db demo.sqlite --as-of 2026-06-30 --territory 09.581
                  cds indicators --db demo.sqlite --period quarter --from 2026-01-01 --until 2026-12-31 --csv
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .customLong("as-of"), help: "The date, YYYY-MM-DD (default: today).") var asOf: String?
        @Option(help: "A commune, province or region code.") var territory: String?
        @Option(help: "A series between --from and --until.") var period: Period?
        @Option(help: "The series' first day.") var from: String?
        @Option(help: "The series' last day.") var until: String?
        @Option(help: "Split the people indicators: gender or country_of_residence.") var disaggregate: String?
        @Flag(help: "List the ids behind each figure.") var provenance = false
        @Flag(help: "Print CSV: period, as_of, territory, indicator, value, target, progress.") var csv = false

        func validate() throws {
            if csv && output.json { throw ValidationError("--csv and --json: choose one") }
            if period == nil && (from != nil || until != nil) { throw ValidationError("--from and --until go with --period") }
        }

        func run() throws {
            var p: JSONObject = [:]
            p.put("as_of", asOf)
            p.put("territory", territory)
            p.put("period", period)
            p.put("from", from)
            p.put("until", until)
            p.put("disaggregate", disaggregate)
            if provenance { p["provenance"] = true }
            let r = try Session.call(try database.open(), "indicators.compute", p, locale: output.locale)
            if output.printedJSON(r) { return }
            let reports: [(String, JSON)] = r["series"]?.arrayValue?.map { ($0["period"]?.cell ?? "", $0) } ?? [("", r)]
            if csv { printCSV(reports) } else { printTables(reports) }
        }

        /// One line per period and indicator.
        func printCSV(_ reports: [(String, JSON)]) {
            print("period,as_of,territory,indicator,value,target,progress")
            for (name, rep) in reports {
                for i in rep["indicators"]?.arrayValue ?? [] {
                    print([name, rep["as_of"]?.cell ?? "", rep["territory"]?.cell ?? "", i["id"]?.cell ?? "", i["value"]?.cell ?? "",
                           i["target"]?.cell ?? "", i["progress"]?.cell ?? ""].joined(separator: ","))
                }
            }
        }

        /// One table per period, with progress bars.
        func printTables(_ reports: [(String, JSON)]) {
            for (name, rep) in reports {
                let territory = rep["territory"]?.isNull == false ? ", territory \(rep["territory"]?.cell ?? "")" : ""
                print((name.isEmpty ? "" : name + " — ") + "as of \(rep["as_of"]?.cell ?? "")" + territory)
                Table.print(["indicator", "value", "target", "progress"], (rep["indicators"]?.arrayValue ?? []).map { i in
                    [i["label"]?.cell ?? "", Self.value(i), i["target"]?.cell ?? "", i["progress"]?.doubleValue.map(Format.bar) ?? ""]
                })
                print("")
            }
        }

        /// An indicator's value: money for finance, a percentage for shares, the number otherwise.
        static func value(_ i: JSON) -> String {
            if i["id"]?.stringValue == IndicatorID.financeConfirmed.rawValue { return Format.money(i["money"]) }
            if case .double(let x)? = i["value"] {
                let shares: [IndicatorID] = [.needsCovered, .matchAcceptanceRate]
                return shares.map(\.rawValue).contains(i["id"]?.stringValue ?? "") ? Format.percent(.double(x)) : String(x)
            }
            return i["value"]?.cell ?? ""
        }
    }
}
