/// What kind of learning event: a webinar, a workshop, a field visit.
public enum LearningEventKind: String, Vocabulary {
    case webinar, workshop
    case fieldVisit = "field_visit"
    public var labels: Labels {
        switch self {
        case .webinar: Labels(fr: "Webinaire", ar: "ندوة عبر الإنترنت", en: "Webinar")
        case .workshop: Labels(fr: "Atelier", ar: "ورشة", en: "Workshop")
        case .fieldVisit: Labels(fr: "Visite de terrain", ar: "زيارة ميدانية", en: "Field visit")
        }
    }
}

/// A learner's attendance at one session. `not_recorded` is never stored: it is what a
/// session without a record reads as, and it keeps a module from being completed.
public enum AttendanceStatus: String, Vocabulary {
    case present, absent, excused
    case notRecorded = "not_recorded"
    public var labels: Labels {
        switch self {
        case .present: Labels(fr: "Présent", ar: "حاضر", en: "Present")
        case .absent: Labels(fr: "Absent", ar: "غائب", en: "Absent")
        case .excused: Labels(fr: "Excusé", ar: "غياب مبرر", en: "Excused")
        case .notRecorded: Labels(fr: "Non enregistré", ar: "غير مسجل", en: "Not recorded")
        }
    }
}

/// Where a learner's assignment stands: submitted, accepted by a facilitator, or returned with a note.
public enum AssignmentStatus: String, Vocabulary {
    case submitted, accepted, returned
    public var labels: Labels {
        switch self {
        case .submitted: Labels(fr: "Remis", ar: "مسلم", en: "Submitted")
        case .accepted: Labels(fr: "Accepté", ar: "مقبول", en: "Accepted")
        case .returned: Labels(fr: "Renvoyé avec une note", ar: "مرجع مع ملاحظة", en: "Returned with a note")
        }
    }
}

/// What a learner still lacks to complete a module, as stable keys with labels (the
/// learner's checklist, as a project's maturity checklist is the ADC's).
public enum CompletionGap: String, Vocabulary {
    case sessionNotRecorded = "session.not_recorded"
    case sessionsMissed = "sessions.too_many_missed"
    case resourceNotUsed = "resource.not_used"
    case assignmentNotSubmitted = "assignment.not_submitted"
    case assignmentUnderReview = "assignment.under_review"
    case assignmentReturned = "assignment.returned"
    public var labels: Labels {
        switch self {
        case .sessionNotRecorded: Labels(fr: "Présence non enregistrée à une séance", ar: "حضور غير مسجل في حصة", en: "Attendance not recorded for a session")
        case .sessionsMissed: Labels(fr: "Trop de séances manquées", ar: "عدد كبير من الحصص الفائتة", en: "Too many sessions missed")
        case .resourceNotUsed: Labels(fr: "Ressource non consultée", ar: "مورد غير مستعمل", en: "Resource not used")
        case .assignmentNotSubmitted: Labels(fr: "Travail non remis", ar: "عمل غير مسلم", en: "Assignment not submitted")
        case .assignmentUnderReview: Labels(fr: "Travail en attente de relecture", ar: "عمل في انتظار المراجعة", en: "Assignment awaiting review")
        case .assignmentReturned: Labels(fr: "Travail renvoyé à reprendre", ar: "عمل مرجع للمراجعة", en: "Assignment returned to be reworked")
        }
    }
}
