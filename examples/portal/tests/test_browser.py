"""The portal in a real browser: Debian's chromium driven by Selenium through chromedriver,
against the portal served by waitress on a fresh copy of the demo database. The tests run
in order and tell the year of SCENARIO.md; screenshots of the main pages go to
$PORTAL_SCREENSHOTS (default tests/screenshots)."""
from __future__ import annotations

import os
import pathlib
import re
import socket
import subprocess
import sys
import time

import pytest

from selenium import webdriver  # noqa: E402  (no skip: without selenium the step fails)
from selenium.common.exceptions import NoAlertPresentException, WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from conftest import PASSWORD, ROOT  # noqa: E402
from scenario import BUDGET, FUNDING, IDENTIFICATION, LOGFRAME, LYON_ENGINEER, LYON_OFFER, NEED, WATER_PROJECT  # noqa: E402

SHOTS = pathlib.Path(os.environ.get("PORTAL_SCREENSHOTS", pathlib.Path(__file__).parent / "screenshots"))
STATE: dict = {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(demo_template, tmp_path_factory):
    from conftest import copy_demo
    demo = copy_demo(demo_template, tmp_path_factory.mktemp("browser"))
    STATE["db"] = demo["db"]
    port = free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONPATH=os.pathsep.join([str(ROOT / "bindings" / "python"), str(ROOT / "examples")]))
    proc = subprocess.Popen([sys.executable, "-m", "portal", "serve", demo["db"], "--accounts",
                             demo["accounts"], "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=open(STATE.setdefault("log", str(demo["db"]) + ".log"), "w"),
                            stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError(open(STATE["log"]).read())
    yield f"http://localhost:{port}"          # localhost: the browser keeps Secure cookies on it
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1024,900", "--lang=fr", "--no-first-run", "--disable-extensions"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(20)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def fill(b, form_id: str, values: dict, submit: bool = True) -> None:
    form = b.find_element(By.ID, form_id)
    for name, value in values.items():
        field = form.find_element(By.NAME, name)
        kind = field.get_attribute("type")
        if kind == "hidden":
            continue
        if kind == "checkbox":
            if field.is_selected() != bool(value):
                field.click()
        elif field.tag_name == "select":
            field.find_element(By.CSS_SELECTOR, f'option[value="{value}"]').click()
        else:
            field.clear()
            field.send_keys(value)
    if submit:
        click(b, form.find_element(By.CSS_SELECTOR, 'button[type="submit"]'))


def click(b, element) -> None:
    """Clicks what submits or navigates, and waits for the next page."""
    page = b.find_element(By.TAG_NAME, "html")
    element.click()
    wait_for_next_page(b, page)


def wait_for_next_page(b, page) -> None:
    def gone(_) -> bool:
        try:
            page.is_enabled()
            return False
        except WebDriverException:           # stale, or "does not belong to the document": navigated
            return True
    WebDriverWait(b, 15).until(gone)
    WebDriverWait(b, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")


def sign_in(b, base: str, email: str, password: str = PASSWORD) -> None:
    b.delete_all_cookies()
    b.get(base + "/login")
    fill(b, "login", {"email": email, "password": password})
    assert "/login" not in b.current_url, b.find_element(By.TAG_NAME, "main").text


def dashboard_figures(b, base: str) -> dict:
    b.get(base + "/")
    figures = {el.get_attribute("data-stage"): int(el.get_attribute("data-count"))
               for el in b.find_elements(By.CSS_SELECTOR, "#funnel [data-stage]")}
    figures["acceptance"] = b.find_element(By.ID, "ind-match_acceptance_rate").text
    return figures


def test_the_adc_of_anzi_completes_what_the_checklist_lists_and_moves_the_water_project_to_ready(server, browser):
    b = browser
    STATE["before"] = dashboard_figures(b, server)
    sign_in(b, server, "adc_anzi@test.cds")
    b.get(server + "/adc")
    fill(b, "new-project", WATER_PROJECT)
    STATE["project"] = project = b.current_url.rsplit("/", 1)[1]
    click(b, b.find_element(By.CSS_SELECTOR, "#transition button"))          # → identification
    assert b.find_element(By.ID, "stage").get_attribute("data-stage") == "identification"
    fill(b, "identification", IDENTIFICATION)
    click(b, b.find_element(By.CSS_SELECTOR, "#transition button"))          # → formulation
    assert b.find_element(By.ID, "stage").get_attribute("data-stage") == "formulation"
    asked = {li.get_attribute("data-key") for li in b.find_elements(By.CSS_SELECTOR, "#checklist .missing li")}
    assert {"funding_plan.covers_budget", "logframe.goal", "endorsement.recorded"} <= asked
    for form_id, values in (("logframe", LOGFRAME), ("budget", BUDGET), ("funding", FUNDING)):
        fill(b, form_id, values)
    lead = b.find_element(By.XPATH, '//select[@id="lead_organization"]/option[contains(., "Anzi")]')
    fill(b, "planning", {"lead_organization": lead.get_attribute("value"), "start_on": "2026-09-01",
                         "end_on": "2027-06-30"})
    fill(b, "need-form", NEED)
    remaining = [li.get_attribute("data-key") for li in b.find_elements(By.CSS_SELECTOR, "#checklist .missing li")]
    assert remaining == ["endorsement.recorded"]
    endorse_url = b.find_element(By.ID, "endorse-link").get_attribute("href")
    b.save_screenshot(str(SHOTS / "adc-checklist.png"))
    # The president of the commune's council records its endorsement from the link the ADC sends.
    sign_in(b, server, "mayor_anzi@test.cds")
    b.get(endorse_url)
    fill(b, "endorse", {"on": "2026-05-20"})
    sign_in(b, server, "adc_anzi@test.cds")
    b.get(f"{server}/adc/projects/{project}")
    assert b.find_elements(By.ID, "nothing-missing")
    click(b, b.find_element(By.CSS_SELECTOR, "#transition button"))          # → ready
    assert b.find_element(By.ID, "stage").get_attribute("data-stage") == "ready"


def test_the_dashboard_counts_the_project_that_reached_ready(server, browser):
    after = dashboard_figures(browser, server)
    assert after.get("ready", 0) == STATE["before"].get("ready", 0) + 1
    assert after.get("formulation", 0) == STATE["before"].get("formulation", 0)
    STATE["before_accept"] = after


def test_a_member_signs_up_in_lyon_posts_an_offer_sees_the_water_need_with_its_reasons_and_accepts(server, browser):
    b = browser
    b.get(f"{server}/adc/projects/{STATE['project']}")
    click(b, b.find_element(By.CSS_SELECTOR, "#transition button"))          # → mobilization: needs published
    assert b.find_element(By.ID, "stage").get_attribute("data-stage") == "mobilization"
    b.delete_all_cookies()
    b.get(server + "/signup")
    fill(b, "signup", {k: v for k, v in LYON_ENGINEER.items()} | {
        "consent_processing": True, "consent_contact": True, "consent_publication": True})
    assert b.find_element(By.ID, "my-name").text == LYON_ENGINEER["name"]
    b.get(server + "/me/offers")
    fill(b, "offer-form", {k: (True if v == "on" else v) for k, v in LYON_OFFER.items()})
    assert "Conception hydraulique sur place" in b.find_element(By.CSS_SELECTOR, ".offer").text
    b.get(server + "/me/fit")
    card = b.find_element(By.XPATH, '//div[contains(@class,"fit")][contains(., "Conception hydraulique du réseau")]')
    reasons = [li.get_attribute("data-reason") for li in card.find_elements(By.CSS_SELECTOR, ".reasons li")]
    assert "origin_commune" in reasons and "same_skill" in reasons
    assert "Anzi" in card.text
    b.save_screenshot(str(SHOTS / "needs-that-fit-me.png"))
    engineer = b.get_cookie("cds_session")
    # The ADC reads the matcher's proposals for the need and proposes the engineer's offer.
    sign_in(b, server, "adc_anzi@test.cds")
    b.get(f"{server}/adc/projects/{STATE['project']}")
    click(b, b.find_element(By.CSS_SELECTOR, "#needs ul a"))
    click(b, b.find_element(By.XPATH, f'//div[contains(@class,"match")][contains(., "{LYON_ENGINEER["name"]}")]//button'))
    assert b.find_elements(By.CSS_SELECTOR, ".notice"), b.find_element(By.TAG_NAME, "main").text
    b.delete_all_cookies()
    b.get(server + "/")
    b.add_cookie({"name": "cds_session", "value": engineer["value"], "secure": True, "httpOnly": True})
    b.get(server + "/me/fit")
    click(b, b.find_element(By.CSS_SELECTOR, '.proposal[data-status="proposed"] button[name="accept"]'))
    assert b.find_element(By.ID, "accepted").is_displayed()
    after = dashboard_figures(b, server)
    assert after["acceptance"] != STATE["before_accept"]["acceptance"]


def test_an_arabic_page_renders_right_to_left_with_the_librarys_arabic_labels(server, browser):
    b = browser
    b.get(server + "/?lang=ar")
    assert b.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
    assert b.execute_script("return getComputedStyle(document.body).direction") == "rtl"
    import cds
    with cds.open(STATE["db"]) as lib:                                    # the library's own Arabic label
        label = next(i["label"] for i in lib.indicators.definitions(locale="ar")["indicators"]
                     if i["id"] == "migrants_mobilized")
    assert b.find_element(By.CSS_SELECTOR, "#ind-migrants_mobilized h2").text == label
    b.get(server + "/communes")                                           # the choice is remembered
    assert b.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ar"
    assert "أنزي" in b.page_source                                         # Anzi, by the library's territory names
    b.save_screenshot(str(SHOTS / "communes-ar.png"))
    b.get(server + "/?lang=fr")


MAIN_PAGES = ["/", "/communes", "/communes/09.581.03.03", "/search?commune=09.541", "/signup", "/login", "/learning"]


def test_the_main_pages_at_a_phones_360_by_740_do_not_scroll_sideways(server, browser):
    b = browser
    b.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                      {"width": 360, "height": 740, "deviceScaleFactor": 1, "mobile": True})
    try:
        pages = MAIN_PAGES + [f"/projects/{STATE['project']}"]
        for lang in ("fr", "ar"):
            for path in pages:
                b.get(server + path + ("&" if "?" in path else "?") + f"lang={lang}")
                width = b.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
                assert width[0] <= width[1], f"{path} ({lang}) scrolls sideways: {width}"
                small = b.execute_script("""return [...document.querySelectorAll('main a.button, button, input:not([type=hidden]), select')]
                    .filter(e => e.offsetParent && e.getBoundingClientRect().height < 40).map(e => e.outerHTML.slice(0, 80))""")
                assert not small, f"{path}: tap targets under 40 px {small}"
                name = "project" if "/projects/" in path else (re.sub(r"[^a-z0-9]+", "-", path.strip("/").split("?")[0]) or "home")
                b.save_screenshot(str(SHOTS / f"phone-{lang}-{name}.png"))
    finally:
        b.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_a_form_without_its_csrf_token_is_refused_in_the_browser(server, browser):
    b = browser
    sign_in(b, server, "brahim@test.cds")
    b.get(server + "/me/offers")
    b.execute_script("document.querySelector('#offer-form input[name=csrf]').remove()")
    fill(b, "offer-form", {"description": "Sans jeton", "amount": "3"})
    assert b.find_element(By.ID, "error-code").text == "csrf"
    b.get(server + "/me/offers")
    assert "Sans jeton" not in b.page_source


def test_a_script_tag_in_a_name_is_shown_as_text_and_never_runs(server, browser):
    b = browser
    b.delete_all_cookies()
    b.get(server + "/signup")
    fill(b, "signup", dict(LYON_ENGINEER, email="script@example.org", name="<script>alert('x')</script>",
                           consent_processing=True))
    with pytest.raises(NoAlertPresentException):
        b.switch_to.alert.text
    assert b.find_element(By.ID, "my-name").text == "<script>alert('x')</script>"


def test_an_impossible_date_answers_a_readable_error_in_the_pages_language(server, browser):
    b = browser
    sign_in(b, server, "brahim@test.cds")
    b.get(server + "/me/offers?lang=en")
    fill(b, "offer-form", {"description": "Février", "amount": "2", "from": "2026-02-30", "until": "2026-03-10"})
    assert "A value you entered is not valid" in b.find_element(By.ID, "error-message").text
    assert b.find_element(By.ID, "error-code").text == "invalid_params"
    b.get(server + "/me/offers?lang=fr")
    assert "Février" not in b.page_source


def test_sign_in_works_with_the_keyboard_alone(server, browser):
    b = browser
    b.delete_all_cookies()
    b.get(server + "/login")
    b.find_element(By.TAG_NAME, "body").click()
    active = b.switch_to.active_element
    for _ in range(40):                                    # Tab from the top until the e-mail field
        active.send_keys(Keys.TAB)
        active = b.switch_to.active_element
        if active.get_attribute("id") == "email":
            break
    assert active.get_attribute("id") == "email"
    active.send_keys("naima@test.cds", Keys.TAB)
    page = b.find_element(By.TAG_NAME, "html")
    b.switch_to.active_element.send_keys(PASSWORD, Keys.ENTER)
    wait_for_next_page(b, page)
    assert b.current_url.endswith("/me")


def test_every_main_page_can_be_walked_with_the_tab_key_and_shows_where_the_focus_is(server, browser):
    b = browser
    sign_in(b, server, "adc_anzi@test.cds")
    for path in MAIN_PAGES[:4] + ["/me", "/me/offers", f"/adc/projects/{STATE['project']}"]:
        b.get(server + path)
        focusable = b.execute_script("""return [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')]
            .filter(e => e.offsetParent !== null && !e.disabled).length""")
        b.execute_script("document.activeElement && document.activeElement.blur()")
        ActionChains(b).send_keys(Keys.TAB).perform()
        seen = set()
        for _ in range(focusable + 2):
            el = b.switch_to.active_element
            key = b.execute_script("const e = arguments[0]; return e.outerHTML.slice(0, 120) + [...e.parentNode.children].indexOf(e)", el)
            if el.tag_name != "body":
                seen.add(key)
                outline = b.execute_script("return getComputedStyle(arguments[0]).outlineStyle", el)
                assert outline != "none", f"{path}: no visible focus on {key}"
            ActionChains(b).send_keys(Keys.TAB).perform()      # to the focused element, never a click
        assert len(seen) >= focusable - 1, f"{path}: the Tab key reached {len(seen)} of {focusable}"


def test_the_servers_log_holds_the_librarys_error_code_of_each_refusal(server, browser):
    log = open(STATE["log"]).read()
    assert "library error invalid_params on POST /me/offers" in log         # the impossible date
    assert "CSRF" in log
