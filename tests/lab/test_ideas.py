"""Ideas: the list, the form with every IID field, the idea page, the version check."""

from __future__ import annotations

from .idea_helpers import enrol, make_idea, make_milestones, sign_in, text_of


def test_smoke(client, world):
    cohort = enrol(world.a, world.b)
    idea_id = make_idea(world.a, cohort.id, world.unit_ids["a"], acronym="Si Kepho",
                        problem="Masalah", root_causes="Akar")
    make_milestones(world.a, idea_id, 3, world.person_ids["a"])
    sign_in(client, world.users["bappeda_a"])
    r = client.get("/kab-probolinggo/ideas/")
    assert r.status_code == 200, r.get_data(as_text=True)
    assert "Si Kepho" in text_of(r)
    r = client.get(f"/kab-probolinggo/ideas/{idea_id}")
    assert r.status_code == 200, r.get_data(as_text=True)
    r = client.get(f"/kab-probolinggo/ideas/{idea_id}/edit")
    assert r.status_code == 200, r.get_data(as_text=True)
    r = client.get("/kab-probolinggo/ideas/new")
    assert r.status_code == 200, r.get_data(as_text=True)
