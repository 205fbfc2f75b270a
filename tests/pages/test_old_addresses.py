"""Every old address web.redirects sends on leads to a page app.py registers."""
from __future__ import annotations

from tests.pages.conftest import open_app
from web import redirects


def test_every_old_address_leads_to_a_page_the_portal_has(sign_in_as):
    sign_in_as("admin")  # the admin's menu has every page
    at = open_app("zh")
    assert set(redirects.OLD_PATHS.values()) <= {info["url_pathname"] for info in at._registered_pages.values()}
