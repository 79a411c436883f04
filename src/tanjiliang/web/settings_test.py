"""Settings for the web tests (pytest-django): SQLite in memory unless
``TANJILIANG_TEST_DATABASE_URL`` names a PostgreSQL server, for which a throwaway database
is created and dropped per run."""

from __future__ import annotations

import os
import tempfile
import uuid

os.environ.setdefault("TANJILIANG_SECRET_KEY", "tests-only")
os.environ.setdefault("TANJILIANG_AS_OF", "2025-12-31")
os.environ.setdefault("TANJILIANG_DATA_DIR", tempfile.mkdtemp(prefix="tanjiliang-test-"))
_PG = os.environ.get("TANJILIANG_TEST_DATABASE_URL")
if _PG:
    os.environ["DATABASE_URL"] = _PG
else:
    os.environ.pop("DATABASE_URL", None)

from tanjiliang.web.settings import *  # noqa: E402,F403
from tanjiliang.web.settings import DATABASES  # noqa: E402

if _PG:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"]["TEST"] = {"NAME": f"tanjiliang_test_{uuid.uuid4().hex[:10]}"}
else:
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
