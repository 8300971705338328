"""Coaching comments: threads, mentions of people by name (resolved against who can see the
idea, stored as account ids, highlighted), comments on milestones, editing by the author."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tenants.accounts.models import Role
from tenants.lab.models import Comment, IdeaEvent
from tenants.lab.operations.coaching import mentions_in
from tenants.scope import tenant_session
from tenants.units.models import Unit

from .idea_helpers import enrol, in_lab, make_comment, make_idea, make_milestones, sign_in, text_of

LAB = "/kab-probolinggo/ideas"


def test_mentions_are_found_by_the_longest_name_after_an_at():
    people = [(1, "Siti"), (2, "Siti Nurhayati"), (3, "Teguh Prasetyo"), (4, "Dwi")]
    assert mentions_in("@Siti Nurhayati, tolong cek. @siti juga.", people) == [2, 1]
    assert mentions_in("cc @TEGUH PRASETYO dan @Teguh Prasetyo lagi", people) == [3]
    assert mentions_in("@Dwiyanto bukan Dwi; email dwi@contoh.id", people) == []
    assert mentions_in("@Dwi.", people) == [4]
    assert mentions_in("tanpa sebutan", people) == []


@pytest.fixture
def idea(world, make_user):
    cohort = enrol(world.a, world.b)
    with tenant_session(world.a.ref()) as s:
        other = Unit(name="Dinas Pendidikan", kind="opd")
        s.add(other)
        s.flush()
        other_id = other.id
        s.commit()
    make_user("budi@a.example", "Budi Santoso",
              memberships=[(world.a, Role.INNOVATOR, other_id)])
    return make_idea(world.a, cohort.id, world.unit_ids["a"])


def test_a_coach_comments_and_mentions_who_can_see_the_idea(client, world, idea):
    sign_in(client, world.users["coach_a"])
    body = ("@Siti Nurhayati dan @Dwi Hartono: jadwal monev 15 Oktober. "
            "@Budi Santoso dan @Wulan Sari tidak melihat gagasan ini. <script>x</script>")
    r = client.post(f"{LAB}/{idea}/comments/", data={"body": body})
    assert r.status_code == 302
    comment = in_lab(world.a, Comment, 1)
    assert comment.mentions == [world.users["innovator_a"].id, world.users["bappeda_a"].id]
    assert (comment.author_id, comment.author_name) == (world.users["coach_a"].id,
                                                       "Teguh Prasetyo")
    html = client.get(f"{LAB}/{idea}").get_data(as_text=True)
    assert '<mark class="mention">@Siti Nurhayati</mark>' in html
    assert '<mark class="mention">@Dwi Hartono</mark>' in html
    assert '<mark class="mention">@Budi' not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    # The innovator of the idea's unit sees it; the other unit's innovator does not.
    mine = client.application.test_client()
    sign_in(mine, world.users["innovator_a"])
    assert "jadwal monev 15 Oktober" in text_of(mine.get(f"{LAB}/{idea}"))


def test_replies_join_the_thread_and_a_milestone_comment_stays_on_it(client, world, idea):
    [m] = make_milestones(world.a, idea, 1, world.person_ids["a"])
    sign_in(client, world.users["innovator_a"])
    r = client.post(f"{LAB}/{idea}/comments/", data={"body": "Tahapan ini mundur seminggu.",
                                                     "milestone_id": str(m)})
    assert r.status_code == 302
    root = in_lab(world.a, Comment, 1)
    assert root.milestone_id == m
    reply = make_comment(world.a, idea, world.users["coach_a"].id, "Baik.", parent_id=root.id)
    r = client.post(f"{LAB}/{idea}/comments/", data={"body": "@Teguh Prasetyo terima kasih",
                                                     "parent_id": str(reply)})
    assert r.status_code == 302
    answer = in_lab(world.a, Comment, 3)
    assert (answer.parent_id, answer.milestone_id) == (root.id, m)
    html = client.get(f"{LAB}/{idea}").get_data(as_text=True)
    thread = html[html.index('id="comment-1"'):html.index('id="history"')]
    assert thread.index("Baik.") < thread.index("terima kasih")
    assert "pada tahapan kegiatan “Langkah 1”" in text_of(client.get(f"{LAB}/{idea}"))
    # A reply with nothing in it comes back with the thread open and the error.
    r = client.post(f"{LAB}/{idea}/comments/", data={"body": " ", "parent_id": str(root.id)})
    assert r.status_code == 400 and "Silakan tulis komentar Anda" in text_of(r)
    # A milestone of another idea is not a choice.
    other = make_idea(world.a, root.idea_id and 1, world.unit_ids["a"], title="Lain")
    [m2] = make_milestones(world.a, other, 1, None)
    r = client.post(f"{LAB}/{idea}/comments/", data={"body": "x", "milestone_id": str(m2)})
    assert r.status_code == 400


def test_the_author_changes_their_comment(client, world, idea):
    comment_id = make_comment(world.a, idea, world.users["coach_a"].id, "Versi pertama")
    other = client.application.test_client()
    sign_in(other, world.users["bappeda_a"])
    assert other.get(f"{LAB}/{idea}/comments/{comment_id}/edit").status_code == 403
    assert other.post(f"{LAB}/{idea}/comments/{comment_id}/edit",
                      data={"body": "Dibajak"}).status_code == 403
    sign_in(client, world.users["coach_a"])
    assert "Versi pertama" in text_of(client.get(f"{LAB}/{idea}/comments/{comment_id}/edit"))
    r = client.post(f"{LAB}/{idea}/comments/{comment_id}/edit",
                    data={"body": "Versi kedua untuk @Siti Nurhayati"})
    assert r.status_code == 302
    comment = in_lab(world.a, Comment, comment_id)
    assert comment.body == "Versi kedua untuk @Siti Nurhayati" and comment.edited_at
    assert comment.mentions == [world.users["innovator_a"].id]
    assert "diubah" in text_of(client.get(f"{LAB}/{idea}")).split("Versi kedua")[0][-80:]
    with tenant_session(world.a.ref()) as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(IdeaEvent).where(
            IdeaEvent.action == "comment_edited")) == 1


def test_a_lan_administrator_reads_the_comments_but_does_not_comment(client, world, idea):
    make_comment(world.a, idea, world.users["coach_a"].id, "Catatan pendamping")
    sign_in(client, world.users["lan_admin"])
    assert "Catatan pendamping" in text_of(client.get(f"{LAB}/{idea}"))
    assert client.post(f"{LAB}/{idea}/comments/", data={"body": "x"}).status_code == 403
