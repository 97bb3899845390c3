"""Reading settings through the settings page's form: saved for the reader, applied to every
page's root, and a value no form offers refused in one sentence with the settings unchanged."""

from __future__ import annotations

from newsdesk.model import ReadingSettings
from tests.web.conftest import LiveServer


def test_the_reading_form_saves_and_every_page_carries_the_settings(live: LiveServer, admin_client):
    form = {"csrf": admin_client.csrf, "text_size": "large", "width": "wide",
            "show_images": "no", "river_view": "articles"}  # fmt: skip
    answer = admin_client.post("/settings/reading", data=form)
    assert answer.status_code == 303 and answer.headers["location"] == "/settings?done=reading"
    admin = live.store.find_user("admin")
    assert live.store.reading_settings(admin.id) == ReadingSettings(
        river_view="articles", text_size="large", width="wide", show_images="no"
    )
    for path in ("/", "/stories", "/sources", "/settings?done=reading"):
        html = admin_client.get(path).text
        assert '<html lang="en" data-text="large" data-width="wide" data-images="no">' in html
    assert "Reading settings saved." in admin_client.get("/settings?done=reading").text


def test_a_value_no_form_offers_is_refused_in_one_sentence(live: LiveServer, admin_client):
    form = {"csrf": admin_client.csrf, "text_size": "huge", "width": "normal",
            "show_images": "yes", "river_view": "stories"}  # fmt: skip
    answer = admin_client.post("/settings/reading", data=form)
    assert answer.status_code == 400
    assert "Not saved: text_size must be one of small, normal, large, larger." in answer.text
    admin = live.store.find_user("admin")
    assert live.store.reading_settings(admin.id) == ReadingSettings()
