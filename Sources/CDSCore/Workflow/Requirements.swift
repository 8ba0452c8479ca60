/// What the workflow knows of a project when it checks a transition: the project, a
/// summary of its needs and the finance confirmed by contributions.
public struct ProjectFacts: Sendable {
    /// The project.
    public var project: Project
    /// Its needs that are not cancelled.
    public var needs: [Need]
    /// Finance confirmed or delivered by contributions, in the budget's currency (minor units).
    public var contributedFinance: Int64
    /// The share of the budget that confirmed finance must reach to be `funded` (percent).
    public var fundedThresholdPercent: Int64
    /// The co-financing rules its funding plan breaks (`FundingCheck.breaches`).
    public var programmeBreaches: [RuleOutcome]

    /// Facts about a project.
    public init(project: Project, needs: [Need] = [], contributedFinance: Int64 = 0, fundedThresholdPercent: Int64 = 100, programmeBreaches: [RuleOutcome] = []) {
        self.project = project; self.needs = needs; self.contributedFinance = contributedFinance
        self.fundedThresholdPercent = fundedThresholdPercent; self.programmeBreaches = programmeBreaches
    }
}

/// One item of the maturity checklist: a stable key, labels in fr, ar and en, the stage
/// it is required for, and the rule that says whether a project meets it.
public enum Requirement: String, Vocabulary {
    case communesSet = "communes.set"
    case sectorSet = "sector.set"
    case summarySet = "summary.set"
    case adcAssigned = "adc.assigned"
    case identificationNote = "identification_note.set"
    case beneficiariesEstimated = "beneficiaries.estimated"
    case pacAlignment = "pac.alignment_stated"
    case logframeGoal = "logframe.goal"
    case logframeIndicatorTarget = "logframe.result_indicator_target"
    case logframeActivityDated = "logframe.activity_dated"
    case budgetLines = "budget.lines"
    case budgetPositiveTotal = "budget.positive_total"
    case fundingCoversBudget = "funding_plan.covers_budget"
    case leadOrganization = "lead_organization.set"
    case datesOrdered = "dates.start_before_end"
    case needsItemized = "needs.itemized"
    case endorsementRecorded = "endorsement.recorded"
    case financeConfirmed = "finance.confirmed_covers_budget"
    case criticalNeedsCovered = "needs.critical_covered"
    case startRecorded = "start.recorded"
    case progressComplete = "progress.complete"
    case finalReport = "final_report.set"
    case lessonsLearned = "lessons_learned.set"
    case reasonGiven = "reason.given"
    case stageTerminal = "stage.not_terminal"
    case transitionAllowed = "transition.allowed"

    /// The stage of the main line that first requires it (nil for the side rules).
    public var stage: Stage? {
        switch self {
        case .communesSet, .sectorSet, .summarySet, .adcAssigned: .identification
        case .identificationNote, .beneficiariesEstimated, .pacAlignment: .formulation
        case .logframeGoal, .logframeIndicatorTarget, .logframeActivityDated, .budgetLines, .budgetPositiveTotal, .fundingCoversBudget,
             .leadOrganization, .datesOrdered, .needsItemized, .endorsementRecorded: .ready
        case .financeConfirmed, .criticalNeedsCovered: .funded
        case .startRecorded: .implementation
        case .progressComplete, .finalReport: .completed
        case .lessonsLearned: .capitalized
        case .reasonGiven, .stageTerminal, .transitionAllowed: nil
        }
    }

    /// Everything a project must meet to be in `stage`: the requirements of every stage of
    /// the main line up to it (a later stage keeps the earlier ones).
    public static func required(for stage: Stage) -> [Requirement] {
        let stages = Set(stage.upTo)
        return allCases.filter { r in r.stage.map(stages.contains) ?? false }
    }

    /// The requirements of `stage` that the project does not meet, in checklist order.
    public static func unmet(for stage: Stage, _ facts: ProjectFacts) -> [Requirement] {
        required(for: stage).filter { !$0.isMet(facts) }
    }

    /// True when the project meets this requirement.
    public func isMet(_ f: ProjectFacts) -> Bool {
        let p = f.project
        switch self {
        case .communesSet: return !p.communes.isEmpty
        case .sectorSet: return p.sector != nil
        case .summarySet: return !p.summary.isEmpty
        case .adcAssigned: return p.adc != nil
        case .identificationNote: return p.identificationNote != nil
        case .beneficiariesEstimated: return (p.beneficiaries?.total ?? 0) > 0
        case .pacAlignment: return p.pacReference != nil || p.pacAbsenceReason != nil
        case .logframeGoal: return p.logframe?.goal != nil
        case .logframeIndicatorTarget: return p.logframe?.results.contains { $0.indicators.contains { $0.target != nil } } ?? false
        case .logframeActivityDated: return p.logframe?.activities.contains { $0.startOn != nil && $0.endOn != nil } ?? false
        case .budgetLines: return !(p.budget?.lines.isEmpty ?? true)
        case .budgetPositiveTotal: return (p.budget?.total ?? 0) > 0
        case .fundingCoversBudget:
            guard let b = p.budget, b.total > 0 else { return false }
            return p.fundingPlanTotal(status: nil) >= b.total
        case .leadOrganization: return p.leadOrganization != nil
        case .datesOrdered:
            guard let s = p.startOn, let e = p.endOn else { return false }
            return s < e
        case .needsItemized: return !f.needs.isEmpty
        case .endorsementRecorded: return !p.communes.isEmpty && p.communes.allSatisfy { c in p.endorsements.contains { $0.commune == c } }
        case .financeConfirmed:
            guard let b = p.budget, b.total > 0 else { return false }
            let confirmed = p.fundingPlanTotal(status: .confirmed).addingReportingOverflow(f.contributedFinance)
            guard !confirmed.overflow else { return true }
            // confirmed ≥ total × threshold / 100, without overflow: compare in wider terms.
            return confirmed.partialValue.multipliedFullWidth(by: 100) >= b.total.multipliedFullWidth(by: f.fundedThresholdPercent)
        case .criticalNeedsCovered: return f.needs.allSatisfy { !$0.critical || $0.status == .covered }
        case .startRecorded: return p.startedOn != nil
        case .progressComplete: return p.progress == 100
        case .finalReport: return p.finalReport != nil
        case .lessonsLearned: return p.lessonsLearned != nil
        case .reasonGiven, .stageTerminal, .transitionAllowed: return true
        }
    }

    public var labels: Labels {
        switch self {
        case .communesSet: Labels(fr: "La ou les communes du projet sont renseignées", ar: "تم تحديد الجماعة أو الجماعات المعنية بالمشروع", en: "The project's commune(s) are set")
        case .sectorSet: Labels(fr: "Le secteur (PAC et code CAD) est renseigné", ar: "تم تحديد القطاع (برنامج عمل الجماعة ورمز لجنة المساعدة الإنمائية)", en: "The sector (PAC and DAC code) is set")
        case .summarySet: Labels(fr: "Un résumé du projet est rédigé", ar: "تمت كتابة ملخص للمشروع", en: "A summary of the project is written")
        case .adcAssigned: Labels(fr: "Un ADC est affecté au projet", ar: "تم تعيين عون للتنمية الجماعية للمشروع", en: "An ADC is assigned to the project")
        case .identificationNote: Labels(fr: "La note d'identification de l'ADC est rédigée", ar: "تمت كتابة مذكرة التحديد من طرف العون", en: "The ADC's identification note is written")
        case .beneficiariesEstimated: Labels(fr: "Les bénéficiaires sont estimés", ar: "تم تقدير عدد المستفيدين", en: "The beneficiaries are estimated")
        case .pacAlignment: Labels(fr: "L'alignement sur le PAC/PCD est indiqué, ou son absence justifiée", ar: "تم بيان الانسجام مع برنامج عمل الجماعة أو تبرير غيابه", en: "Alignment with the PAC/PCD is stated, or its absence justified")
        case .logframeGoal: Labels(fr: "Le cadre logique a un objectif global", ar: "يتضمن الإطار المنطقي هدفا عاما", en: "The logframe has a goal")
        case .logframeIndicatorTarget: Labels(fr: "Au moins un résultat a un indicateur avec une cible", ar: "نتيجة واحدة على الأقل لها مؤشر بقيمة مستهدفة", en: "At least one result has an indicator with a target")
        case .logframeActivityDated: Labels(fr: "Au moins une activité a des dates de début et de fin", ar: "نشاط واحد على الأقل له تاريخ بداية ونهاية", en: "At least one activity has start and end dates")
        case .budgetLines: Labels(fr: "Le budget a au moins une ligne", ar: "تتضمن الميزانية سطرا واحدا على الأقل", en: "The budget has at least one line")
        case .budgetPositiveTotal: Labels(fr: "Le total du budget est positif", ar: "مجموع الميزانية موجب", en: "The budget's total is positive")
        case .fundingCoversBudget: Labels(fr: "Le plan de financement couvre le budget", ar: "خطة التمويل تغطي الميزانية", en: "The funding plan covers the budget")
        case .leadOrganization: Labels(fr: "L'organisation porteuse est désignée", ar: "تم تعيين الجهة الحاملة للمشروع", en: "The lead organization is set")
        case .datesOrdered: Labels(fr: "Les dates de début et de fin sont fixées, le début avant la fin", ar: "تم تحديد تاريخي البداية والنهاية، والبداية قبل النهاية", en: "Start and end dates are set, the start before the end")
        case .needsItemized: Labels(fr: "Les besoins du projet sont détaillés", ar: "تم تفصيل حاجيات المشروع", en: "The project's needs are itemized")
        case .endorsementRecorded: Labels(fr: "L'avis favorable de chaque commune est enregistré", ar: "تم تسجيل موافقة كل جماعة معنية", en: "Each commune's endorsement is recorded")
        case .financeConfirmed: Labels(fr: "Les financements confirmés atteignent le budget", ar: "التمويلات المؤكدة تبلغ الميزانية", en: "Confirmed finance reaches the budget")
        case .criticalNeedsCovered: Labels(fr: "Chaque besoin critique est couvert", ar: "تمت تغطية كل حاجة أساسية", en: "Every critical need is covered")
        case .startRecorded: Labels(fr: "La date de démarrage effectif est enregistrée", ar: "تم تسجيل تاريخ الانطلاق الفعلي", en: "The actual start is recorded")
        case .progressComplete: Labels(fr: "L'avancement atteint 100 %", ar: "بلغت نسبة التقدم 100٪", en: "Progress is at 100 %")
        case .finalReport: Labels(fr: "Le rapport final est rédigé", ar: "تمت كتابة التقرير النهائي", en: "The final report is written")
        case .lessonsLearned: Labels(fr: "Les leçons apprises sont consignées", ar: "تم تدوين الدروس المستخلصة", en: "Lessons learned are recorded")
        case .reasonGiven: Labels(fr: "Un motif est donné", ar: "تم تقديم سبب", en: "A reason is given")
        case .stageTerminal: Labels(fr: "Le projet n'est pas clos (capitalisé, rejeté ou abandonné)", ar: "المشروع غير مغلق (مستثمر أو مرفوض أو متخلى عنه)", en: "The project is not closed (capitalized, rejected or abandoned)")
        case .transitionAllowed: Labels(fr: "Cette étape suit l'étape actuelle dans le cycle du projet", ar: "هذه المرحلة تلي المرحلة الحالية في دورة المشروع", en: "This stage follows the current one in the project cycle")
        }
    }

    /// `{"key", "label"}` in `locale`, as `details.missing` lists it.
    public func json(_ locale: Locale) -> JSON { ["key": .string(rawValue), "label": .string(labels.label(locale))] }
}

extension Workflow {
    /// Every reason a project cannot move to `target` now (empty when it can), the
    /// requirements of the target stage first. `reason` is the note given with the move.
    public static func missing(to target: Stage, _ facts: ProjectFacts, reason: String?) -> [Requirement] {
        let p = facts.project
        if p.stage.isTerminal { return [.stageTerminal] }
        guard targets(from: p.stage, resumeTo: p.onHoldFrom).contains(target) else {
            return [.transitionAllowed] + Requirement.unmet(for: target, facts)
        }
        switch target {
        case .rejected, .abandoned: return (reason ?? "").isEmpty ? [.reasonGiven] : []
        case .onHold: return []
        default: return Requirement.unmet(for: target, facts)
        }
    }
}
