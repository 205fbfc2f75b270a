"""Old addresses people bookmarked or printed on QR codes still open their page."""
from __future__ import annotations

import pytest

from tests.support import asgi
from web import redirects


@pytest.mark.parametrize("old, new", [("/welcome", "/"), ("/overview", "/dashboard"), ("/admin", "/accounts"),
                                      ("/desk", "/triage")])
def test_an_old_address_is_sent_to_the_page_with_its_query(old, new):
    status, _, headers = asgi.get(redirects.routes(), old, "lang=zh&id=3")
    assert status == 301 and headers["location"] == f"{new}?lang=zh&id=3"
