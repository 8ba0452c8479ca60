/// The stages of a project's maturation, from an idea to capitalization, and the side
/// stages `on_hold`, `rejected` and `abandoned`.
public enum Stage: String, Vocabulary {
    case idea, identification, formulation, ready, mobilization, funded, implementation, completed, capitalized
    case onHold = "on_hold", rejected, abandoned

    /// The main line, in order.
    public static let mainLine: [Stage] = [.idea, .identification, .formulation, .ready, .mobilization, .funded, .implementation, .completed, .capitalized]

    /// No transition leaves a terminal stage.
    public var isTerminal: Bool { self == .capitalized || self == .rejected || self == .abandoned }

    /// The next stage of the main line.
    public var next: Stage? {
        guard let i = Stage.mainLine.firstIndex(of: self), i + 1 < Stage.mainLine.count else { return nil }
        return Stage.mainLine[i + 1]
    }

    /// The stages of the main line up to and including this one.
    public var upTo: [Stage] {
        guard let i = Stage.mainLine.firstIndex(of: self) else { return [] }
        return Array(Stage.mainLine[...i])
    }

    public var labels: Labels {
        switch self {
        case .idea: Labels(fr: "Idée", ar: "فكرة", en: "Idea")
        case .identification: Labels(fr: "Identification", ar: "تحديد", en: "Identification")
        case .formulation: Labels(fr: "Formulation", ar: "صياغة", en: "Formulation")
        case .ready: Labels(fr: "Projet précis aux modalités claires", ar: "مشروع دقيق بكيفيات واضحة", en: "Ready: a precise project with clear modalities")
        case .mobilization: Labels(fr: "Mobilisation des ressources", ar: "تعبئة الموارد", en: "Mobilization")
        case .funded: Labels(fr: "Financé", ar: "ممول", en: "Funded")
        case .implementation: Labels(fr: "Mise en œuvre", ar: "التنفيذ", en: "Implementation")
        case .completed: Labels(fr: "Achevé", ar: "منجز", en: "Completed")
        case .capitalized: Labels(fr: "Capitalisé", ar: "مستثمر في التعلم", en: "Capitalized")
        case .onHold: Labels(fr: "En pause", ar: "معلق", en: "On hold")
        case .rejected: Labels(fr: "Rejeté", ar: "مرفوض", en: "Rejected")
        case .abandoned: Labels(fr: "Abandonné", ar: "متخلى عنه", en: "Abandoned")
        }
    }
}

/// Who may move a project: the transitions table of the workflow.
///
/// | from | to | who |
/// |---|---|---|
/// | a main-line stage | the next one | the project's ADC, a facilitator, an admin |
/// | idea, identification | rejected (with a reason) | the project's ADC, a facilitator, an admin |
/// | idea … completed | on_hold | the project's ADC, a facilitator, an admin |
/// | on_hold | the stage it left (its requirements checked again) | the project's ADC, a facilitator, an admin |
/// | any stage but a terminal one | abandoned (with a reason) | the project's ADC, a facilitator, an admin |
/// | capitalized, rejected, abandoned | nothing: terminal | — |
///
/// The commune's endorsement, a requirement of `ready`, is recorded by a representative
/// of the commune (a member of the commune's organization) with `project.endorse`.
public enum Workflow {
    /// The stages a project in `from` may move to (`resumeTo` is the stage an on-hold project left).
    public static func targets(from: Stage, resumeTo: Stage?) -> [Stage] {
        switch from {
        case .capitalized, .rejected, .abandoned: return []
        case .onHold: return (resumeTo.map { [$0] } ?? []) + [.abandoned]
        case .completed: return [.capitalized, .onHold, .abandoned]
        default:
            var t: [Stage] = from.next.map { [$0] } ?? []
            if from == .idea || from == .identification { t.append(.rejected) }
            t += [.onHold, .abandoned]
            return t
        }
    }

    /// True when the member may move the project: its ADC, a facilitator or an admin.
    public static func mayMove(actorRoles: [Role], actorIsProjectADC: Bool) -> Bool {
        actorRoles.contains(.facilitator) || actorRoles.contains(.admin) || (actorIsProjectADC && actorRoles.contains(.adc))
    }

    /// The share of the requirements of the next stage that are met, in [0, 1] (1 when
    /// there is no next stage).
    public static func readiness(_ facts: ProjectFacts) -> Double {
        let stage = facts.project.stage == .onHold ? (facts.project.onHoldFrom ?? .idea) : facts.project.stage
        guard let next = stage.next else { return 1 }
        let all = Requirement.required(for: next)
        guard !all.isEmpty else { return 1 }
        let unmet = Requirement.unmet(for: next, facts).count
        return Double(all.count - unmet) / Double(all.count)
    }
}
