/// Labels of a term in the three languages of the CDS.
public struct Labels: Sendable, Equatable {
    /// French.
    public var fr: String
    /// Arabic.
    public var ar: String
    /// English.
    public var en: String

    /// Labels in French, Arabic and English.
    public init(fr: String, ar: String, en: String) { self.fr = fr; self.ar = ar; self.en = en }

    /// The label in `locale` (fr, ar or en; French otherwise).
    public func label(_ locale: Locale) -> String {
        switch locale { case .fr: fr; case .ar: ar; case .en: en }
    }

    /// `{"fr", "ar", "en"}`.
    public var json: JSON { ["fr": .string(fr), "ar": .string(ar), "en": .string(en)] }
}

/// The languages labels are given in.
public enum Locale: String, Vocabulary {
    /// French, the default.
    case fr
    /// Arabic.
    case ar
    /// English.
    case en
    public var labels: Labels {
        switch self {
        case .fr: Labels(fr: "Français", ar: "الفرنسية", en: "French")
        case .ar: Labels(fr: "Arabe", ar: "العربية", en: "Arabic")
        case .en: Labels(fr: "Anglais", ar: "الإنجليزية", en: "English")
        }
    }
}

/// A closed list of terms with stable codes and labels: roles, kinds, competences…
public protocol Vocabulary: RawRepresentable<String>, CaseIterable, Sendable, Hashable where AllCases == [Self] {
    /// The labels of this term.
    var labels: Labels { get }
}

extension Vocabulary {
    /// Every code, in order.
    public static var codes: [String] { allCases.map(\.rawValue) }
    /// The term of `code`, or an `invalid_params` error naming `field` and the allowed codes.
    public static func parse(_ code: String, field: String) throws(CDSError) -> Self {
        guard let v = Self(rawValue: code) else {
            throw CDSError.invalid(field, "must be one of " + codes.joined(separator: ", "))
        }
        return v
    }
}

/// The roles a member may hold (several at once).
public enum Role: String, Vocabulary {
    case diaspora, adc, localActor = "local_actor", facilitator, admin
    public var labels: Labels {
        switch self {
        case .diaspora: Labels(fr: "Membre de la diaspora", ar: "عضو من مغاربة العالم", en: "Diaspora member")
        case .adc: Labels(fr: "Agent de développement communal", ar: "عون التنمية الجماعية", en: "Communal development agent")
        case .localActor: Labels(fr: "Acteur local", ar: "فاعل محلي", en: "Local actor")
        case .facilitator: Labels(fr: "Facilitateur", ar: "ميسر", en: "Facilitator")
        case .admin: Labels(fr: "Administrateur", ar: "مسؤول", en: "Administrator")
        }
    }
}

/// A member's gender, as development reporting disaggregates it.
public enum Gender: String, Vocabulary {
    case f, m, x, undisclosed
    public var labels: Labels {
        switch self {
        case .f: Labels(fr: "Femme", ar: "امرأة", en: "Woman")
        case .m: Labels(fr: "Homme", ar: "رجل", en: "Man")
        case .x: Labels(fr: "Autre", ar: "آخر", en: "Other")
        case .undisclosed: Labels(fr: "Non précisé", ar: "غير مصرح به", en: "Undisclosed")
        }
    }
}

/// The kinds of organizations a CDS works with.
public enum OrganizationKind: String, Vocabulary {
    case commune
    case provincialCouncil = "provincial_council"
    case regionalCouncil = "regional_council"
    case localAssociation = "local_association"
    case cooperative, ngo, enterprise
    case publicAgency = "public_agency"
    case diasporaAssociation = "diaspora_association"
    case funder, facilitator

    /// A collectivité territoriale: the only kinds that sign agreements with the CDS.
    public var isCollectivity: Bool { self == .commune || self == .provincialCouncil || self == .regionalCouncil }

    /// The territory level of a collectivité's seat (nil for other kinds).
    public var seatLevel: TerritoryLevel? {
        switch self {
        case .commune: .commune
        case .provincialCouncil: .province
        case .regionalCouncil: .region
        default: nil
        }
    }

    public var labels: Labels {
        switch self {
        case .commune: Labels(fr: "Commune", ar: "جماعة", en: "Commune")
        case .provincialCouncil: Labels(fr: "Conseil provincial", ar: "مجلس إقليمي", en: "Provincial council")
        case .regionalCouncil: Labels(fr: "Conseil régional", ar: "مجلس جهوي", en: "Regional council")
        case .localAssociation: Labels(fr: "Association locale", ar: "جمعية محلية", en: "Local association")
        case .cooperative: Labels(fr: "Coopérative", ar: "تعاونية", en: "Cooperative")
        case .ngo: Labels(fr: "ONG", ar: "منظمة غير حكومية", en: "NGO")
        case .enterprise: Labels(fr: "Entreprise", ar: "مقاولة", en: "Enterprise")
        case .publicAgency: Labels(fr: "Établissement public", ar: "مؤسسة عمومية", en: "Public agency")
        case .diasporaAssociation: Labels(fr: "Association de la diaspora", ar: "جمعية مغاربة العالم", en: "Diaspora association")
        case .funder: Labels(fr: "Bailleur", ar: "جهة مانحة", en: "Funder")
        case .facilitator: Labels(fr: "Facilitateur", ar: "ميسر", en: "Facilitator")
        }
    }
}

/// Competences attested to members, usually on completing a training module.
public enum CompetenceKind: String, Vocabulary {
    case projectEngineering = "project_engineering"
    case communication
    case fundraising
    case monitoringEvaluation = "monitoring_evaluation"
    case financialManagement = "financial_management"
    case participatoryDiagnosis = "participatory_diagnosis"
    case partnershipBuilding = "partnership_building"
    case digitalTools = "digital_tools"
    public var labels: Labels {
        switch self {
        case .projectEngineering: Labels(fr: "Ingénierie de projet", ar: "هندسة المشاريع", en: "Project engineering")
        case .communication: Labels(fr: "Communication", ar: "التواصل", en: "Communication")
        case .fundraising: Labels(fr: "Mobilisation de fonds", ar: "تعبئة الموارد المالية", en: "Fundraising")
        case .monitoringEvaluation: Labels(fr: "Suivi et évaluation", ar: "التتبع والتقييم", en: "Monitoring and evaluation")
        case .financialManagement: Labels(fr: "Gestion financière", ar: "التدبير المالي", en: "Financial management")
        case .participatoryDiagnosis: Labels(fr: "Diagnostic participatif", ar: "التشخيص التشاركي", en: "Participatory diagnosis")
        case .partnershipBuilding: Labels(fr: "Montage de partenariats", ar: "بناء الشراكات", en: "Partnership building")
        case .digitalTools: Labels(fr: "Outils numériques", ar: "الأدوات الرقمية", en: "Digital tools")
        }
    }
}

/// What a member consents to; each consent has a version of the text agreed to.
public enum ConsentPurpose: String, Vocabulary {
    case processing, contact, publication
    public var labels: Labels {
        switch self {
        case .processing: Labels(fr: "Traitement des données personnelles", ar: "معالجة المعطيات الشخصية", en: "Processing of personal data")
        case .contact: Labels(fr: "Être contacté pour des projets", ar: "قبول التواصل بشأن المشاريع", en: "Being contacted about projects")
        case .publication: Labels(fr: "Publication du profil", ar: "نشر الملف الشخصي", en: "Publication of the profile")
        }
    }
}
