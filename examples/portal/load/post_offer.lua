-- wrk script: every request posts an offer with the session cookie and its CSRF token
-- (PORTAL_COOKIE and PORTAL_CSRF from the environment, set by run.py).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("PORTAL_COOKIE")
wrk.body = "csrf=" .. os.getenv("PORTAL_CSRF") ..
  "&kind=skill&description=Offre+du+test+de+charge&skills=2142&amount=3&remote=on&contact=on&languages=fr"
