"""Indonesian and English: who gets which language, the switcher, and pages in one language."""

from __future__ import annotations

from dataclasses import replace

import pytest

from fixtures.app import sign_in
from fixtures.languages import assert_single_language, foreign_strings, visible_text
from tenants import registry
from tenants.accounts.models import User
from tenants.db import db
from tenants.registry import TenantStatus
from tenants.scope import tenant_session
from tenants.units.models import Unit
from web.i18n import LOCALE_COOKIE

# One string per language on each page, so a page that is not translated at all fails too.
SIGN_IN = {"id": "Masuk", "en": "Sign in"}
UNITS = {"Dinas Kesehatan": "opd", "Puskesmas Kraksaan": "puskesmas",
         "Kecamatan Paiton": "kecamatan", "SMP Negeri 1 Kraksaan": "sekolah",
         "Unit Pengelola Pasar": "other"}


def _choose(client, locale: str) -> None:
    client.set_cookie(LOCALE_COOKIE, locale)


def _get(client, url: str, **kwargs):
    # Requests share the test's Session; a tenant's scope must start on a fresh one.
    db.session.close()
    return client.get(url, **kwargs)


def _save_locale(user_id: int, locale: str | None) -> None:
    db.session.get(User, user_id).locale = locale
    db.session.commit()


def _html(response) -> str:
    return response.get_data(as_text=True)


def _lang(response) -> str:
    html = _html(response)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


# --- who gets which language -------------------------------------------------------------

@pytest.mark.parametrize(("header", "expected"), [
    (None, "id"), ("en-US,en;q=0.9", "en"), ("id-ID,id;q=0.9,en;q=0.5", "id"),
    ("fr-FR,fr;q=0.9", "id"), ("fr-FR,en;q=0.5", "en"),
])
def test_anonymous_visitor_gets_the_browser_language_else_indonesian(client, header, expected):
    headers = {"Accept-Language": header} if header else {}
    response = client.get("/auth/sign-in", headers=headers)
    assert _lang(response) == expected
    assert SIGN_IN[expected] in visible_text(_html(response), expected)


def test_pages_vary_by_language_for_caches(client):
    vary = client.get("/").headers["Vary"]
    assert "Accept-Language" in vary and "Cookie" in vary


def test_the_switcher_cookie_beats_the_browser(client):
    _choose(client, "en")
    assert _lang(client.get("/", headers={"Accept-Language": "id"})) == "en"
    _choose(client, "xx")  # a cookie that names no catalog is ignored
    assert _lang(client.get("/", headers={"Accept-Language": "id"})) == "id"


def test_deployment_default_applies_when_nothing_else_says(settings):
    from web import create_app

    english = create_app(replace(settings, default_locale="en"))
    english.config.update(TESTING=True)
    with english.test_client() as client:
        assert _lang(client.get("/auth/sign-in")) == "en"
        assert _lang(client.get("/auth/sign-in", headers={"Accept-Language": "id"})) == "id"
        assert _lang(client.get("/auth/sign-in", headers={"Accept-Language": "in-ID"})) == "id"


def test_tenant_default_beats_the_browser_and_an_account_choice_beats_both(
        client, make_tenant, make_user):
    tenant = make_tenant("35.13", default_locale="en")
    home = f"/{tenant.slug}/"
    user = make_user(memberships=[(tenant, "bappeda_admin")])
    user_id = user.id
    sign_in(client, user)
    assert _lang(_get(client, home, headers={"Accept-Language": "id"})) == "en"
    # Off the tenant's pages its default does not apply.
    assert _lang(_get(client, "/", headers={"Accept-Language": "id"})) == "id"
    _save_locale(user_id, "id")
    _choose(client, "en")  # the account's choice wins over a cookie left on the device
    assert _lang(_get(client, home, headers={"Accept-Language": "en"})) == "id"


def test_signed_in_without_a_choice_the_cookie_does_not_override_the_tenant(
        client, make_tenant, make_user):
    tenant = make_tenant("35.13", default_locale="id")
    home = f"/{tenant.slug}/"
    sign_in(client, make_user(memberships=[(tenant, "bappeda_admin")]))
    _choose(client, "en")
    assert _lang(_get(client, home)) == "id"


def test_a_choice_made_before_signing_in_is_saved_to_the_account(client, make_user):
    user = make_user()
    response = client.post("/locale", data={"locale": "en", "next": "/auth/sign-in"})
    assert response.headers["Location"] == "/auth/sign-in"
    sign_in(client, user)
    db.session.refresh(user)
    assert user.locale == "en"


def test_an_account_choice_is_not_replaced_at_sign_in(client, make_user):
    user = make_user(locale="id")
    _choose(client, "en")
    sign_in(client, user)
    db.session.refresh(user)
    assert user.locale == "id"


def test_suspended_page_uses_the_tenant_default_for_anonymous_visitors(client, make_tenant):
    tenant = make_tenant("35.13", default_locale="en")
    registry.transition(tenant, TenantStatus.SUSPENDED)
    db.session.commit()
    home = f"/{tenant.slug}/"
    response = _get(client, home, headers={"Accept-Language": "id"})
    assert response.status_code == 403
    assert _lang(response) == "en"
    _choose(client, "id")
    assert _lang(_get(client, home)) == "id"


# --- the switcher ------------------------------------------------------------------------

def test_switcher_keeps_the_person_on_the_same_page(client):
    response = client.post("/locale", data={"locale": "en", "next": "/auth/sign-in?next=%2Flan%2F"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/sign-in?next=%2Flan%2F"
    assert f"{LOCALE_COOKIE}=en" in response.headers["Set-Cookie"]
    assert _lang(client.get("/auth/sign-in?next=%2Flan%2F")) == "en"


@pytest.mark.parametrize("target", ["//evil.example/x", "/\\evil.example", "https://evil.example",
                                    "javascript:alert(1)", ""])
def test_switcher_never_sends_anyone_off_site(client, target):
    response = client.post("/locale", data={"locale": "en", "next": target})
    assert response.headers["Location"] == "/"


def test_switcher_ignores_an_unknown_language(client):
    response = client.post("/locale", data={"locale": "fr", "next": "/"})
    assert response.status_code == 302
    assert "Set-Cookie" not in response.headers


def test_switcher_saves_the_choice_to_the_account(client, make_user):
    user = make_user(locale="id")
    sign_in(client, user)
    client.post("/locale", data={"locale": "en", "next": "/"})
    db.session.refresh(user)
    assert user.locale == "en"


# --- every main page in one language -----------------------------------------------------

@pytest.fixture
def site(make_tenant, make_user):
    """A LAN admin, an active WITA tenant with units, a suspended one, an archived one."""
    lab = make_tenant("73.71")  # Kota Makassar: WITA
    suspended = make_tenant("35.13")
    archived = make_tenant("35.74")
    registry.transition(suspended, TenantStatus.SUSPENDED)
    registry.transition(archived, TenantStatus.ARCHIVED)
    db.session.commit()
    users = {
        "admin": make_user(name="Dewi Lestari", platform_role="lan_admin"),
        "bappeda": make_user(name="Budi Santoso", memberships=[(lab, "bappeda_admin")]),
        "other": make_user(name="Siti Aminah"),
    }
    site = {"lab": lab.slug, "suspended": f"/{suspended.slug}/",
            "archived": f"/{archived.slug}/",
            "emails": {k: u.email for k, u in users.items()},
            "ids": {k: u.id for k, u in users.items()},
            "names": [*UNITS, "Dewi Lestari", "Budi Santoso", "Siti Aminah"]}
    ref = lab.ref()
    db.session.close()
    with tenant_session(ref) as session:
        session.add_all(Unit(name=name, kind=kind) for name, kind in UNITS.items())
        session.commit()
    return site


def _pages(client, site, locale):
    """(name, response) for every main page, in `locale`; the people prefer `locale`."""
    for user_id in site["ids"].values():
        _save_locale(user_id, locale)
    _choose(client, locale)
    lab, emails = f"/{site['lab']}/", site["emails"]
    yield "public index", _get(client, "/")
    yield "sign-in", _get(client, "/auth/sign-in")
    yield "sign-in error", client.post("/auth/sign-in", data={
        "email": emails["admin"], "password": "wrong password"})
    yield "sign-in missing fields", client.post("/auth/sign-in", data={})
    yield "suspended lab", _get(client, site["suspended"])
    yield "archived lab", _get(client, site["archived"])
    yield "404", _get(client, "/no-such-page")
    yield "unknown tenant 404", _get(client, "/kab-nowhere/")
    sign_in(client, emails["admin"])
    yield "LAN dashboard", _get(client, "/lan/")
    yield "lab home (LAN admin)", _get(client, lab)
    client.post("/auth/sign-out")
    sign_in(client, emails["bappeda"])
    yield "lab home", _get(client, lab)
    yield "403", _get(client, "/lan/")
    client.post("/auth/sign-out")
    sign_in(client, emails["other"])
    yield "non-member 404", _get(client, lab)
    yield "signed out", client.post("/auth/sign-out", follow_redirects=True)


EXPECTED_STATUS = {"suspended lab": 403, "archived lab": 410, "404": 404,
                   "unknown tenant 404": 404, "403": 403, "non-member 404": 404}


@pytest.mark.parametrize("locale", ["id", "en"])
def test_main_pages_read_in_one_language(client, site, locale):
    seen = []
    for name, response in _pages(client, site, locale):
        assert response.status_code == EXPECTED_STATUS.get(name, 200), name
        html = _html(response)
        assert _lang(response) == locale, name
        assert 'action="/locale"' in html, f"{name}: no language switcher"
        assert_single_language(html, locale, ignore=site["names"])
        seen.append(name)
    assert len(seen) == 14


def test_pages_show_translated_text(client, site):
    """Spot checks that the Indonesian pages are translated, not merely free of English."""
    expected = {
        "public index": ("Daerah peserta", "Participating regions"),
        "sign-in": ("Kata sandi", "Password"),
        "sign-in error": ("Email atau kata sandi tidak sesuai.",
                          "The email or password is not right."),
        "suspended lab": ("sedang ditangguhkan", "is suspended"),
        "archived lab": ("telah diarsipkan", "has been archived"),
        "404": ("Halaman tidak ditemukan", "Page not found"),
        "LAN dashboard": ("Dasbor LAN", "LAN dashboard"),
        "lab home": ("Unit menurut jenis", "Units by type"),
        "403": ("Tidak diizinkan", "Not allowed"),
        "signed out": ("Anda telah keluar.", "You have signed out."),
    }
    for locale, index in (("id", 0), ("en", 1)):
        for name, response in _pages(client, site, locale):
            if name in expected:
                assert expected[name][index] in visible_text(_html(response), locale), (
                    locale, name)


def test_lab_home_shows_unit_kinds_and_terms_of_art_in_both_languages(client, site):
    for locale, school, other in (("id", "Sekolah", "Lainnya"), ("en", "School", "Other")):
        _save_locale(site["ids"]["bappeda"], locale)
        sign_in(client, site["emails"]["bappeda"])
        text = visible_text(_html(_get(client, f"/{site['lab']}/")), locale)
        for term in ("OPD", "Puskesmas", "Kecamatan"):
            assert term in text
        assert school in text and other in text
        client.post("/auth/sign-out")


# --- the checker itself ------------------------------------------------------------------

def test_the_single_language_check_finds_strings_of_the_other_language():
    page = ('<html lang="id"><body><h1>Masuk</h1><p>Page not found</p>'
            '<button lang="en" title="English">EN</button>'
            '<input placeholder="Password"></body></html>')
    found = [source for source, _where in foreign_strings(page, "id")]
    assert found == ["Page not found", "Password"]
    found = {s for s, _w in foreign_strings("Halaman tidak ditemukan, Selasa", "en")}
    assert {"Halaman tidak ditemukan", "Selasa"} <= found
    assert foreign_strings("Kabupaten Probolinggo: 3 OPD, 2 Puskesmas, monev", "en") == []
    with pytest.raises(AssertionError, match="Sign out"):
        assert_single_language("<p>Keluar</p><p>Sign out</p>", "id")
    assert_single_language("<p>Sekolah Dasar</p>", "en", ignore=["Sekolah Dasar"])


# --- emails ------------------------------------------------------------------------------

@pytest.mark.parametrize("locale", ["id", "en"])
def test_emails_read_in_one_language_with_local_times(ctx, locale):
    """Every mail template, composed in each language for a reader in WITA."""
    import datetime as dt

    from flask_babel import gettext, lazy_gettext

    from jobs.mail import compose
    from tenants.locale import localized
    from tenants.outbox import Mail

    expires = dt.datetime(2018, 4, 24, 8, 0, tzinfo=dt.UTC)
    with localized(locale):
        summary = gettext("%(person)s has invited you to the innovation lab of %(lab)s as "
                          "%(role)s for %(unit)s.", person="Budi Santoso", lab="Kota Makassar",
                          role=gettext("Innovator"), unit="Puskesmas Kassi-Kassi")
        who = gettext("the Bappeda administrator of %(lab)s", lab="Kota Makassar")
    mails = {
        "invitation": dict(subject=lazy_gettext("Your invitation to the innovation lab of "
                                                "%(lab)s", lab="Kota Makassar"),
                           name="Andi Pratiwi", summary=summary, has_password=False,
                           url="https://labinov.example/auth/invite/x", expires=expires,
                           who_to_ask=who),
        "password_reset": dict(subject=lazy_gettext("Reset your Labinov password"),
                               name="Andi Pratiwi", email="andi@makassar.example",
                               url="https://labinov.example/auth/reset/x", expires=expires),
    }
    local_time = {"id": "16.00 WITA", "en": "4:00\u202fPM WITA"}[locale]
    names = ["Andi Pratiwi", "Budi Santoso", "Puskesmas Kassi-Kassi"]
    for template, context in mails.items():
        subject = context.pop("subject")
        message = compose(Mail(to="andi@makassar.example", to_name="Andi Pratiwi",
                               template=f"accounts/{template}", subject=subject,
                               locale=locale, timezone="Asia/Makassar", context=context))
        text = message.get_body(preferencelist=("plain",)).get_content()
        html = message.get_body(preferencelist=("html",)).get_content()
        assert message["Content-Language"] == locale
        assert_single_language(message["Subject"], locale, ignore=names)
        assert_single_language(text, locale, ignore=names)
        assert_single_language(html, locale, ignore=names)
        assert local_time in text.replace("\n", " "), template
        assert {"id": "Yth. Andi Pratiwi,", "en": "Hello Andi Pratiwi,"}[locale] in text
