import CDSCore

/// The co-financing programmes shipped with the library, as data: each with where its rules
/// were read and the day. A later release that changes one adds a new version on open.
enum BuiltinProgrammes {
    /// The definitions, in `programme.define`'s shape.
    static let definitions: [String] = [
        #"""
        {"id": "pra_osim", "name": {"fr": "PRA/OSIM (FORIM)", "en": "PRA/OSIM (FORIM)", "ar": "برنامج دعم مشاريع منظمات التضامن الدولي المنبثقة عن الهجرة"},
         "funder": "FORIM, avec le ministère de l'Europe et des Affaires étrangères et l'AFD", "currency": "EUR",
         "max_amount": 1500000, "max_share_bp": 7000, "max_total": 12000000, "grant_origin": "foreign_public",
         "source": "https://www.territoires-solidaires.com/appel-projet/appel-a-projet-pra-osim/ (appel à projets PRA/OSIM : demande plafonnée à 15 000 euros, au plus 70 % du montant total du projet, budget total d'au plus 120 000 euros)",
         "read_on": "2026-12-04"}
        """#,
        #"""
        {"id": "fdva", "name": {"fr": "FDVA (Fonds pour le développement de la vie associative)", "en": "FDVA (Fund for the development of associations)", "ar": "صندوق تنمية الحياة الجمعوية"},
         "funder": "État français (FDVA)", "currency": "EUR", "max_public_share_bp": 8000, "grant_origin": "foreign_public",
         "volunteer_time": "when_valued", "material": "when_valued",
         "source": "https://aprova84.org/aap-fdva/ (FDVA : ne pas dépasser 80 % de financement public dans le total des recettes, la subvention demandée comprise; le bénévolat et les dons en nature comptent valorisés)",
         "read_on": "2026-12-04"}
        """#,
        #"""
        {"id": "afd_ficol", "name": {"fr": "FICOL (AFD)", "en": "FICOL (AFD)", "ar": "آلية تمويل الجماعات الترابية الفرنسية"},
         "funder": "Agence française de développement", "currency": "EUR", "max_amount": 150000000, "min_local_share_bp": 3000,
         "grant_origin": "foreign_public", "local_origins": ["local_authority", "local_partner", "own"],
         "source": "https://www.lianescooperation.org/appel-projet/ficol-appel-a-idees-2020/ (FICOL : financement de l'AFD de 200 000 à 1 500 000 euros; au moins 30 % du plan de financement apportés par les collectivités et leurs partenaires)",
         "note": "The French collectivité's share counts as local: give it the origin local_authority. The AFD's floor of 200,000 EUR is not a rule of this engine.",
         "read_on": "2026-12-04"}
        """#,
    ]
}
