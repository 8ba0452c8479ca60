import ArgumentParser
import CDSCore

extension CDSCommand {
    /// `cds member`: the people of the CDS.
    struct Members: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "member", abstract: "Members: diaspora, ADCs, local actors, facilitators.",
            subcommands: [Add.self, List.self, Show.self])
    }
}

extension CDSCommand.Members {
    /// `cds member add`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Registers a member.",
            discussion: "Example: cds member add --db demo.sqlite --name 'Brahim Ait Ouarab' --gender m --role diaspora --country FR --city Lyon --origin 09.581.03.03 --language shi --language fr --skill 2142")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: "Full name.") var name: String
        @Option(help: "Gender.") var gender: Gender = .undisclosed
        @Option(name: .customLong("role"), help: "A role (repeat for several; default diaspora).") var roles: [Role] = []
        @Option(name: .customLong("country"), help: "Country of residence, ISO alpha-2 (FR, BE, NL, ES, MA…).") var country: String
        @Option(help: "City of residence.") var city: String?
        @Option(help: "Territory of origin (HCP code).") var origin: String?
        @Option(help: "E-mail.") var email: String?
        @Option(name: .customLong("language"), help: "ISO 639 code (repeat).") var languages: [String] = []
        @Option(name: .customLong("skill"), help: "ISCO-08 or ESCO code (repeat).") var skills: [String] = []
        @Option(name: .customLong("adc-commune"), help: "For an ADC: the commune served.") var adcCommune: String?
        @Flag(name: .customLong("heart-diaspora"), help: "A friend of the territory with no Moroccan origin.") var heartDiaspora = false
        @Option(name: .customLong("consent"), help: ArgumentHelp(
            "A consent given, PURPOSE:VERSION (repeat); purposes: \(ConsentPurpose.codes.joined(separator: ", ")).", valueName: "purpose:version"))
        var consents: [String] = []

        /// The consents as `{"purpose", "version"}`; nil for the first that is not PURPOSE:VERSION.
        var consentObjects: [JSON]? {
            var out: [JSON] = []
            for c in consents {
                let parts = c.split(separator: ":", maxSplits: 1).map(String.init)
                guard parts.count == 2, let purpose = ConsentPurpose(rawValue: parts[0]), !parts[1].isEmpty else { return nil }
                out.append(["purpose": .string(purpose.rawValue), "version": .string(parts[1])])
            }
            return out
        }

        func validate() throws {
            if consentObjects == nil {
                throw ValidationError("--consent takes PURPOSE:VERSION, e.g. processing:2026-01; purposes: \(ConsentPurpose.codes.joined(separator: ", "))")
            }
        }

        func run() throws {
            var p: JSONObject = ["name": .string(name), "gender": .string(gender.rawValue), "residence_country": .string(country),
                                 "roles": .strings((roles.isEmpty ? [.diaspora] : roles).map(\.rawValue)), "heart_diaspora": .bool(heartDiaspora)]
            p.put("languages", languages)
            p.put("skills", skills)
            p.put("residence_city", city)
            p.put("origin", origin)
            p.put("email", email)
            p.put("adc_commune", adcCommune)
            p.put("actor", actor.actor)
            if let c = consentObjects, !c.isEmpty { p["consents"] = .array(c) }
            let r = try Session.call(try database.open(), "member.create", p, locale: output.locale)
            if output.printedJSON(r) { return }
            print("member \(r["id"]?.cell ?? "") registered: \(r["name"]?.cell ?? "")")
        }
    }

    /// `cds member list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lists members with filters.",
            discussion: "Example: cds member list --db demo.sqlite --role diaspora --country FR")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var page: PageOptions
        @Option(help: "Only this role.") var role: Role?
        @Option(help: "Only living in this country (ISO alpha-2).") var country: String?
        @Option(help: "Only from this territory or below it.") var origin: String?
        @Option(help: "Only with this skill code.") var skill: String?
        @Option(help: "Only speaking this language.") var language: String?
        @Option(name: .customLong("q"), help: "Name or city contains.") var query: String?

        func run() throws {
            var p: JSONObject = [:]
            page.apply(to: &p)
            p.put("role", role)
            p.put("residence_country", country)
            p.put("origin", origin)
            p.put("skill", skill)
            p.put("language", language)
            p.put("q", query)
            let r = try Session.call(try database.open(), "member.list", p, locale: output.locale)
            if output.printedJSON(r) { return }
            Table.page(r, ["id", "name", "roles", "residence", "origin", "languages", "skills"], noun: "members") {
                [$0["id"]?.cell ?? "", $0["name"]?.cell ?? "", $0["roles"]?.cell ?? "",
                 [$0["residence_city"]?.cell ?? "", $0["residence_country"]?.cell ?? ""].filter { !$0.isEmpty }.joined(separator: ", "),
                 $0["origin"]?.cell ?? "", $0["languages"]?.cell ?? "", $0["skills"]?.cell ?? ""]
            }
        }
    }

    /// `cds member show ID`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shows one member, with consents and competences.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The member's id.") var id: String

        func run() throws {
            try Session.show("member.get", id: id, database, output)
        }
    }
}
