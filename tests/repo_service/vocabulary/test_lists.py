"""The list rules on a database of their own: seeded values, order, the last active term, what
an edited record keeps, and one read per request."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from repo_service.db import Database
from repo_service.errors import Conflict, InvalidInput
from repo_service.migrate import upgrade
from repo_service.vocabulary.models import Audience, Category
from repo_service.vocabulary.services import (
    Vocabulary,
    add_term,
    audiences,
    categories,
    check_audience,
    check_category,
    english_names,
    forget,
    terms,
    update_term,
)

# On the database the run uses (ZX_TEST_DATABASE=postgresql: the local PostgreSQL).
pytestmark = pytest.mark.integration


@pytest.fixture
def session(own_database_url: str) -> Iterator[Session]:
    db = Database(own_database_url)
    upgrade(db)
    with db.session() as s:
        yield s
    db.dispose()


def test_the_migration_seeds_the_former_constants_and_two_new_audiences(
    session: Session,
) -> None:
    assert categories(session)[0] == ("老年教育/智能技术", "Elderly education / smart devices")
    assert len(categories(session)) == 8
    assert audiences(session) == [
        ("老年人", "Elderly learners"),
        ("农民", "Farmers"),
        ("青少年", "Young people"),
        ("家长", "Parents"),
        ("社区居民", "All residents"),
        ("社区教育教师", "Community-education teachers"),
        ("从业人员", "Employed people"),
        ("党员", "Party members"),
    ]


def test_positions_stay_one_to_n_whatever_is_added_or_moved(session: Session) -> None:
    add_term(session, Vocabulary.AUDIENCES, {"name_zh": "退役军人", "name_en": "Veterans"})
    add_term(
        session, Vocabulary.AUDIENCES, {"name_zh": "残疾人", "name_en": "Disabled", "position": 2}
    )
    names = [t.name_zh for t in terms(session, Vocabulary.AUDIENCES)]
    assert names[:3] == ["老年人", "残疾人", "农民"]
    assert names[-1] == "退役军人"
    veterans = next(t for t in terms(session, Vocabulary.AUDIENCES) if t.name_zh == "退役军人")
    update_term(session, Vocabulary.AUDIENCES, veterans.id, {"position": "1"})
    rows = terms(session, Vocabulary.AUDIENCES)
    assert [r.name_zh for r in rows][:3] == ["退役军人", "老年人", "残疾人"]
    assert [r.position for r in rows] == list(range(1, len(rows) + 1))


def test_the_last_active_term_cannot_be_deactivated(session: Session) -> None:
    rows = terms(session, Vocabulary.CATEGORIES)
    for row in rows[1:]:
        update_term(session, Vocabulary.CATEGORIES, row.id, {"is_active": False})
    with pytest.raises(Conflict) as refused:
        update_term(session, Vocabulary.CATEGORIES, rows[0].id, {"is_active": False})
    assert refused.value.message_en.startswith("At least one category must stay active")
    assert categories(session) == [(rows[0].name_zh, rows[0].name_en)]


def test_a_record_keeps_a_deactivated_value_and_its_form_still_shows_it(
    session: Session,
) -> None:
    party = session.scalars(select(Audience).where(Audience.name_zh == "党员")).one()
    update_term(session, Vocabulary.AUDIENCES, party.id, {"is_active": "0"})
    assert "党员" not in [zh for zh, _ in audiences(session)]
    assert audiences(session, keep="党员")[-1] == ("党员", "Party members")
    assert audiences(session, keep="已删除的旧值")[-1] == ("已删除的旧值", "已删除的旧值")
    assert english_names(session, Vocabulary.AUDIENCES)["党员"] == "Party members"
    assert check_audience(session, "党员", keep="党员") == "党员"
    with pytest.raises(InvalidInput) as refused:
        check_audience(session, "党员", keep="老年人")
    assert refused.value.details["field"] == "audience"
    assert "党员" not in refused.value.details["allowed"]
    with pytest.raises(InvalidInput):
        check_category(session, ["职业技能"])
    assert check_category(session, " 职业技能 ") == "职业技能"


def test_the_lists_are_read_once_per_request(session: Session) -> None:
    with Flask(__name__).app_context():
        before = categories(session)
        session.add(Category(name_zh="法律常识", name_en="Law", position=99, is_active=True))
        session.flush()
        assert categories(session) == before  # this request already read the list
        forget()
        assert categories(session)[-1] == ("法律常识", "Law")
    with Flask(__name__).app_context():  # the next request reads it afresh
        assert categories(session)[-1] == ("法律常识", "Law")
