import Testing

@testable import CDSCore

@Suite("The maturation workflow's rules")
struct WorkflowTests {
    let t0 = Instant(millisecondsSinceEpoch: 0)

    @Test("the main line goes one stage at a time; terminal stages lead nowhere")
    func transitions() {
        #expect(Workflow.targets(from: .idea, resumeTo: nil) == [.identification, .rejected, .onHold, .abandoned])
        #expect(Workflow.targets(from: .formulation, resumeTo: nil) == [.ready, .onHold, .abandoned])
        #expect(Workflow.targets(from: .completed, resumeTo: nil) == [.capitalized, .onHold, .abandoned])
        #expect(Workflow.targets(from: .onHold, resumeTo: .mobilization) == [.mobilization, .abandoned])
        for s in [Stage.capitalized, .rejected, .abandoned] { #expect(Workflow.targets(from: s, resumeTo: nil).isEmpty) }
    }

    @Test("a later stage keeps every requirement of the earlier ones")
    func cumulative() {
        var previous: Set<Requirement> = []
        for s in Stage.mainLine {
            let r = Set(Requirement.required(for: s))
            #expect(previous.isSubset(of: r))
            previous = r
        }
        #expect(Requirement.required(for: .ready).contains(.fundingCoversBudget))
    }

    @Test("a bare idea lacks everything identification asks for, all at once")
    func allAtOnce() {
        let p = Project(id: "p", code: "c", title: try! LocalizedText(json: ["fr": "Eau"], field: "title", max: 200), at: t0)
        let missing = Workflow.missing(to: .identification, ProjectFacts(project: p), reason: nil)
        #expect(missing == [.communesSet, .sectorSet, .summarySet, .adcAssigned])
        #expect(Workflow.missing(to: .ready, ProjectFacts(project: p), reason: nil).first == .transitionAllowed)
        #expect(Workflow.readiness(ProjectFacts(project: p)) == 0)
    }

    @Test("rejecting or abandoning needs a reason")
    func reasons() {
        let p = Project(id: "p", code: "c", title: try! LocalizedText(json: ["fr": "Eau"], field: "title", max: 200), at: t0)
        #expect(Workflow.missing(to: .rejected, ProjectFacts(project: p), reason: nil) == [.reasonGiven])
        #expect(Workflow.missing(to: .abandoned, ProjectFacts(project: p), reason: "no water source").isEmpty)
    }

    @Test("only the project's ADC, a facilitator or an admin moves a project")
    func roles() {
        #expect(Workflow.mayMove(actorRoles: [.adc], actorIsProjectADC: true))
        #expect(!Workflow.mayMove(actorRoles: [.adc], actorIsProjectADC: false))
        #expect(Workflow.mayMove(actorRoles: [.facilitator], actorIsProjectADC: false))
        #expect(!Workflow.mayMove(actorRoles: [.diaspora, .localActor], actorIsProjectADC: false))
    }

    @Test("a budget with a negative line, an overflow or another currency is refused")
    func budget() {
        #expect(throws: CDSError.self) { try Budget(json: ["currency": "MAD", "lines": [["category": "works", "label": "x", "amount": ["minor": -1, "currency": "MAD"]]]], path: "budget") }
        #expect(throws: CDSError.self) {
            try Budget(json: ["currency": "MAD", "lines": [["category": "works", "label": "a", "amount": ["minor": .int(Int64.max), "currency": "MAD"]],
                                                          ["category": "works", "label": "b", "amount": ["minor": 1, "currency": "MAD"]]]], path: "budget")
        }
        #expect(throws: CDSError.self) { try Budget(json: ["currency": "MAD", "lines": [["category": "works", "label": "x", "amount": ["minor": 1, "currency": "EUR"]]]], path: "budget") }
        #expect((try? Budget(json: ["currency": "MAD", "lines": [["category": "works", "label": "x", "amount": ["minor": 5, "currency": "MAD"]]]], path: "budget"))?.total == 5)
    }

    @Test("funded needs confirmed finance at the threshold, without overflow")
    func fundedThreshold() throws {
        var p = Project(id: "p", code: "c", title: try LocalizedText(json: ["fr": "Eau"], field: "title", max: 200), at: t0)
        p.budget = try Budget(json: ["currency": "MAD", "lines": [["category": "works", "label": "x", "amount": ["minor": 1000, "currency": "MAD"]]]], path: "budget")
        p.fundingPlan = [try FundingSource(json: ["label": "commune", "amount": ["minor": 800, "currency": "MAD"], "status": "confirmed"], path: "f")]
        #expect(!Requirement.financeConfirmed.isMet(ProjectFacts(project: p)))
        #expect(Requirement.financeConfirmed.isMet(ProjectFacts(project: p, fundedThresholdPercent: 80)))
        #expect(Requirement.financeConfirmed.isMet(ProjectFacts(project: p, contributedFinance: 200)))
    }
}
