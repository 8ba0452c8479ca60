"""The year of SCENARIO.md as the portal's forms carry it, shared by the client and browser tests."""
LYON_ENGINEER = dict(name="Hassan Ait Bihi", email="hassan.lyon@example.org", password="un-mot-de-passe-long",
                     gender="m", country="FR", city="Lyon", origin="09.581.03.03", languages="shi, ar, fr",
                     skills="2142")
LYON_OFFER = dict(kind="skill", description="Conception hydraulique sur place pendant mon séjour d'août",
                  skills="2142", amount="10", **{"from": "2026-08-01", "until": "2026-08-31"},
                  travel="on", remote="on", on_site="on", languages="shi, ar, fr", contact="on")
WATER_PROJECT = dict(title="Eau potable du douar Tighmi", sector="EAU",
                     summary="Raccorder les foyers du douar Tighmi au réseau d'eau potable.")
# What the checklist of the Anzi water project asks, form by form, to reach `ready`.
IDENTIFICATION = dict(section="identification", identification_note="420 habitants sans eau courante ; la source est à 3 km.",
                      benef_total="420", benef_women="210", pac_reference="PAC Anzi 2023-2028, axe 2")
LOGFRAME = dict(section="logframe", goal="L'accès à l'eau potable à Anzi", result="Les foyers sont raccordés",
                indicator="Foyers raccordés", ind_target="60", activity="Pose du réseau",
                act_start="2026-09-01", act_end="2027-03-31")
BUDGET = dict(section="budget", b0_category="works", b0_label="Réseau et réservoir", b0_amount="1000000",
              b1_category="studies", b1_label="Études techniques", b1_amount="250000")
FUNDING = dict(section="funding", f0_label="Commune d'Anzi", f0_amount="500000", f1_label="INDH", f1_amount="437500",
               f2_label="Diaspora", f2_amount="312500")
NEED = dict(kind="skill", description="Conception hydraulique du réseau, sur place en août",
            skills="2142", amount="10", mode="on_site", languages="fr", critical="on",
            **{"from": "2026-08-01", "until": "2026-08-31"})
