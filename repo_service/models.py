"""Every model module, imported once so the metadata (and Alembic) sees all tables."""

from repo_service.accounts.models import ApiToken, Organisation, User, UserRole
from repo_service.activities.models import Activity, Attendance
from repo_service.competitions.models import (
    Certificate,
    Competition,
    CompetitionEvent,
    Entry,
    EntryMember,
    EntryResult,
    Objection,
)
from repo_service.judging.models import (
    Criterion,
    DeclaredConflict,
    Judge,
    JudgeAssignment,
    Score,
    ScoreEvent,
    TimedComment,
)
from repo_service.learning.models import LearningDay, LearningRecord
from repo_service.outbox import OutboxMessage
from repo_service.processing.models import DocumentPage, ProcessingJob, Rendition
from repo_service.resources.models import Resource, ResourceTag, ResourceVersion
from repo_service.statistics.models import Population, YearTargets
from repo_service.uploads.models import UploadChunk, UploadSession
from repo_service.vocabulary.models import Audience, Category
from search.models import DirtyResource, SearchWord
from studio.models import LiveSession, Studio, StudioAction, StudioOperator

__all__ = [
    "Activity",
    "ApiToken",
    "Attendance",
    "Audience",
    "Category",
    "Certificate",
    "Competition",
    "CompetitionEvent",
    "Criterion",
    "DeclaredConflict",
    "DirtyResource",
    "DocumentPage",
    "Entry",
    "EntryMember",
    "EntryResult",
    "Judge",
    "JudgeAssignment",
    "LearningDay",
    "LearningRecord",
    "LiveSession",
    "Objection",
    "Organisation",
    "OutboxMessage",
    "Population",
    "ProcessingJob",
    "Rendition",
    "Resource",
    "ResourceTag",
    "ResourceVersion",
    "Score",
    "ScoreEvent",
    "SearchWord",
    "Studio",
    "StudioAction",
    "StudioOperator",
    "TimedComment",
    "UploadChunk",
    "UploadSession",
    "User",
    "UserRole",
    "YearTargets",
]
