"""The 5D gates: what an idea must have before it may enter the next stage.

    no design without a problem statement and its root causes;
    no deliver without a complete action plan;
    no display without launch evidence.

`requirements(idea, stage)` is the checklist the idea page shows; a move is refused while
anything on it is unmet, unless a Bappeda administrator overrides it with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from tenants.cohorts.models import Stage
from tenants.lab.models import Attachment, Idea, Milestone

# A plan with fewer steps than this is not yet a plan.
MIN_MILESTONES = 3


@dataclass(frozen=True)
class Requirement:
    key: str
    label: object  # a lazy string
    met: bool


def _filled(text: str | None) -> bool:
    return bool(text and text.strip())


def requirements(idea: Idea, stage: Stage, milestones: list[Milestone] | None = None
                 ) -> list[Requirement]:
    """What entering `stage` asks of `idea` (empty for a stage without a gate)."""
    if stage == Stage.DESIGN:
        return [
            Requirement("problem", _l("A problem statement"), _filled(idea.problem)),
            Requirement("root_causes", _l("The problem's root causes"),
                        _filled(idea.root_causes)),
        ]
    if stage == Stage.DELIVER:
        steps = milestones if milestones is not None else []
        complete = [m for m in steps if m.title and m.owner_id and m.starts_on and m.due_on]
        return [
            Requirement("milestones", _l("An action plan of at least %(n)s milestones",
                                         n=MIN_MILESTONES), len(steps) >= MIN_MILESTONES),
            Requirement("milestone_details",
                        _l("Every milestone with its owner, start and due date"),
                        bool(steps) and len(complete) == len(steps)),
        ]
    if stage == Stage.DISPLAY:
        return [
            Requirement("launched_on", _l("The launch date"), idea.launched_on is not None),
            Requirement("launch_evidence", _l("Launch evidence (a photo or document)"),
                        any(a.kind == Attachment.LAUNCH for a in idea.attachments)),
        ]
    return []


def missing(idea: Idea, stage: Stage, milestones: list[Milestone] | None = None
            ) -> list[Requirement]:
    return [r for r in requirements(idea, stage, milestones) if not r.met]
