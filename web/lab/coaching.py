"""Coaching comments on an idea and its milestones: threads of a comment and its replies,
with mentions of people by name. LAN coaches assigned to the lab, its Bappeda
administrators and the innovators of the idea's unit comment; LAN administrators read.
Authors may change their own comments."""

from __future__ import annotations

import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tenants.db import db
from tenants.lab.models import Idea
from tenants.lab.operations import coaching as operations
from tenants.lab.queries import ideas as queries
from web.access import roles_required
from web.forms import attempt
from web.lab.idea_forms import CommentEditForm, CommentForm, optional_int
from web.lab.idea_pages import COMMENTERS, idea_context, idea_or_404, render_idea

bp = Blueprint("coaching", __name__, url_prefix="/ideas/<int:idea_id>/comments")
bp.context_processor(idea_context)


@bp.post("/")
@roles_required(*COMMENTERS)
def add(idea_id: int):
    idea = idea_or_404(idea_id, lock=True)
    form = CommentForm()
    parent_id = optional_int(form.parent_id.data)
    error = None
    if form.validate_on_submit():
        done, error = attempt(operations.add, idea, form=form, body=form.body.data,
                              parent_id=parent_id if parent_id and parent_id > 0 else None,
                              milestone_id=form.milestone_id.data)
        if done:
            flash(_("Your comment is posted."), "success")
            return redirect(url_for("lab.ideas.show", idea_id=idea_id, _anchor="comments"))
    db.session.expire_all()
    if parent_id:
        return render_idea(db.session.get(Idea, idea_id), status=400, reply_form=form,
                           reply_for=parent_id, reply_error=error)
    return render_idea(db.session.get(Idea, idea_id), status=400, comment_form=form,
                       comment_error=error)


@bp.route("/<int:comment_id>/edit", methods=["GET", "POST"])
@roles_required(*COMMENTERS)
def edit(idea_id: int, comment_id: int):
    post = request.method == "POST"
    idea = idea_or_404(idea_id, lock=post)
    comment = queries.comment(db.session, idea.id, comment_id)
    if comment is None:
        abort(404)
    if comment.author_id != current_user.id:
        abort(403)
    form = CommentEditForm(obj=None if post else comment)
    error = None
    if form.validate_on_submit():
        done, error = attempt(operations.edit, idea, comment, form=form, body=form.body.data)
        if done:
            flash(_("Your comment is saved."), "success")
            return redirect(url_for("lab.ideas.show", idea_id=idea_id,
                                    _anchor=f"comment-{comment_id}"))
    names = json.dumps([name for _id, name in queries.readers(db.session, idea)],
                       ensure_ascii=False)
    return render_template("lab/ideas/comment.html", idea=idea, comment=comment, form=form,
                           error=error, mention_names=names), 400 if post else 200
