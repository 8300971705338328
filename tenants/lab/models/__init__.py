"""A lab's own tables (in each tenant's schema): the RPJMD, ideas and their history and
files, action plans, coaching comments, drum-up commitments, launches and regulations."""

from tenants.lab.models.coaching import Comment
from tenants.lab.models.events import Commitment, Launch, Regulation
from tenants.lab.models.ideas import Attachment, Idea, IdeaEvent
from tenants.lab.models.plans import Milestone, MilestoneNote
from tenants.lab.models.rpjmd import RpjmdIndicator, RpjmdPeriod, RpjmdPriority

__all__ = ["Attachment", "Comment", "Commitment", "Idea", "IdeaEvent", "Launch", "Milestone",
           "MilestoneNote", "Regulation", "RpjmdIndicator", "RpjmdPeriod", "RpjmdPriority"]
