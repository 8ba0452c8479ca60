"""The portal as a WSGI application for any server (gunicorn, uWSGI…), from the environment:
PORTAL_DB (the library's database) and PORTAL_ACCOUNTS (default: DB's .portal-accounts.sqlite).

  PORTAL_DB=demo.sqlite gunicorn -w 2 -k gthread --threads 8 portal.wsgi:app
"""
import os

from .app import create_app, warm

_db = os.environ["PORTAL_DB"]
app = create_app(_db, os.environ.get("PORTAL_ACCOUNTS") or os.path.splitext(_db)[0] + ".portal-accounts.sqlite")
warm(app)           # in each worker (gunicorn imports this module once per worker unless --preload)
