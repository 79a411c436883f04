"""WSGI entry point (gunicorn ``tanjiliang.web.wsgi:application``).

A new worker loads Django, the apps and the URL configuration (the views and the API, which
Django would otherwise import on the first request) with the cyclic garbage collector paused,
then leaves what they made out of later collections (``gc.freeze``): loading makes some 10⁵
long-lived objects and no garbage, and the collections while it did were 0.1–0.15 s of a new
worker's first answer (issue 16: "a fresh process — the CLI, a new web worker — costs at most
about a second more than a warm one"). Requests are collected as usual.
"""

import gc
import os

_collecting = gc.isenabled()
gc.disable()
try:
    from django.core.wsgi import get_wsgi_application
    from django.urls import get_resolver

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tanjiliang.web.settings")
    application = get_wsgi_application()
    get_resolver().url_patterns  # noqa: B018  # the URL configuration imported now, not on the first request
finally:
    if _collecting:
        gc.freeze()
        gc.enable()
