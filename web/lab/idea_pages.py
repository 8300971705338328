"""What every page of an idea shares: who sees and changes which idea, the idea page itself
(rendered again, with what was typed, when one of its forms is refused), and the names and
sentences its templates show."""

from __future__ import annotations

import json
import re

from flask import abort, current_app, g, render_template
from flask_babel import gettext as _
from markupsafe import Markup, escape

from tenants.accounts.models import Role
from tenants.accounts.queries import names_of
from tenants.cohorts.models import STAGES, Cohort, Stage
from tenants.cohorts.operations import tenant_today
from tenants.config import settings_of
from tenants.db import db
from tenants.lab import gates, labels, profile
from tenants.lab.models import Idea, Milestone
from tenants.lab.operations import ideas as operations
from tenants.lab.queries import ideas as queries
from tenants.labels import STAGE
from web.access import innovator_unit_ids, may_change_unit
from web.audit.labels import file_size
from web.lab.idea_forms import (
    ActionForm,
    CommentForm,
    IdeaForm,
    MilestoneForm,
    MoveForm,
    UploadForm,
)

EDITORS = (Role.BAPPEDA_ADMIN, Role.INNOVATOR)
COMMENTERS = (Role.BAPPEDA_ADMIN, Role.INNOVATOR, Role.COACH)
SEE_EVERY_UNIT = frozenset({Role.BAPPEDA_ADMIN, Role.LAN_ADMIN, Role.COACH})


# --- who sees what -------------------------------------------------------------------------

def seen_units() -> frozenset[int] | None:
    """The units whose ideas the signed-in person may see: None for all of them."""
    if g.tenant_roles & SEE_EVERY_UNIT:
        return None
    return innovator_unit_ids() or frozenset()


def idea_or_404(idea_id: int, *, lock: bool = False) -> Idea:
    idea = queries.idea(db.session, idea_id, units=seen_units(), lock=lock)
    if idea is None:
        abort(404)
    return idea


def may_edit(idea: Idea) -> bool:
    return bool(g.tenant_roles & set(EDITORS)) and may_change_unit(idea.unit_id)


def editable_or_404(idea_id: int) -> Idea:
    """An idea the person may change (locked for this transaction); 404 if it is not theirs."""
    idea = idea_or_404(idea_id, lock=True)
    if not may_edit(idea):
        abort(404)
    return idea


def may_comment() -> bool:
    return bool(g.tenant_roles & set(COMMENTERS))


def grouped(rows, key, label) -> dict:
    """Select choices in optgroups (`key` of each row), after an empty choice."""
    groups: dict = {None: [(None, "—")]}
    for row in rows:
        groups.setdefault(str(key(row)), []).append((row.id, label(row)))
    return groups


# --- the idea page ---------------------------------------------------------------------------

def steps_of(idea: Idea) -> list[tuple[Stage, str]]:
    where = Stage(idea.stage).index
    return [(s, "done" if i < where else "current" if i == where else "todo")
            for i, s in enumerate(STAGES)]


def render_idea(idea: Idea, *, status: int = 200, **forms):
    """The idea page, with any of its forms carrying what was typed and its errors."""
    today = tenant_today(db.session)
    plan = queries.milestones(db.session, idea.id)
    stage = Stage(idea.stage)
    upcoming = stage.next
    requirements = gates.requirements(idea, upcoming, plan) if upcoming else []
    threads = queries.threads(db.session, idea.id)
    events = queries.history(db.session, idea.id)
    readers = queries.readers(db.session, idea)
    ids = {e.actor_id for e in events} | {a.uploaded_by_id for a in idea.attachments}
    ids |= {n.author_id for m in plan for n in m.notes}
    names = names_of(ids)
    people = queries.people(db.session) if may_edit(idea) else []
    milestone_form = forms.pop("milestone_form", None) or MilestoneForm(formdata=None)
    milestone_form.owner_id.choices = grouped(
        people, lambda p: p.unit.name, lambda p: p.name)
    comment_form = forms.pop("comment_form", None) or CommentForm(formdata=None)
    comment_form.milestone_id.choices = [(None, _("The idea as a whole"))] + [
        (m.id, _("Milestone %(n)s: %(title)s", n=i, title=m.title))
        for i, m in enumerate(plan, start=1)]
    cohort = db.session.get(Cohort, idea.cohort_id)
    return render_template(
        "lab/ideas/show.html", idea=idea, cohort=cohort, steps=steps_of(idea), stage=stage,
        upcoming=upcoming, requirements=requirements, missing=[r for r in requirements
                                                                if not r.met],
        plan=plan, today=today, late=[m for m in plan if m.is_late(today)],
        threads=threads, events=events, names=names, readers=readers,
        comment_count=sum(1 + len(t.replies) for t in threads),
        mention_names=json.dumps([name for _id, name in readers], ensure_ascii=False),
        reader_names={i: n for i, n in readers},
        may_edit=may_edit(idea), may_comment=may_comment(),
        may_override=Role.BAPPEDA_ADMIN in g.tenant_roles,
        move_form=forms.pop("move_form", None) or MoveForm(formdata=None),
        upload_form=forms.pop("upload_form", None) or UploadForm(formdata=None),
        milestone_form=milestone_form, comment_form=comment_form,
        action_form=ActionForm(formdata=None), design_words=profile.word_count(idea.design),
        design_min=profile.DESIGN_MIN_WORDS, min_milestones=gates.MIN_MILESTONES,
        upload_max_bytes=settings_of(current_app).upload_max_bytes,
        statuses=(Milestone.PLANNED, Milestone.IN_PROGRESS, Milestone.DONE), **forms), status


# --- what the pages show ---------------------------------------------------------------------

def _field_labels() -> dict[str, str]:
    form = IdeaForm(meta={"csrf": False}, formdata=None)
    return {name: str(form[name].label.text) for name in (*operations.FIELDS, "innovator_ids")
            } | {"innovators": str(form.innovator_ids.label.text)}


def event_sentence(event) -> str:
    """What one step of an idea's history did, as a sentence in the reader's language."""
    d = event.detail or {}
    a = event.action
    stages = {"from": STAGE.get(event.from_stage, event.from_stage),
              "to": STAGE.get(event.to_stage, event.to_stage)}
    status = labels.MILESTONE_STATUS
    if a == "created":
        return _("created the idea in %(to)s", **stages)
    if a == "edited":
        names = _field_labels()
        return _("changed %(fields)s", fields=", ".join(
            names.get(f, f) for f in d.get("fields", [])))
    if a == "moved":
        return _("moved the idea from %(from)s to %(to)s", **stages)
    if a == "moved_back":
        return _("moved the idea back from %(from)s to %(to)s", **stages)
    if a == "moved_overridden":
        return _("moved the idea from %(from)s to %(to)s although its gate was not met",
                 **stages)
    title = d.get("milestone", "")
    if a == "milestone_added":
        return _("added the milestone “%(title)s”", title=title)
    if a == "milestone_changed":
        if "status" in d:
            before, after = d["status"]
            return _("changed the milestone “%(title)s” (%(before)s → %(after)s)",
                     title=title, before=status.get(before, before),
                     after=status.get(after, after))
        return _("changed the milestone “%(title)s”", title=title)
    if a == "milestone_removed":
        return _("removed the milestone “%(title)s”", title=title)
    if a == "milestone_moved":
        return _("moved the milestone “%(title)s” to place %(n)s", title=title,
                 n=d.get("position", "?"))
    if a == "note_added":
        if "status" in d:
            before, after = d["status"]
            return _("wrote a progress note on “%(title)s” (%(before)s → %(after)s)",
                     title=title, before=status.get(before, before),
                     after=status.get(after, after))
        return _("wrote a progress note on “%(title)s”", title=title)
    if a == "file_added":
        return _("attached %(file)s (%(kind)s)", file=d.get("file", ""),
                 kind=labels.ATTACHMENT_KIND.get(d.get("kind"), d.get("kind")))
    if a == "file_removed":
        return _("removed the file %(file)s", file=d.get("file", ""))
    if a == "commented":
        return _("commented")
    if a == "replied":
        return _("replied to a comment")
    if a == "comment_edited":
        return _("changed a comment")
    return a


def mentions_html(comment, names: dict[int, str]) -> Markup:
    """A comment's text, escaped, with the people it mentions highlighted."""
    text = str(escape(comment.body))
    mentioned = sorted({names[i] for i in comment.mentions or () if i in names},
                       key=len, reverse=True)
    if mentioned:
        pattern = re.compile("@(" + "|".join(re.escape(str(escape(n))) for n in mentioned)
                             + r")(?![\w])", re.IGNORECASE)
        text = pattern.sub(lambda m: f'<mark class="mention">{m.group(0)}</mark>', text)
    return Markup(text)


def idea_context() -> dict:
    return {"stage_label": lambda s: STAGE.get(s, s), "event_sentence": event_sentence,
            "attachment_kind_label": lambda k: labels.ATTACHMENT_KIND.get(k, k),
            "milestone_status_label": lambda s: labels.MILESTONE_STATUS.get(s, s),
            "iid": {"inisiator": labels.INISIATOR, "jenis": labels.JENIS,
                    "bentuk": labels.BENTUK, "tematik": labels.TEMATIK,
                    "tahapan": labels.TAHAPAN, "urusan": labels.URUSAN},
            "file_size": file_size, "mentions_html": mentions_html}


