"""Who sees and changes which idea: an innovator of one unit against another unit's idea,
plan, files and comments (404, GET and POST); every id of lab B in lab A's URLs and B's
URLs (404, nothing of B in the body); readers who do not change."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tenants.lab.models import Attachment, Comment, Idea, IdeaEvent, Milestone
from tenants.scope import tenant_session
from tenants.units.models import Unit

from .idea_helpers import enrol, make_comment, make_idea, make_milestones, sign_in, text_of

B_MARK = "Rahasia Tuban"


def _children(tenant, idea_id, author_id, n=1) -> dict:
    ids = {"idea": idea_id}
    ids["milestone"] = make_milestones(tenant, idea_id, n, None)[-1]
    with tenant_session(tenant.ref()) as s:
        for i in range(n):
            a = Attachment(idea_id=idea_id, kind="evidence", key=f"t{tenant.id}/ideas/{i}.pdf",
                           filename=f"{B_MARK} {i}.pdf", content_type="application/pdf",
                           size=10)
            s.add(a)
            s.flush()
            ids["attachment"] = a.id
        s.commit()
    for _ in range(n):
        ids["comment"] = make_comment(tenant, idea_id, author_id, f"{B_MARK} komentar")
    return ids


@pytest.fixture
def labs(world):
    cohort = enrol(world.a, world.b)
    with tenant_session(world.a.ref()) as s:
        other = Unit(name="Dinas Perikanan", kind="opd")
        s.add(other)
        s.flush()
        other_id = other.id
        s.commit()
    mine = make_idea(world.a, cohort.id, world.unit_ids["a"], title="Ide unit sendiri")
    theirs = make_idea(world.a, cohort.id, other_id, title="Kencan Untukmu",
                       problem="P", root_causes="R")
    # The comment on the other unit's idea is the innovator's own: only the unit stops them.
    a = {"mine": _children(world.a, mine, world.users["innovator_a"].id),
         "theirs": _children(world.a, theirs, world.users["innovator_a"].id)}
    b_ideas = [make_idea(world.b, cohort.id, world.unit_ids["b"], title=f"{B_MARK} {i}",
                         problem=B_MARK, root_causes=B_MARK) for i in range(4)]
    b = _children(world.b, b_ideas[-1], world.users["innovator_b"].id, n=4)
    return a, b


def routes(ids: dict, parent: int | None = None) -> list[tuple[str, str]]:
    i = parent or ids["idea"]
    m, f, c = ids["milestone"], ids["attachment"], ids["comment"]
    return [
        ("GET", f"/ideas/{i}"), ("GET", f"/ideas/{i}/edit"), ("POST", f"/ideas/{i}/edit"),
        ("POST", f"/ideas/{i}/move"), ("POST", f"/ideas/{i}/files/"),
        ("GET", f"/ideas/{i}/files/{f}"), ("POST", f"/ideas/{i}/files/{f}/delete"),
        ("POST", f"/ideas/{i}/plan/milestones"),
        ("GET", f"/ideas/{i}/plan/milestones/{m}"), ("POST", f"/ideas/{i}/plan/milestones/{m}"),
        ("POST", f"/ideas/{i}/plan/milestones/{m}/delete"),
        ("POST", f"/ideas/{i}/plan/milestones/{m}/order"),
        ("POST", f"/ideas/{i}/plan/milestones/{m}/notes"),
        ("POST", f"/ideas/{i}/comments/"), ("GET", f"/ideas/{i}/comments/{c}/edit"),
        ("POST", f"/ideas/{i}/comments/{c}/edit"),
    ]


FORM = {"title": "Diganti", "unit_id": "1", "version": "1", "direction": "forward",
        "reason": "paksa", "body": "Masuk", "note": "Catatan", "status": "done",
        "offset": "1", "kind": "evidence"}


def snapshot(tenant) -> tuple:
    with tenant_session(tenant.ref()) as s:
        counts = [s.scalar(sa.select(sa.func.count()).select_from(model))
                  for model in (Idea, Milestone, Attachment, Comment, IdeaEvent)]
        ideas = s.execute(sa.select(Idea.id, Idea.title, Idea.stage, Idea.version)
                          .order_by(Idea.id)).all()
        return (*counts, tuple(ideas))


def test_an_innovator_gets_404_for_another_units_idea_plan_files_and_comments(client, world,
                                                                              labs):
    a, _b = labs
    sign_in(client, world.users["innovator_a"])
    before = snapshot(world.a)
    wrong = []
    for method, path in routes(a["theirs"]):
        r = client.open(f"/kab-probolinggo{path}", method=method, data=FORM)
        if r.status_code != 404 or "Kencan Untukmu" in r.get_data(as_text=True):
            wrong.append(f"{method} {path}: {r.status_code}")
    assert not wrong, wrong
    assert snapshot(world.a) == before
    # The control: their own unit's idea answers.
    assert client.get(f"/kab-probolinggo/ideas/{a['mine']['idea']}").status_code == 200
    assert "Kencan Untukmu" not in text_of(client.get("/kab-probolinggo/ideas/"))


def test_a_row_of_another_idea_is_not_found_under_this_ones_url(client, world, labs):
    a, _b = labs
    sign_in(client, world.users["bappeda_a"])
    before = snapshot(world.a)
    for method, path in routes(a["theirs"], parent=a["mine"]["idea"]):
        if path.count("/") < 4 or path.endswith(("/files/", "/comments/", "/milestones")):
            continue  # the idea's own routes: not about another idea's rows
        r = client.open(f"/kab-probolinggo{path}", method=method, data=FORM)
        assert r.status_code == 404, (method, path, r.status_code)
    assert snapshot(world.a) == before


@pytest.mark.parametrize("member", ["bappeda_a", "innovator_a", "coach_a"])
def test_lab_b_answers_lab_a_with_404_and_nothing_of_b(client, world, labs, member):
    _a, b = labs
    sign_in(client, world.users[member])
    before = snapshot(world.b)
    before_a = snapshot(world.a)
    leaks = []
    attempts = [(f"/kab-tuban{p}", m) for m, p in routes(b)]
    attempts += [(f"/kab-tuban{p}", "GET") for p in ("/ideas/", "/ideas/new")]
    if member == "bappeda_a":  # B's ids in A's own URLs
        attempts += [(f"/kab-probolinggo{p}", m) for m, p in routes(b)]
    for path, method in attempts:
        r = client.open(path, method=method, data=FORM)
        if r.status_code != 404 or B_MARK in r.get_data(as_text=True):
            leaks.append(f"{method} {path}: {r.status_code}")
    assert not leaks, leaks
    assert snapshot(world.b) == before and snapshot(world.a) == before_a


def test_coaches_and_lan_administrators_read_but_do_not_change(client, world, labs):
    a, _b = labs
    idea = a["mine"]["idea"]
    for role, comments in (("coach_a", True), ("lan_admin", False)):
        c = client.application.test_client()
        sign_in(c, world.users[role])
        page = c.get(f"/kab-probolinggo/ideas/{idea}")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "/edit" not in html.split('id="comments"')[0]  # no edit link for the idea
        assert f'action="/kab-probolinggo/ideas/{idea}/move"' not in html
        assert c.get(f"/kab-probolinggo/ideas/{idea}/edit").status_code == 403
        assert c.post(f"/kab-probolinggo/ideas/{idea}/move", data=FORM).status_code == 403
        r = c.post(f"/kab-probolinggo/ideas/{idea}/comments/", data={"body": "Catatan LAN"})
        assert r.status_code == (302 if comments else 403)
        assert ("comment-form" in html) is comments
