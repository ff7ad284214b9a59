"""Who may see or touch an object (competitions, judging, offline activities): one place, pure
functions and query filters.

Route roles (``@access``) are the first gate; these rules decide per object. Services call them
and turn a refusal into 404 (the object's existence is not disclosed) or 403 (the user knows the
object but may not do this).
"""

from __future__ import annotations

from sqlalchemy import Select, or_, select

from repo_service.accounts.models import Organisation, OrgKind, Role, User
from repo_service.activities.models import Activity
from repo_service.competitions.models import Competition, Entry, EntryMember, Phase
from repo_service.judging.models import AssignmentStatus, JudgeAssignment


def is_admin(user: User | None) -> bool:
    return user is not None and Role.ADMIN in user.roles


def can_see_competition(user: User | None, competition: Competition) -> bool:
    """A competition being set up is the admins'; after that, everybody may read it."""
    return competition.phase != Phase.DRAFT or is_admin(user)


def can_see_results(user: User | None, competition: Competition) -> bool:
    if is_admin(user):
        return True
    if competition.phase not in (Phase.NOTICE, Phase.FINAL):
        return False
    return competition.results_public or user is not None


def is_entrant(user: User | None, entry: Entry) -> bool:
    """The teacher who entered it, or a team member with an account."""
    if user is None:
        return False
    return user.id == entry.submitted_by_id or any(m.user_id == user.id for m in entry.members)


def can_see_entry(user: User | None, entry: Entry) -> bool:
    return is_admin(user) or is_entrant(user, entry)


def can_edit_entry(user: User | None, entry: Entry) -> bool:
    """Only the teacher who entered it changes or withdraws it (the deadline is checked apart)."""
    return user is not None and user.id == entry.submitted_by_id


def entries_of(user: User) -> Select[Entry]:
    member = select(EntryMember.entry_id).where(EntryMember.user_id == user.id)
    return select(Entry).where(or_(Entry.submitted_by_id == user.id, Entry.id.in_(member)))


def can_view_assignment(user: User | None, assignment: JudgeAssignment) -> bool:
    """A judge sees her own assignments only, and never one taken away from her."""
    return (
        user is not None
        and assignment.judge_user_id == user.id
        and assignment.status != AssignmentStatus.REMOVED
    )


def can_score(user: User | None, assignment: JudgeAssignment, competition: Competition) -> bool:
    return (
        can_view_assignment(user, assignment)
        and assignment.status != AssignmentStatus.SUBMITTED
        and competition.phase == Phase.JUDGING
        and assignment.round == competition.current_round
    )


def assignments_of(user: User) -> Select[JudgeAssignment]:
    return select(JudgeAssignment).where(
        JudgeAssignment.judge_user_id == user.id,
        JudgeAssignment.status != AssignmentStatus.REMOVED,
    )


def street_of(org: Organisation) -> Organisation:
    """The street centre an organisation belongs to; the district college counts as its own."""
    node = org
    while node.kind == OrgKind.SCHOOL and node.parent is not None:
        node = node.parent
    return node


def conflict_keys(org: Organisation | None) -> frozenset[int]:
    """An organisation and its street: a judge from a street centre does not judge the works of
    the schools under it, nor a school's judge the works of its own street."""
    if org is None:
        return frozenset()
    return frozenset({org.id, street_of(org).id})


# --- offline activities ------------------------------------------------------------------------


def street_scope(user: User) -> Organisation | None:
    """The street a member of staff works for (a school's teacher: the street above it); None
    for the district college, whose staff work for the whole network."""
    street = street_of(user.organisation)
    return None if street.kind == OrgKind.DISTRICT else street


def organisations_in(street: Organisation) -> Select[int]:
    """The ids of a street centre and of the schools under it."""
    return select(Organisation.id).where(
        or_(Organisation.id == street.id, Organisation.parent_id == street.id)
    )


def can_manage_activity(user: User | None, activity: Activity) -> bool:
    """Admins and teachers manage the activities of their street (the district's: all)."""
    if user is None or not user.has_role(Role.ADMIN, Role.TEACHER):
        return False
    street = street_scope(user)
    return street is None or street_of(activity.organisation).id == street.id


def can_hold_activity(user: User, organisation: Organisation) -> bool:
    """Whether ``user`` may record an activity as held by ``organisation``."""
    street = street_scope(user)
    return street is None or street_of(organisation).id == street.id


def activities_of(user: User) -> Select[Activity]:
    """The activities ``user`` may manage (callers have checked the role)."""
    query = select(Activity)
    street = street_scope(user)
    if street is not None:
        query = query.where(Activity.organisation_id.in_(organisations_in(street)))
    return query
