"""Every page of the permission matrix, with hostile values in its query parameters: no 500.

The pages and the objects they show are the matrix's (``test_permission_matrix.PAGES`` and its
``world``), so a new page is fuzzed as soon as it is in the matrix, which every URL must be.
The parameters of a page are those its view's module reads (``request.GET.get("…")``,
``get_id(request, "…")`` and friends, found in the source) plus its register's filters; each
gets every hostile value below, once all together, and alone a number too large for any column
(what broke pages before).
Bounded: about two thousand requests, a minute or two.
"""

import inspect
import re
import sys
from urllib.parse import urlencode

import pytest
from django.urls import resolve, reverse

from ducha.core.tests.test_permission_matrix import PAGES, _client, world  # noqa: F401

pytestmark = pytest.mark.django_db

HOSTILE = [
    "99999999999999999999",
    "-99999999999999999999",
    "1e308",
    "１２３\u202e<script>alert(1)</script>",
    "\x00",
    "x" * 3000,
    "0001-01-01",
    "99999-02-30",
]
ALONE = ["99999999999999999999"]
PARAM = re.compile(
    r"""(?:GET(?:\.get|\.getlist|\.lists|)\s*[(\[]|get_id\(\s*request\s*,)\s*["'](\w+)["']"""
)
ALWAYS = ("page", "q", "format")


def page_params(view, kwargs=None) -> list[str]:
    """The query parameters a view's module reads, and the register filters: a register's
    page its own register's, the registers' other pages all of them."""
    func = getattr(view, "view_class", None) or view
    while hasattr(func, "__wrapped__"):
        func = func.__wrapped__
    module = sys.modules[func.__module__]
    names = set(PARAM.findall(inspect.getsource(module))) | set(ALWAYS)
    if module.__name__.startswith(("ducha.registers", "ducha.incentives")):
        from ducha.registers import base

        key = (kwargs or {}).get("key")
        registers = [base.CATALOGUE[key]] if key in base.CATALOGUE else base.CATALOGUE.values()
        for register in registers:
            names |= {f.param for f in register.filters}
    if module.__name__.startswith("ducha.api") or "ninja" in module.__name__:
        names |= {"offset", "limit", "round", "unit", "status", "indicator", "plan", "as_of"}
    return sorted(names)


def _requests(world, alone=True):  # noqa: F811
    for page in PAGES:
        name, args, _expected, *query = page
        url = reverse(name, args=args(world))
        base = query[0](world) if query else {}
        match = resolve(url)
        params = page_params(match.func, match.kwargs)
        for value in HOSTILE:
            yield url, {**base, **dict.fromkeys(params, value)}
        for param in params if alone else ():
            for value in ALONE:
                yield url, {**base, param: value}


@pytest.mark.parametrize("role", ["office", "heping"])
def test_no_page_answers_500_to_hostile_query_parameters(world, role):  # noqa: F811
    client = _client(world, role)
    failures = []
    count = 0
    # the office reaches every page: each parameter alone too; a district the pages it sees
    for url, params in _requests(world, alone=role == "office"):
        count += 1
        try:
            response = client.get(url, params)
        except Exception as error:  # the test client re-raises what a view raised
            failures.append((url, params, repr(error)[:200]))
            continue
        if response.status_code >= 500:
            failures.append((url, params, response.status_code))
    assert count > 300
    shown = [(u, urlencode(p)[:150], e) for u, p, e in failures[:40]]
    assert not failures, f"{len(failures)} of {count} requests failed: {shown}"
