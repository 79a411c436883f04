"""The web application (issue 5): a Django project persisting the unit model, with
screens in Chinese (English on request), a REST API and role-based tenancy.

Nothing outside ``tanjiliang.web`` and ``tanjiliang.cli`` imports Django (TEAM.md).
"""

SETTINGS = "tanjiliang.web.settings"
