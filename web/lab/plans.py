"""An idea's action plan (rencana aksi): adding, changing, ordering and removing its
milestones, and progress notes on them. The plan is shown on the idea page; a milestone is
changed on a page of its own. Who may change a plan: whoever may change the idea."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from tenants.cohorts.operations import tenant_today
from tenants.db import db
from tenants.lab.models import Idea, Milestone
from tenants.lab.operations import plans as operations
from tenants.lab.queries import ideas as queries
from web.access import roles_required
from web.forms import attempt
from web.lab.idea_forms import ActionForm, MilestoneEditForm, MilestoneForm, NoteForm, OrderForm
from web.lab.idea_pages import EDITORS, editable_or_404, idea_context, render_idea

bp = Blueprint("plans", __name__, url_prefix="/ideas/<int:idea_id>/plan")
bp.context_processor(idea_context)


def _owner_choices(form) -> None:
    people = queries.people(db.session)
    groups: dict = {None: [(None, "—")]}
    for person in people:
        groups.setdefault(person.unit.name, []).append((person.id, person.name))
    form.owner_id.choices = groups


def _milestone_or_404(idea: Idea, milestone_id: int) -> Milestone:
    milestone = queries.milestone(db.session, idea.id, milestone_id)
    if milestone is None:
        abort(404)
    return milestone


def _back(idea_id: int, milestone_id: int | None = None):
    anchor = f"milestone-{milestone_id}" if milestone_id else "plan"
    return redirect(url_for("lab.ideas.show", idea_id=idea_id, _anchor=anchor))


@bp.post("/milestones")
@roles_required(*EDITORS)
def add(idea_id: int):
    idea = editable_or_404(idea_id)
    form = MilestoneForm()
    _owner_choices(form)
    error = None
    if form.validate_on_submit():
        done, error = attempt(operations.add_milestone, idea, form=form,
                              title=form.title.data, owner_id=form.owner_id.data,
                              starts_on=form.starts_on.data, due_on=form.due_on.data)
        if done:
            flash(_("The milestone is added to the plan."), "success")
            return _back(idea_id)
    db.session.expire_all()
    return render_idea(db.session.get(Idea, idea_id), status=400, milestone_form=form,
                       milestone_error=error)


@bp.route("/milestones/<int:milestone_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(idea_id: int, milestone_id: int):
    post = request.method == "POST"
    idea = editable_or_404(idea_id)
    milestone = _milestone_or_404(idea, milestone_id)
    form = MilestoneEditForm(obj=None if post else milestone)
    _owner_choices(form)
    error = None
    if form.validate_on_submit():
        done, error = attempt(operations.update_milestone, idea, milestone, form=form,
                              title=form.title.data, owner_id=form.owner_id.data,
                              starts_on=form.starts_on.data, due_on=form.due_on.data,
                              status=form.status.data, done_on=form.done_on.data)
        if done:
            flash(_("The milestone is saved."), "success")
            return _back(idea_id, milestone_id)
        db.session.expire_all()
        idea = db.session.get(Idea, idea_id)
        milestone = db.session.get(Milestone, milestone_id)
    return render_template("lab/ideas/milestone.html", idea=idea, milestone=milestone,
                           form=form, error=error, action_form=ActionForm(formdata=None),
                           today=tenant_today(db.session)), 400 if post else 200


@bp.post("/milestones/<int:milestone_id>/delete")
@roles_required(*EDITORS)
def delete(idea_id: int, milestone_id: int):
    idea = editable_or_404(idea_id)
    milestone = _milestone_or_404(idea, milestone_id)
    title = milestone.title
    done, _error = attempt(operations.remove_milestone, idea, milestone)
    if done:
        flash(_("“%(title)s” is removed from the plan.", title=title), "success")
    return _back(idea_id)


@bp.post("/milestones/<int:milestone_id>/order")
@roles_required(*EDITORS)
def order(idea_id: int, milestone_id: int):
    idea = editable_or_404(idea_id)
    milestone = _milestone_or_404(idea, milestone_id)
    form = OrderForm()
    if not form.validate_on_submit() or form.offset.data not in (-1, 1):
        abort(400)
    attempt(operations.move_milestone, idea, milestone, form.offset.data)
    return _back(idea_id, milestone_id)


@bp.post("/milestones/<int:milestone_id>/notes")
@roles_required(*EDITORS)
def note(idea_id: int, milestone_id: int):
    idea = editable_or_404(idea_id)
    milestone = _milestone_or_404(idea, milestone_id)
    form = NoteForm()
    error = None
    if form.validate_on_submit():
        done, error = attempt(operations.add_note, idea, milestone, form=form,
                              status=form.status.data, note=form.note.data)
        if done:
            flash(_("The progress note is saved."), "success")
            return _back(idea_id, milestone_id)
    db.session.expire_all()
    return render_idea(db.session.get(Idea, idea_id), status=400, note_form=form,
                       note_for=milestone_id, note_error=error)
