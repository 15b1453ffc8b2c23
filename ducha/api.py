"""The one JSON API of the platform (django-ninja), served under /api/.

Each app contributes a Router from its own api.py; add one `api.add_router` line per app.
The OpenAPI schema is at /api/openapi.json and the docs at /api/docs, both served locally
(django-ninja's bundled Swagger UI, no CDN).
"""

from django.db import IntegrityError
from ninja import NinjaAPI

from ducha.core.integrity import api_conflict

api = NinjaAPI(title="ducha API", version="1", urls_namespace="api")
api.add_exception_handler(IntegrityError, api_conflict)  # a race on a unique field: 409
api.add_router("/plans", "ducha.plans.api.router")
api.add_router("/plans", "ducha.alignment.api.router")  # /plans/{code}/coverage
api.add_router("/assessments", "ducha.assessments.api.router")
api.add_router("/values", "ducha.datavalues.api.router")
api.add_router("/reporting/", "ducha.reporting.api.router")
