"""The OpenAPI schema through schemathesis, against a live server holding the demo data,
signed in as the office and as a district's reporter: no answer is a 500.

Valid and invalid (negative) examples of every operation; bounded (a fixed number of examples
per operation, derandomised) so that it runs in a minute or two and always the same way.
"""

import pytest
import requests

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

EXAMPLES = 15


def _session(username: str) -> requests.Session:
    """A signed-in session (cookie) with a CSRF token, as a browser has for the writing API."""
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    from ducha.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    token = _get_new_csrf_string()
    session = requests.Session()
    session.cookies.set(
        settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    session.cookies.set(settings.CSRF_COOKIE_NAME, token)
    session.headers["X-CSRFToken"] = token
    return session


def _fuzz(schema, operation, mode, base_url, session, failures, statuses):
    from hypothesis import HealthCheck, Phase, given, settings

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(base_url=base_url, session=session, timeout=60)
        statuses.append(response.status_code)
        if response.status_code >= 500:
            failures.append(
                (case.method, case.formatted_path, case.query, case.body, response.status_code)
            )

    run()


def test_no_api_operation_answers_500(_demo_for_module, live_server):
    import schemathesis
    from schemathesis import GenerationMode

    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/openapi.json", timeout=60)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    failures = []
    for username in ("office", "heping"):
        statuses = []
        # closed before the live server stops: a kept-alive connection would outlive it
        with _session(username) as session:
            for operation in operations:
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                    _fuzz(schema, operation, mode, live_server.url, session, failures, statuses)
        # the examples reached the endpoints signed in: many answers, some of them data
        assert len(statuses) > 100 and statuses.count(200) > 10, (username, statuses)
    assert not failures, failures[:20]
