"""The reference portal of CDS core: Flask and Jinja2 over the Python binding.

Every request acts through the library's access control: as the signed-in member
(`lib.acting_as(member_id)`) or as an anonymous visitor (`lib.acting_as(None)`). The
library handle is never trusted; accounts and sessions are the portal's own
(accounts.py), in a SQLite file apart from the library's database.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import json
import logging
import secrets
from typing import Any, Callable, Optional

import cds
from flask import Flask, Response, abort, g, redirect, render_template, request, url_for
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from . import charts
from .accounts import Accounts
from .i18n import LANGS, RTL, t

log = logging.getLogger("cds.portal")

SESSION_COOKIE = "cds_session"
ANON_COOKIE = "cds_visitor"       # a random id for a visitor's CSRF token before she signs in
LANG_COOKIE = "cds_lang"
CONSENT_VERSION = "2026-01"
SEED = ["migrants_mobilized", "collectivities_engaged", "collectivities_with_competent_adc", "actors_linked"]
PROVINCES = [("09.581", "Tiznit"), ("09.541", "Taroudannt")]   # the CDS's provinces (SCENARIO.md)
STAGES = ["idea", "identification", "formulation", "ready", "mobilization", "funded", "implementation",
          "completed", "capitalized", "on_hold", "rejected", "abandoned"]
FUNDING_ROWS = 6                  # sources the ADC's funding form shows
CSV_ENTITIES = ("members", "organizations", "offers", "needs", "projects", "indicators")
HTTP_STATUS = {"invalid_params": 400, "not_found": 404, "forbidden": 403, "conflict": 409,
               "transition_not_allowed": 409}


class FormError(Exception):
    """A form value the portal itself refuses before any call (a number that is no number)."""

    def __init__(self, key: str, field: str):
        super().__init__(key)
        self.key, self.field = key, field


def create_app(db_path: str, accounts_path: str, secret: Optional[bytes] = None) -> Flask:
    app = Flask(__name__)
    # Forms are small; anything bigger is refused before it reaches the library.
    app.config.update(MAX_CONTENT_LENGTH=256 * 1024, MAX_FORM_MEMORY_SIZE=64 * 1024)
    lib = cds.open(db_path, busy_timeout_ms=5000)          # not trusted: the access table decides
    accounts = Accounts(accounts_path)
    secret = secret or accounts.secret()
    app.extensions["cds"] = lib
    app.extensions["accounts"] = accounts
    _labels_cache: dict[tuple[str, str], dict[str, str]] = {}

    # ------------------------------------------------------------------ request context
    @app.before_request
    def who_is_there() -> Optional[Response]:
        g.account = accounts.session_account(request.cookies.get(SESSION_COOKIE))
        g.member_id = g.account["member"] if g.account else None
        g.cds = lib.acting_as(g.member_id)
        asked = request.args.get("lang")
        g.set_lang = asked if asked in LANGS else None
        g.lang = g.set_lang or request.cookies.get(LANG_COOKIE) or (g.account["lang"] if g.account else None)
        if g.lang not in LANGS:
            g.lang = "fr"
        if g.set_lang and g.account:
            accounts.set_lang(g.account["id"], g.set_lang)    # the member's choice, remembered
        g.visitor = request.cookies.get(ANON_COOKIE) or secrets.token_urlsafe(16)
        g.me = None
        if g.member_id:
            try:
                g.me = g.cds.member.get(id=g.member_id, locale=g.lang)
            except cds.ForbiddenError:       # erased, or unknown to the library: the session ends
                g.member_id, g.me, g.cds = None, None, lib.acting_as(None)
        if request.method == "POST" and not _csrf_ok():
            log.warning("portal refused a form without a valid CSRF token: %s", request.path)
            return _error_page(403, t("err.csrf", g.lang), code="csrf")
        return None

    @app.after_request
    def cookies_and_headers(resp: Response) -> Response:
        cookie = dict(secure=True, httponly=True, samesite="Lax")
        if g.get("set_lang"):
            resp.set_cookie(LANG_COOKIE, g.set_lang, max_age=365 * 86400, **cookie)
        if not request.cookies.get(ANON_COOKIE) and g.get("visitor"):
            resp.set_cookie(ANON_COOKIE, g.visitor, **cookie)
        resp.headers["Content-Security-Policy"] = ("default-src 'none'; style-src 'self'; img-src 'self' data:; "
                                                   "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "same-origin"
        return resp

    def _csrf_token() -> str:
        basis = request.cookies.get(SESSION_COOKIE) or g.visitor
        return hmac.new(secret, basis.encode(), hashlib.sha256).hexdigest()

    def _csrf_ok() -> bool:
        sent = request.form.get("csrf", "")
        basis = request.cookies.get(SESSION_COOKIE) or request.cookies.get(ANON_COOKIE)
        if not basis or not sent:
            return False
        return hmac.compare_digest(sent, hmac.new(secret, basis.encode(), hashlib.sha256).hexdigest())

    def roles() -> list[str]:
        return list(g.me.get("roles", [])) if g.me else []

    def is_staff() -> bool:
        """A facilitator or an admin: the CDS's staff."""
        return bool({"facilitator", "admin"} & set(roles()))

    def member_names(ids: list[Optional[str]]) -> dict[str, Optional[str]]:
        """The names the caller may see (a member who did not consent to publication stays unnamed)."""
        names: dict[str, Optional[str]] = {}
        for mid in ids:
            if mid and mid not in names:
                try:
                    names[mid] = g.cds.member.get(id=mid)["name"]
                except (cds.ForbiddenError, cds.NotFoundError):
                    names[mid] = None
        return names

    @app.context_processor
    def helpers() -> dict[str, Any]:
        def tr(key: str) -> str:
            return t(key, g.lang)

        def name_of(obj: Optional[dict]) -> str:
            if not obj:
                return ""
            for lang in (g.lang, "fr", "ar", "en"):
                if obj.get(lang):
                    return obj[lang]
            return next(iter(obj.values()), "")

        def lang_url(lang: str) -> str:
            args = dict(request.args)
            args["lang"] = lang
            return url_for(request.endpoint or "home", **(request.view_args or {}), **args)

        def money(m: Optional[dict]) -> str:
            if not m:
                return "—"
            return f"{m['minor'] // 100:,}".replace(",", "\u202f") + " " + m["currency"]

        return dict(tr=tr, lang=g.lang, dir="rtl" if g.lang in RTL else "ltr", me=g.me, roles=roles(),
                    csrf=_csrf_token(), name_of=name_of, lang_url=lang_url, LANGS=LANGS, money=money,
                    label=label)

    def label(dataset: str, code: Optional[str]) -> str:
        """The library's label of a vocabulary entry, in the page's language."""
        if not code:
            return ""
        key = (dataset, g.lang)
        if key not in _labels_cache:
            _labels_cache[key] = {e["code"]: e.get("label", e["code"]) for e in reference_all(dataset)}
        return _labels_cache[key].get(code, code)

    def reference_all(dataset: str) -> list[dict]:
        """Every entry of a reference dataset in the page's language, page after page."""
        entries, cursor = [], None
        while True:
            page = lib.acting_as(None).reference.list(dataset=dataset, locale=g.lang, limit=1000,
                                                      **({"cursor": cursor} if cursor else {}))
            entries.extend(page["items"])
            cursor = page.get("next_cursor")
            if not cursor:
                return entries

    _territories: dict[str, dict] = {}

    def territory_name(code: Optional[str]) -> str:
        """The library's name of a territory (reference data: read once)."""
        if not code:
            return ""
        if code not in _territories:
            try:
                _territories[code] = lib.acting_as(None).territory.get(code=code)["name"]
            except cds.NotFoundError:
                return code
        names = _territories[code]
        return names.get("ar") if g.lang == "ar" else names.get("fr", code)

    app.jinja_env.globals["territory_name"] = territory_name

    # ------------------------------------------------------------------ errors
    def _error_page(status: int, message: str, code: str = "", field: str = "",
                    missing: Optional[list] = None) -> Response:
        html = render_template("error.html", message=message, code=code, field=field, missing=missing or [])
        return Response(html, status=status, mimetype="text/html")

    @app.errorhandler(cds.Error)
    def library_error(e: cds.Error) -> Response:
        details = e.details or {}
        log.warning("library error %s on %s %s: %s", e.code, request.method, request.path, json.dumps(details))
        key = f"err.{e.code}"
        message = t(key, g.lang) if key != t(key, g.lang) else f"{t('err.internal', g.lang)}"
        return _error_page(HTTP_STATUS.get(e.code, 500), message, code=e.code,
                           field=str(details.get("field") or details.get("rule") or ""),
                           missing=getattr(e, "missing", None) if e.code == "transition_not_allowed" else None)

    @app.errorhandler(FormError)
    def form_error(e: FormError) -> Response:
        log.warning("portal refused a form value %s (%s) on %s", e.field, e.key, request.path)
        return _error_page(400, t(e.key, g.lang), code="invalid_params", field=e.field)

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(e: HTTPException) -> Response:
        log.warning("portal refused a request too large (413) on %s", request.path)
        if "lang" not in g:
            g.lang = request.cookies.get(LANG_COOKIE) if request.cookies.get(LANG_COOKIE) in LANGS else "fr"
        return _error_page(413, t("err.too_large", g.lang), code="request_too_large")

    # ------------------------------------------------------------------ helpers
    def signed_in(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*a: Any, **kw: Any) -> Any:
            if not g.member_id:
                return redirect(url_for("login", next=request.path))
            return view(*a, **kw)
        return wrapper

    def form(name: str) -> Optional[str]:
        v = request.form.get(name, "").strip()
        return v or None

    def integer(name: str, required: bool = False) -> Optional[int]:
        v = form(name)
        if v is None:
            if required:
                raise FormError("err.number", name)
            return None
        try:
            return int(v.replace(" ", "").replace("\u202f", ""))
        except ValueError:
            raise FormError("err.number", name) from None

    def codes(name: str) -> list[str]:
        """Codes from a multiple select or a comma-separated field (or both), in order, once each."""
        out: list[str] = []
        for value in request.form.getlist(name):
            for c in value.split(","):
                if c.strip() and c.strip() not in out:
                    out.append(c.strip())
        return out

    _skills: dict[str, list[tuple[dict, list[dict]]]] = {}

    def skills_tree() -> list[tuple[dict, list[dict]]]:
        """The skill taxonomy in the page's language, for the skill pickers: ISCO-08's unit groups
        (the codes offers and needs are matched on) under their sub-major group (reference data:
        read once per language). ESCO's knowledge groups stay out: about 33 KB of options is
        what a phone on a rural connection should load for one field."""
        if g.lang not in _skills:
            entries = [e for e in reference_all("skills") if e.get("scheme") == "isco08"]
            units = [e for e in entries if e.get("level") == "unit"]
            _skills[g.lang] = [(top, [u for u in units if u["code"].startswith(top["code"])])
                               for top in entries if top.get("level") == "sub-major"]
        return _skills[g.lang]

    app.jinja_env.globals["skills_tree"] = skills_tree

    _options: dict[tuple[str, str], str] = {}

    def _selected(html: str, current: Any) -> Markup:
        """Pre-rendered options with the member's codes selected (one string replace per code)."""
        for code in ([current] if isinstance(current, str) else list(current or [])):
            key = f'<option value="{escape(code)}">'
            html = html.replace(key, key[:-1] + " selected>", 1)
        return Markup(html)

    def skill_options(current: Any) -> Markup:
        """The skill picker's options, rendered once per language (about 33 KB: rendering them in
        the template for every page was most of a profile page's time)."""
        key = ("skills", g.lang)
        if key not in _options:
            _options[key] = "".join(
                f'<optgroup label="{escape(top["label"])}">'
                + "".join(f'<option value="{escape(u["code"])}">{escape(u["label"])}</option>' for u in units)
                + "</optgroup>" for top, units in skills_tree())
        return _selected(_options[key], current)

    def origin_options(current: Any) -> Markup:
        """The origin picker's communes by province, rendered once per language."""
        key = ("origin", g.lang)
        if key not in _options:
            _options[key] = "".join(
                f'<optgroup label="{escape(territory_name(prov))}">'
                + "".join(f'<option value="{escape(c["code"])}">{escape(c["name"]["ar"] if g.lang == "ar" else c["name"]["fr"])}</option>'
                          for c in items)
                + "</optgroup>" for prov, items in communes_tree())
        return _selected(_options[key], current)

    app.jinja_env.globals["skill_options"] = skill_options
    app.jinja_env.globals["origin_options"] = origin_options

    _tree: list[tuple[str, list[dict]]] = []

    def communes_tree() -> list[tuple[str, list[dict]]]:
        """The communes of the CDS's provinces, for the origin select (reference data: read once)."""
        if not _tree:
            _tree.extend((code, lib.acting_as(None).territory.list(level="commune", parent=code, limit=1000)["items"])
                         for code, _ in PROVINCES)
        return _tree

    def today() -> str:
        return dt.date.today().isoformat()

    # ------------------------------------------------------------------ public pages
    @app.get("/")
    def home() -> str:
        as_of = request.args.get("as_of") or today()
        territory = request.args.get("territory") or None
        if territory and territory not in {c for c, _ in PROVINCES}:
            territory = None
        scope = {"territory": territory} if territory else {}
        now = g.cds.indicators.compute(as_of=as_of, locale=g.lang, **scope)
        year = as_of[:4]
        series = g.cds.indicators.compute(period="quarter", from_=f"{year}-01-01", until=f"{year}-12-31",
                                          indicators=SEED, locale=g.lang, **scope)["series"]
        by_id = {i["id"]: i for i in now["indicators"]}
        seed = []
        for ind_id in SEED:
            ind = by_id[ind_id]
            points = [(p["period"][-2:], next(i["value"] for i in p["indicators"] if i["id"] == ind_id))
                      for p in series]
            seed.append(dict(ind=ind, bar=charts.progress(ind["value"], ind["target"], ind["label"]),
                             chart=charts.bars(points, ind["target"], f"{ind['label']} {t('by_quarter', g.lang)}")))
        stages = by_id["projects_by_stage"]["breakdown"]
        funnel = charts.funnel([(label("stages", s), stages.get(s, 0)) for s in STAGES[:9]], t("funnel", g.lang))
        others = [by_id[i] for i in ("median_days_idea_to_ready", "needs_covered_share", "match_acceptance_rate",
                                     "projects_by_stage") if i in by_id]
        return render_template("home.html", as_of=as_of, territory=territory, provinces=PROVINCES, seed=seed,
                               funnel=funnel, others=others, stages=stages)

    @app.get("/communes")
    def communes() -> str:
        orgs = g.cds.organization.list(kind="commune", limit=1000, locale=g.lang)["items"]
        rows = []
        for org in orgs:
            page = g.cds.project.list(territory=org["territory"], limit=1000, locale=g.lang)
            rows.append(dict(org=org, count=len(page["items"]), withheld=page.get("withheld", 0)))
        return render_template("communes.html", rows=rows)

    @app.get("/communes/<code>")
    def commune(code: str) -> str:
        territory = g.cds.territory.get(code=code, locale=g.lang)
        page = g.cds.project.list(territory=code, limit=1000, locale=g.lang)
        return render_template("commune.html", territory=territory, projects=page["items"],
                               withheld=page.get("withheld", 0))

    @app.get("/projects/<pid>")
    def project(pid: str) -> str:
        p = g.cds.project.get(id=pid, locale=g.lang)
        needs = g.cds.need.list(project=pid, limit=1000, locale=g.lang)["items"]
        contribs = g.cds.contribution.list(project=pid, limit=1000, locale=g.lang)
        names = member_names([c.get("member") for c in contribs["items"]])
        for c in contribs["items"]:
            if c.get("organization") and c["organization"] not in names:
                names[c["organization"]] = g.cds.organization.get(id=c["organization"])["name"]
        represents = [o["organization"] for o in (g.me or {}).get("organizations", [])]
        commune_orgs = {o["id"] for o in g.cds.organization.list(kind="commune", limit=1000)["items"]}
        may_endorse = any(o in commune_orgs for o in represents) and p["stage"] in ("formulation", "identification")
        return render_template("project.html", p=p, needs=needs, contribs=contribs, names=names,
                               may_endorse=may_endorse, is_adc=_is_adc_of(p), campaigns=campaigns_of(pid))

    def campaigns_of(pid: str) -> list[dict]:
        """The project's campaigns with their pools and a progress bar of what was received."""
        out = []
        for c in g.cds.campaign.list(project=pid, locale=g.lang)["items"]:
            c["pools"] = g.cds.pool.list(campaign=c["id"])["items"]
            c["bar"] = charts.progress(c["totals"]["received"]["minor"] / 100, c["goal"]["minor"] / 100,
                                       t("cp.received", g.lang))
            out.append(c)
        return out

    def amount(name: str, currency: str) -> dict:
        """Money typed in whole units or with cents ("150", "150,50", "1 250.5"), as exact minor units."""
        v = (form(name) or "").replace(" ", "").replace("\u202f", "").replace(",", ".")
        whole, _, cents = v.partition(".")
        if not whole.isdigit() or (cents and (not cents.isdigit() or len(cents) > 2)):
            raise FormError("err.amount", name)
        return {"minor": int(whole) * 100 + int((cents + "00")[:2] if cents else 0), "currency": currency}

    @app.post("/campaigns/<cid>/give")
    @signed_in
    def give(cid: str) -> Response:
        """A member's pledge to an open campaign: the money is collected when the ADC records it."""
        c = g.cds.campaign.get(id=cid, locale=g.lang)
        g.cds.gift.create(campaign=cid, member=g.member_id, amount=amount("amount", form("currency") or c["goal"]["currency"]),
                          on=today(), locale=g.lang)
        return redirect(url_for("project", pid=c["project"], pledged=1) + "#campaigns")

    @app.get("/search")
    def search() -> str:
        commune_code = request.args.get("commune") or None
        sector = request.args.get("sector") or None
        skill = request.args.get("skill") or None
        params: dict[str, Any] = {"limit": 200, "locale": g.lang}
        if commune_code:
            params["territory"] = commune_code
        if sector:
            params["sector"] = sector
        projects = g.cds.project.list(**params)["items"] if (commune_code or sector or skill) else []
        hits = []
        for p in projects:
            needs = g.cds.need.list(project=p["id"], status="open", limit=1000)["items"]
            if skill:
                needs = [n for n in needs if any(s == skill or s.startswith(skill) for s in n.get("skills", []))]
                if not needs:
                    continue
            hits.append((p, needs))
        sectors = lib.acting_as(None).reference.list(dataset="pac_sectors", locale=g.lang, limit=1000)["items"]
        return render_template("search.html", hits=hits, tree=communes_tree(), sectors=sectors,
                               commune=commune_code, sector=sector, skill=skill,
                               searched=bool(commune_code or sector or skill))

    @app.get("/members/<mid>")
    def member(mid: str) -> str:
        m = g.cds.member.get(id=mid, locale=g.lang)        # the library removes what this actor may not see
        return render_template("member.html", m=m)

    # ------------------------------------------------------------------ accounts
    def _signup_form() -> tuple[str, str, dict[str, Any]]:
        """What the sign-up form gives: the e-mail, the password and member.create's params."""
        email, password = form("email") or "", request.form.get("password", "")
        if len(password) < 10:
            raise FormError("err.password", "password")
        if not request.form.get("consent_processing"):
            raise FormError("err.processing", "consent_processing")
        if accounts.email_taken(email):
            raise FormError("err.email_taken", "email")
        consents = [{"purpose": p, "version": CONSENT_VERSION}
                    for p in ("processing", "contact", "publication") if request.form.get(f"consent_{p}")]
        params: dict[str, Any] = dict(name=form("name") or "", gender=form("gender") or "", roles=["diaspora"],
                                      residence_country=(form("country") or "").upper(), email=email,
                                      consents=consents, languages=codes("languages"), skills=codes("skills"),
                                      heart_diaspora=bool(request.form.get("heart")), locale=g.lang)
        for key, field in (("residence_city", "city"), ("origin", "origin")):
            if form(field):
                params[key] = form(field)
        return email, password, params

    @app.route("/signup", methods=["GET", "POST"])
    def signup() -> Any:
        if request.method == "GET":
            return render_template("signup.html", tree=communes_tree())
        email, password, params = _signup_form()
        created = lib.acting_as(None).member.create(**params)   # an anonymous visitor signs up
        account = accounts.create(email, password, created["id"], g.lang)
        resp = redirect(url_for("me"))
        _open_session(resp, account)
        return resp

    def _open_session(resp: Response, account: int) -> None:
        token = accounts.open_session(account)
        resp.set_cookie(SESSION_COOKIE, token, secure=True, httponly=True, samesite="Lax",
                        max_age=14 * 86400)

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        if request.method == "GET":
            return render_template("login.html", failed=False)
        email = (form("email") or "").lower()
        keys = (f"email:{email}", f"addr:{request.remote_addr}")
        if accounts.too_many_failures(*keys):
            log.warning("portal login rate limit reached for %s", request.remote_addr)
            return _error_page(429, t("err.rate", g.lang), code="rate_limited")
        row = accounts.verify(email, request.form.get("password", ""))
        if row is None:
            accounts.record_failure(*keys)
            return Response(render_template("login.html", failed=True), status=401)
        nxt = request.args.get("next") or ""
        resp = redirect(nxt if nxt.startswith("/") and not nxt.startswith("//") else url_for("me"))
        accounts.close_session(request.cookies.get(SESSION_COOKIE))
        _open_session(resp, row["id"])
        return resp

    @app.post("/logout")
    def logout() -> Response:
        accounts.close_session(request.cookies.get(SESSION_COOKIE))
        resp = redirect(url_for("home"))
        resp.delete_cookie(SESSION_COOKIE)
        return resp

    # ------------------------------------------------------------------ members
    @app.route("/me", methods=["GET", "POST"])
    @signed_in
    def me() -> Any:
        if request.method == "POST":
            g.cds.member.update(id=g.member_id, origin=form("origin"), residence_city=form("city"),
                                languages=codes("languages"), skills=codes("skills"), locale=g.lang)
            return redirect(url_for("me", saved=1))
        stays = [(o, w) for o in g.cds.offer.list(member=g.member_id, limit=1000, locale=g.lang)["items"]
                 for w in o.get("windows", []) if w.get("travel")]
        return render_template("me.html", m=g.me, tree=communes_tree(), stays=stays, saved=request.args.get("saved"))

    @app.route("/me/offers", methods=["GET", "POST"])
    @signed_in
    def offers() -> Any:
        if request.method == "POST":
            window: dict[str, Any] = {}
            if form("from") or form("until"):
                window = {"from": form("from") or "", "until": form("until") or "",
                          "travel": bool(request.form.get("travel"))}
            params: dict[str, Any] = dict(member=g.member_id, kind=form("kind") or "",
                                          description=form("description") or "", skills=codes("skills"),
                                          capacity={"unit": "person_days", "amount": integer("amount", True)},
                                          remote=bool(request.form.get("remote")),
                                          on_site=bool(request.form.get("on_site")),
                                          languages=codes("languages") or list(g.me.get("languages", [])),
                                          contact_consent=bool(request.form.get("contact")), locale=g.lang)
            if window:
                params["windows"] = [window]
            g.cds.offer.create(**params)
            return redirect(url_for("offers", saved=1))
        mine = g.cds.offer.list(member=g.member_id, limit=1000, locale=g.lang)["items"]
        return render_template("offers.html", offers=mine, saved=request.args.get("saved"))

    @app.post("/me/offers/<oid>/windows")
    @signed_in
    def offer_windows(oid: str) -> Response:
        """Adds a window (a stay in Morocco, or dates at a distance) to one of her offers, or
        removes one: the offer's windows are what the matcher reads for dates and on-site work."""
        offer = g.cds.offer.get(id=oid, locale=g.lang)
        windows = [{k: w[k] for k in ("from", "until", "travel") if k in w} for w in offer.get("windows", [])]
        drop = form("remove")
        if drop is not None:
            index = integer("remove", True)
            if index is None or not 0 <= index < len(windows):
                raise FormError("err.number", "remove")
            del windows[index]
        else:
            windows.append({"from": form("from") or "", "until": form("until") or "",
                            "travel": bool(request.form.get("travel"))})
        g.cds.offer.update(id=oid, windows=windows, locale=g.lang)
        return redirect(url_for("offers", saved=1) + f"#offer-{oid}")

    @app.get("/me/fit")
    @signed_in
    def fit() -> str:
        found = g.cds.match.member(member=g.member_id, k=10, locale=g.lang)
        hits, hidden = [], 0
        for m in found["matches"]:
            try:
                hits.append((m, g.cds.need.get(id=m["need"]), g.cds.project.get(id=m["project"])))
            except cds.ForbiddenError:
                # match.member also answers needs of projects not yet published, which the member
                # may not open (rule project.unpublished): they are counted, not shown.
                hidden += 1
        proposals = g.cds.match.list(member=g.member_id, limit=100, locale=g.lang)["items"]
        for p in proposals:
            p["_need"] = g.cds.need.get(id=p["need"])
        return render_template("fit.html", hits=hits, hidden=hidden, proposals=proposals,
                               done=request.args.get("done"))

    @app.post("/matches/<mid>/<verb>")
    @signed_in
    def answer_match(mid: str, verb: str) -> Response:
        if verb == "accept":
            g.cds.match.accept(id=mid, locale=g.lang)
        elif verb == "decline":
            g.cds.match.decline(id=mid, locale=g.lang)
        else:
            abort(404)
        return redirect(url_for("fit", done=verb))

    @app.route("/me/data", methods=["GET", "POST"])
    @signed_in
    def my_data() -> Any:
        if request.method == "POST":
            if not request.form.get("confirm"):
                raise FormError("erase.confirm", "confirm")
            g.cds.member.erase(id=g.member_id, locale=g.lang)
            accounts.delete(g.account["id"])        # the portal's account goes too (and its sessions)
            g.me = None
            resp = Response(render_template("erased.html"))
            resp.delete_cookie(SESSION_COOKIE)
            return resp
        if request.args.get("download"):
            data = g.cds.member.export(id=g.member_id, locale=g.lang)
            return Response(json.dumps(data, ensure_ascii=False, indent=1), mimetype="application/json",
                            headers={"Content-Disposition": "attachment; filename=cds-my-data.json"})
        return render_template("mydata.html")

    # ------------------------------------------------------------------ ADC workspace
    def _is_adc_of(p: dict) -> bool:
        return bool(g.me) and (p.get("adc") == g.member_id or
                               ("adc" in roles() and g.me.get("adc_commune") in p.get("communes", [])))

    @app.route("/adc", methods=["GET", "POST"])
    @signed_in
    def adc() -> Any:
        commune_code = (g.me or {}).get("adc_commune")
        if request.method == "POST":
            params: dict[str, Any] = dict(title={g.lang: form("title") or ""}, adc=g.member_id, locale=g.lang,
                                          communes=[commune_code] if commune_code else [])
            if form("sector"):
                params["sector"] = form("sector")
            if form("summary"):
                params["summary"] = {g.lang: form("summary")}
            created = g.cds.project.create(**params)
            return redirect(url_for("adc_project", pid=created["id"]))
        mine = g.cds.project.list(territory=commune_code, limit=1000, locale=g.lang)["items"] if commune_code else []
        sectors = lib.acting_as(None).reference.list(dataset="pac_sectors", locale=g.lang, limit=1000)["items"]
        return render_template("adc.html", projects=mine, commune=commune_code, sectors=sectors)

    @app.get("/adc/projects/<pid>")
    @signed_in
    def adc_project(pid: str) -> str:
        p = g.cds.project.get(id=pid, locale=g.lang)
        nxt = p["checklist"]["target"]
        ready = g.cds.project.checklist(id=pid, to="ready", locale=g.lang) if p["stage"] in (
            "idea", "identification", "formulation") else None
        needs = g.cds.need.list(project=pid, limit=1000, locale=g.lang)["items"]
        orgs = g.cds.organization.list(limit=1000)["items"]
        campaigns = campaigns_of(pid)
        givers = []
        for c in campaigns:
            c["gifts"] = g.cds.gift.list(campaign=c["id"])["items"] if _is_adc_of(p) or is_staff() else []
            givers += [x.get("member") for x in c["gifts"]]
        check = g.cds.project.funding_check(id=pid, on=today(), locale=g.lang)
        programmes = lib.acting_as(None).programme.list()["items"]
        origins = lib.acting_as(None).reference.list(dataset="source_origins", locale=g.lang, limit=100)["items"]
        return render_template("adc_project.html", p=p, nxt=nxt, ready=ready, needs=needs, orgs=orgs,
                               saved=request.args.get("saved"), campaigns=campaigns, names=member_names(givers),
                               check=check, programmes=programmes, origins=origins, today=today(),
                               funding_rows=FUNDING_ROWS)

    @app.post("/adc/projects/<pid>/update")
    @signed_in
    def adc_update(pid: str) -> Response:
        section = request.form.get("section")
        params: dict[str, Any] = {"id": pid, "locale": g.lang}
        if section == "identification":
            params["identification_note"] = form("identification_note")
            total = integer("benef_total")
            if total is not None:
                params["beneficiaries"] = {"total": total, **({"women": integer("benef_women")}
                                                              if integer("benef_women") is not None else {})}
            params["pac_reference"] = form("pac_reference")
        elif section == "logframe":
            params["logframe"] = {
                "goal": form("goal"),
                "results": [{"title": form("result") or "", "indicators": [
                    {"name": form("indicator") or "", "target": integer("ind_target")}]}] if form("result") else [],
                "activities": [{"title": form("activity") or "", "start_on": form("act_start"),
                                "end_on": form("act_end")}] if form("activity") else [],
            }
        elif section == "budget":
            lines = []
            for i in range(3):
                if form(f"b{i}_label"):
                    lines.append({"category": form(f"b{i}_category") or "other", "label": form(f"b{i}_label"),
                                  "amount": {"minor": integer(f"b{i}_amount", True) * 100, "currency": "MAD"}})
            params["budget"] = {"currency": "MAD", "lines": lines}
        elif section == "funding":
            plan = []
            for i in range(FUNDING_ROWS):
                if form(f"f{i}_label"):
                    source: dict[str, Any] = {"label": form(f"f{i}_label"),
                                              "amount": {"minor": integer(f"f{i}_amount", True) * 100, "currency": "MAD"},
                                              "status": "confirmed" if request.form.get(f"f{i}_confirmed") else "expected"}
                    for key in ("organization", "programme", "origin"):
                        if form(f"f{i}_{key}"):
                            source[key] = form(f"f{i}_{key}")
                    plan.append(source)
            params["funding_plan"] = plan
        elif section == "planning":
            params.update(lead_organization=form("lead_organization"), start_on=form("start_on"),
                          end_on=form("end_on"))
        else:
            abort(400)
        g.cds.project.update(**params)
        return redirect(url_for("adc_project", pid=pid, saved=section) + f"#{section}")

    @app.post("/adc/projects/<pid>/transition")
    @signed_in
    def adc_transition(pid: str) -> Response:
        to = form("to") or ""
        g.cds.project.transition(id=pid, to=to, locale=g.lang)
        return redirect(url_for("adc_project", pid=pid, saved="stage"))

    @app.post("/adc/projects/<pid>/campaigns")
    @signed_in
    def adc_campaign(pid: str) -> Response:
        """The ADC opens a campaign for her project: all or nothing, or keep it all."""
        currency = form("currency") if form("currency") in ("MAD", "EUR") else "MAD"
        c = g.cds.campaign.create(project=pid, title={g.lang: form("title") or ""}, model=form("model") or "",
                                  goal=amount("goal", currency), opens_on=form("opens_on") or "",
                                  closes_on=form("closes_on") or "", locale=g.lang)
        if request.form.get("open"):
            g.cds.campaign.open(id=c["id"], locale=g.lang)
        return redirect(url_for("adc_project", pid=pid, saved="campaign") + "#campaigns")

    @app.post("/adc/campaigns/<cid>/<verb>")
    @signed_in
    def adc_campaign_verb(cid: str, verb: str) -> Response:
        if verb == "open":
            c = g.cds.campaign.open(id=cid, locale=g.lang)
        elif verb == "settle":
            c = g.cds.campaign.settle(id=cid, on=form("on") or today(), locale=g.lang)
        else:
            abort(404)
        return redirect(url_for("adc_project", pid=c["project"], saved="campaign") + "#campaigns")

    @app.post("/adc/gifts/<gid>/<to>")
    @signed_in
    def adc_gift(gid: str, to: str) -> Response:
        """The ADC records what happened to a gift: the money came in, the payment failed, it was refunded."""
        if to not in ("collected", "errored", "cancelled", "refunded"):
            abort(404)
        gift = g.cds.gift.move(id=gid, to=to, on=today(), locale=g.lang)
        c = g.cds.campaign.get(id=gift["campaign"])
        return redirect(url_for("adc_project", pid=c["project"], saved="gift") + "#campaigns")

    @app.post("/adc/projects/<pid>/needs")
    @signed_in
    def adc_need(pid: str) -> Response:
        params: dict[str, Any] = dict(project=pid, kind=form("kind") or "", description=form("description") or "",
                                      skills=codes("skills"), mode=form("mode") or "either",
                                      quantity={"unit": "person_days", "amount": integer("amount", True)},
                                      languages=codes("languages"), critical=bool(request.form.get("critical")),
                                      locale=g.lang)
        if form("from"):
            params["from_"] = form("from")
        if form("until"):
            params["until"] = form("until")
        g.cds.need.create(**params)
        return redirect(url_for("adc_project", pid=pid, saved="need") + "#needs")

    @app.route("/adc/needs/<nid>", methods=["GET", "POST"])
    @signed_in
    def adc_matches(nid: str) -> Any:
        if request.method == "POST":
            g.cds.match.propose(need=nid, offer=form("offer") or "", locale=g.lang)
            return redirect(url_for("adc_matches", nid=nid, saved=1))
        need = g.cds.need.get(id=nid, locale=g.lang)
        found = g.cds.match.need(need=nid, k=10, locale=g.lang)["matches"]
        for m in found:
            try:
                m["_name"] = g.cds.member.get(id=m["member"])["name"] if m.get("member") else None
            except (cds.ForbiddenError, cds.NotFoundError):
                m["_name"] = None
        proposed = g.cds.match.list(need=nid, limit=100)["items"]
        try:
            audience: Optional[list] = g.cds.outreach.audience(need=nid, limit=50, locale=g.lang)["members"]
        except (cds.ForbiddenError, cds.ConflictError):   # not hers to write to, or not published yet
            audience = None
        sent = {k: request.args.get(k) for k in ("queued", "digested", "skipped")}
        return render_template("adc_need.html", need=need, found=found, proposed=proposed, audience=audience,
                               saved=request.args.get("saved"), **sent)

    @app.route("/projects/<pid>/endorse", methods=["GET", "POST"])
    @signed_in
    def endorse(pid: str) -> Any:
        if request.method == "GET":
            # A commune's representative may endorse a project she may not read before it is
            # published (project.get answers project.unpublished): the ADC sends her this page.
            try:
                p: Optional[dict] = g.cds.project.get(id=pid, locale=g.lang)
            except cds.ForbiddenError:
                p = None
            return render_template("endorse.html", pid=pid, p=p)
        g.cds.project.endorse(id=pid, on=form("on") or "", locale=g.lang)
        return redirect(url_for("project", pid=pid, endorsed=1))

    # ------------------------------------------------------------------ facilitator workspace
    @app.route("/facilitator", methods=["GET", "POST"])
    @signed_in
    def facilitator() -> Any:
        if request.method == "POST":
            g.cds.competence.attest(member=form("member") or "", competence=form("competence") or "",
                                    attested_on=form("attested_on") or "", by=g.member_id,
                                    module=form("module"), locale=g.lang)
            return redirect(url_for("facilitator", saved=1))
        as_of = request.args.get("as_of") or today()
        disagg = request.args.get("disaggregate") if request.args.get("disaggregate") in (
            "gender", "country_of_residence") else None
        result = g.cds.indicators.compute(as_of=as_of, indicators=SEED, provenance=True, locale=g.lang,
                                          **({"disaggregate": disagg} if disagg else {}))
        adcs = g.cds.member.list(role="adc", limit=1000)["items"]
        competences = lib.acting_as(None).reference.list(dataset="competences", locale=g.lang)["items"]
        return render_template("facilitator.html", result=result, as_of=as_of, disagg=disagg, adcs=adcs,
                               competences=competences, saved=request.args.get("saved"))

    @app.get("/facilitator/reports")
    @signed_in
    def reports() -> str:
        """CSV and IATI downloads, and the mobilization figures (circles, outreach)."""
        as_of = request.args.get("as_of") or today()
        iati = g.cds.export.iati(check=True, locale=g.lang)
        circles = g.cds.circle.indicators(as_of=as_of, locale=g.lang)
        outreach = g.cds.outreach.indicators(as_of=as_of, locale=g.lang)
        return render_template("reports.html", entities=CSV_ENTITIES, iati=iati, circles=circles,
                               outreach=outreach, as_of=as_of)

    @app.get("/facilitator/reports/<entity>.csv")
    @signed_in
    def report_csv(entity: str) -> Response:
        if entity not in CSV_ENTITIES:
            abort(404)
        excel = bool(request.args.get("excel"))
        params: dict[str, Any] = dict(entity=entity, locale=g.lang, bom=excel, separator=";" if excel else ",")
        if entity == "indicators":
            params["as_of"] = request.args.get("as_of") or today()
        text = g.cds.export.csv(**params)["csv"]
        return Response(text, mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename=cds-{entity}.csv"})

    @app.get("/facilitator/reports/iati.xml")
    @signed_in
    def report_iati() -> Response:
        """The IATI 2.03 activities of the projects that break no IATI rule (the page lists the others)."""
        checked = g.cds.export.iati(check=True, locale=g.lang)
        broken = {p.get("project") for p in checked["problems"]}
        ready = [p["id"] for p in g.cds.project.list(limit=1000)["items"] if p["id"] not in broken]
        if not ready:
            return _error_page(409, t("iati.none", g.lang), code="conflict")
        xml = g.cds.export.iati(projects=ready, locale=g.lang)["xml"]
        return Response(xml, mimetype="application/xml",
                        headers={"Content-Disposition": "attachment; filename=cds-iati-activities.xml"})

    # ------------------------------------------------------------------ invitations
    @app.route("/invitations", methods=["GET", "POST"])
    @signed_in
    def invitations() -> Any:
        """A member invites someone (a single-use link); a commune's representative or the staff
        invite on behalf of an organization. The code is shown only to who invited."""
        staff = is_staff()
        if request.method == "POST":
            params: dict[str, Any] = dict(channel=form("channel") or "link", locale=g.lang)
            if form("organization"):
                params["organization"] = form("organization")
            else:
                params["by"] = g.member_id
            for key in ("name", "email", "phone", "note"):
                if form(key):
                    params[key] = form(key)
            created = g.cds.invitation.create(**params)
            return redirect(url_for("invitations", created=created["id"]))
        listed = g.cds.invitation.list(limit=200, locale=g.lang, **({} if staff else {"by": g.member_id}))["items"]
        mine_orgs = [o["organization"] for o in (g.me or {}).get("organizations", [])]
        orgs = g.cds.organization.list(limit=1000, locale=g.lang)["items"]
        orgs = [o for o in orgs if staff or o["id"] in mine_orgs]
        return render_template("invitations.html", invitations=listed, orgs=orgs,
                               created=request.args.get("created"),
                               join=lambda code: url_for("join", code=code, _external=True))

    @app.post("/invitations/<iid>/revoke")
    @signed_in
    def revoke_invitation(iid: str) -> Response:
        g.cds.invitation.revoke(id=iid, locale=g.lang)
        return redirect(url_for("invitations"))

    @app.route("/join/<code>", methods=["GET", "POST"])
    def join(code: str) -> Any:
        """The invitation's link: a new member signs up through it (the library records who
        brought her); a member already signed in links herself to who invited her."""
        if request.method == "GET":
            return render_template("signup.html", tree=communes_tree(), code=code)
        if g.member_id:
            g.cds.invitation.accept(code=code, member=g.member_id, locale=g.lang)
            return redirect(url_for("me", saved=1))
        email, password, params = _signup_form()
        profile = {k: v for k, v in params.items() if k != "locale"}
        accepted = lib.acting_as(None).invitation.accept(code=code, profile=profile, locale=g.lang)
        account = accounts.create(email, password, accepted["member"]["id"], g.lang)
        resp = redirect(url_for("me"))
        _open_session(resp, account)
        return resp

    # ------------------------------------------------------------------ outreach
    @app.post("/adc/needs/<nid>/outreach")
    @signed_in
    def outreach(nid: str) -> Response:
        """Writes to the need's audience through the library's outbox (its language, its channel,
        its quiet hours and weekly cap); the host delivers what the outbox holds."""
        need = g.cds.need.get(id=nid, locale=g.lang)
        link = url_for("project", pid=need["project"], _external=True)
        sent = g.cds.outreach.send(need=nid, params={"link": link}, locale=g.lang,
                                   **({"members": request.form.getlist("members")} if request.form.getlist("members") else {}))
        return redirect(url_for("adc_matches", nid=nid, queued=len(sent["queued"]), digested=len(sent["digested"]),
                                skipped=len(sent["skipped"])) + "#outreach")

    # ------------------------------------------------------------------ training: events and modules
    @app.get("/learning")
    def learning() -> str:
        """Webinars, workshops and field visits with their sessions; the training modules and what
        each asks; for a signed-in member, her enrollments and what she still lacks to complete them."""
        events = g.cds.learning_event.list(limit=100, locale=g.lang)["items"]
        modules = g.cds.module.list(limit=100, locale=g.lang)["items"]
        mine = []
        if g.member_id:
            for e in g.cds.enrollment.list(member=g.member_id, limit=100)["items"]:
                mine.append(g.cds.enrollment.get(id=e["id"], locale=g.lang))
        titles = {m["id"]: m["title"] for m in modules}
        sessions = {s["id"]: (e["title"], s["on"]) for e in events for s in e["sessions"]}
        enrolled = {e["module"] for e in mine}
        return render_template("learning.html", events=events, modules=modules, mine=mine, titles=titles,
                               sessions=sessions, enrolled=enrolled, notice=request.args.get("notice"))

    @app.post("/learning/events/<eid>/register")
    @signed_in
    def learning_register(eid: str) -> Response:
        try:
            g.cds.learning_event.register(event=eid, member=g.member_id, locale=g.lang)
            notice = "registered"
        except cds.ConflictError:          # registered already: nothing to do
            notice = "already"
        return redirect(url_for("learning", notice=notice) + f"#event-{eid}")

    @app.post("/learning/modules/<mid>/enroll")
    @signed_in
    def learning_enroll(mid: str) -> Response:
        g.cds.enrollment.create(module=mid, member=g.member_id, locale=g.lang)
        return redirect(url_for("learning", notice="enrolled") + "#mine")

    @app.post("/learning/enrollments/<enid>/submit")
    @signed_in
    def learning_submit(enid: str) -> Response:
        g.cds.enrollment.submit(id=enid, submission=form("submission") or "", locale=g.lang)
        return redirect(url_for("learning", notice="submitted") + "#mine")

    @app.get("/facilitator/learning")
    @signed_in
    def facilitator_learning() -> str:
        """The facilitator records attendance at past sessions, reviews assignments and completes enrollments."""
        events = g.cds.learning_event.list(limit=100, locale=g.lang)["items"]
        for e in events:
            for s in e["sessions"]:
                s["attendance"] = g.cds.attendance.list(session=s["id"])["items"]
        modules = {m["id"]: m for m in g.cds.module.list(limit=100, locale=g.lang)["items"]}
        enrollments = [g.cds.enrollment.get(id=e["id"], locale=g.lang)
                       for e in g.cds.enrollment.list(limit=100)["items"]]
        learners = [a["member"] for e in events for s in e["sessions"] for a in s["attendance"]]
        names = member_names(learners + [e["member"] for e in enrollments])
        return render_template("fac_learning.html", events=events, modules=modules, enrollments=enrollments,
                               names=names, today=today(), saved=request.args.get("saved"))

    @app.post("/facilitator/learning/sessions/<sid>")
    @signed_in
    def facilitator_attendance(sid: str) -> Response:
        g.cds.attendance.record(session=sid, member=form("member") or "", status=form("status") or "", locale=g.lang)
        return redirect(url_for("facilitator_learning", saved="attendance") + f"#session-{sid}")

    @app.post("/facilitator/learning/enrollments/<enid>/<verb>")
    @signed_in
    def facilitator_enrollment(enid: str, verb: str) -> Response:
        if verb == "review":
            g.cds.enrollment.review(id=enid, status=form("status") or "", note=form("note"), locale=g.lang)
        elif verb == "complete":
            g.cds.enrollment.complete(id=enid, locale=g.lang)
        else:
            abort(404)
        return redirect(url_for("facilitator_learning", saved=verb) + f"#enrollment-{enid}")

    # ------------------------------------------------------------------ learning spaces
    def _my_role(space: dict) -> Optional[str]:
        return next((m["role"] for m in space.get("members", []) if m["member"] == g.member_id), None)

    @app.get("/spaces")
    def spaces() -> str:
        """The learning spaces, with the signed-in member's role in each."""
        listed = [g.cds.space.get(id=s["id"], locale=g.lang)
                  for s in g.cds.space.list(limit=200, locale=g.lang)["items"]]
        return render_template("spaces.html", spaces=listed, role_in=_my_role)

    @app.route("/spaces/<sid>", methods=["GET", "POST"])
    def space(sid: str) -> Any:
        """A space: its members, its threads; a member joins an open one and opens a thread."""
        if request.method == "POST":
            if not g.member_id:
                return redirect(url_for("login", next=request.path))
            if request.form.get("action") == "join":
                g.cds.space.join(space=sid, member=g.member_id, locale=g.lang)
                return redirect(url_for("space", sid=sid))
            opened = g.cds.thread.create(space=sid, title=form("title") or "", body=form("body") or "",
                                         author=g.member_id, locale=g.lang)
            held = opened["post"]["state"] == "held"
            return redirect(url_for("thread", tid=opened["id"], **({"held": 1} if held else {})))
        s = g.cds.space.get(id=sid, locale=g.lang)
        threads = g.cds.thread.list(space=sid, limit=200, locale=g.lang)["items"]
        return render_template("space.html", s=s, threads=threads, role=_my_role(s))

    @app.route("/threads/<tid>", methods=["GET", "POST"])
    def thread(tid: str) -> Any:
        """A thread's posts as the library lets the caller see them; replies, flags, and for a
        facilitator of the space, moderation (let a held post through, hide or remove one, with why)."""
        if request.method == "POST":
            if not g.member_id:
                return redirect(url_for("login", next=request.path))
            action, pid = request.form.get("action"), form("post")
            held = False
            if action == "flag":
                g.cds.post.flag(id=pid or "", member=g.member_id, reason=form("reason") or "", locale=g.lang)
            elif action == "moderate":
                params: dict[str, Any] = dict(id=pid or "", state=form("state") or "", locale=g.lang)
                if form("reason"):
                    params["reason"] = form("reason")
                g.cds.post.moderate(**params)
                if request.form.get("back") == "moderation":
                    return redirect(url_for("moderation"))
            else:
                written = g.cds.post.create(thread=tid, body=form("body") or "", author=g.member_id,
                                            locale=g.lang, **({"parent": pid} if pid else {}))
                held = written["state"] == "held"
            return redirect(url_for("thread", tid=tid, **({"held": 1} if held else {})))
        th = g.cds.thread.get(id=tid, locale=g.lang)
        s = g.cds.space.get(id=th["space"], locale=g.lang)
        role = _my_role(s)
        return render_template("thread.html", th=th, s=s, role=role, moderator=role == "facilitator" or is_staff(),
                               names=member_names([p["author"] for p in th["posts"]] + [th["author"]]),
                               held=request.args.get("held"))

    @app.get("/facilitator/moderation")
    @signed_in
    def moderation() -> str:
        """Held and flagged posts of the spaces the member facilitates (every space for the staff)."""
        queue = []
        for listed in g.cds.space.list(limit=200, locale=g.lang)["items"]:
            s = g.cds.space.get(id=listed["id"], locale=g.lang)
            if not (is_staff() or _my_role(s) == "facilitator"):
                continue
            for t_ in g.cds.thread.list(space=s["id"], limit=1000, locale=g.lang)["items"]:
                th = g.cds.thread.get(id=t_["id"], locale=g.lang)
                for p in th["posts"]:
                    if p["state"] == "held" or (p["state"] == "visible" and p.get("flags", 0) > 0):
                        queue.append(dict(space=s, thread=th, post=p))
        return render_template("moderation.html", queue=queue,
                               names=member_names([q["post"]["author"] for q in queue]))

    @app.get("/static-bytes")
    def health() -> Response:
        return Response("ok", mimetype="text/plain")

    return app


def warm(app: Flask) -> None:
    """Builds the library's indicator engine before the first visitor: its first build reads the
    whole log (about 1.3 s at 100,000 members), which the first request of each server process
    would otherwise pay. Each process of a multi-process server warms its own handle."""
    app.extensions["cds"].acting_as(None).indicators.compute(as_of=dt.date.today().isoformat())
