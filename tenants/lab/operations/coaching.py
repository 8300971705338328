"""Coaching: comments on an idea or on one of its milestones, in threads (a comment and the
replies to it), mentioning people by name ("@Siti Nurhayati").

Who may comment is the caller's check (LAN coaches assigned to the lab and the lab's
members who may see the idea). A mention is resolved against the people who can see the
idea, and kept as their account ids; the text stays as it was typed.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from tenants.accounts.models import User
from tenants.audit.operations import record_lab
from tenants.db import utcnow
from tenants.lab.models import Comment, Idea, IdeaEvent, Milestone
from tenants.lab.queries.ideas import readers
from tenants.refusal import Refused

BODY_MAX = 5000


def mentions_in(body: str, people: list[tuple[int, str]]) -> list[int]:
    """The account ids of the people named after an "@" in `body`, in order, each once.

    The longest name that follows an "@" wins ("@Siti Nurhayati" over "@Siti"), letter case
    aside, and a name must end where a word ends."""
    by_length = sorted(((name.casefold(), person_id) for person_id, name in people if name),
                       key=lambda p: -len(p[0]))
    folded = body.casefold()
    found: list[int] = []
    start = folded.find("@")
    while start != -1:
        rest = folded[start + 1:]
        for name, person_id in by_length:
            after = rest[len(name):len(name) + 1]
            if rest.startswith(name) and not (after.isalnum() or after == "_"):
                if person_id not in found:
                    found.append(person_id)
                break
        start = folded.find("@", start + 1)
    return found


def _body(body: str | None) -> str:
    body = (body or "").strip()
    if not body:
        raise Refused(_("Write your comment first."), "body")
    if len(body) > BODY_MAX:
        raise Refused(_("Keep the comment under %(n)s characters.", n=BODY_MAX), "body")
    return body


def _name(idea: Idea) -> str:
    return f"{idea.acronym} — {idea.title}" if idea.acronym else idea.title


def add(session: Session, idea: Idea, *, body: str, parent_id: int | None = None,
        milestone_id: int | None = None, actor_id: int | None,
        ip: str | None = None) -> Comment:
    """A comment on the idea (or on one of its milestones), or a reply in a thread.

    A reply joins the thread of the comment it answers (threads are one level deep) and is
    about what that thread is about."""
    body = _body(body)
    parent = None
    if parent_id is not None:
        parent = session.scalar(sa.select(Comment).where(Comment.id == parent_id,
                                                         Comment.idea_id == idea.id))
        if parent is None:
            raise Refused(_("The comment you answered is no longer there."), "body")
        if parent.parent_id is not None:
            parent = session.get(Comment, parent.parent_id) or parent
        milestone_id = parent.milestone_id
    elif milestone_id is not None and session.scalar(sa.select(Milestone.id).where(
            Milestone.id == milestone_id, Milestone.idea_id == idea.id)) is None:
        raise Refused(_("Choose one of the options."), "milestone_id")
    author = session.get(User, actor_id) if actor_id is not None else None
    comment = Comment(idea_id=idea.id, milestone_id=milestone_id,
                      parent_id=parent.id if parent else None, author_id=actor_id,
                      author_name=author.name if author else _("Labinov"), body=body,
                      mentions=mentions_in(body, readers(session, idea)))
    session.add(comment)
    session.flush()
    session.add(IdeaEvent(idea_id=idea.id, actor_id=actor_id,
                          action="replied" if parent else "commented",
                          detail={"comment_id": comment.id}))
    record_lab(session, "comment.replied" if parent else "comment.added", actor_id=actor_id,
               target=_name(idea), ip=ip)
    return comment


def edit(session: Session, idea: Idea, comment: Comment, *, body: str,
         actor_id: int | None, ip: str | None = None) -> bool:
    """The author changes their comment (it shows when); returns whether it changed."""
    if actor_id is None or comment.author_id != actor_id:
        raise Refused(_("Only the author can change a comment."), "body")
    body = _body(body)
    if body == comment.body:
        return False
    comment.body = body
    comment.mentions = mentions_in(body, readers(session, idea))
    comment.edited_at = utcnow()
    session.add(IdeaEvent(idea_id=idea.id, actor_id=actor_id, action="comment_edited",
                          detail={"comment_id": comment.id}))
    record_lab(session, "comment.edited", actor_id=actor_id, target=_name(idea), ip=ip)
    return True
