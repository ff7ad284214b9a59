"""How typed text becomes pinyin, initials and other wordings: pure functions, no network."""

from __future__ import annotations

from typing import Any

import pytest

from search.query import build, parse
from search.synonyms import (
    BadGroup,
    Synonyms,
    SynonymSource,
    group_key,
    parse_group,
    shipped_groups,
)
from search.text import (
    normalise,
    plain_pinyin,
    spell_run,
    split_syllables,
    split_typing,
)

pytestmark = pytest.mark.unit


def test_tone_marks_and_umlaut_are_typed_away() -> None:
    assert normalise("tàijíquán") == "taijiquan"
    assert normalise("Lǜchá NǙ") == "lvcha nv"
    assert normalise("xīnfèi fùsū") == "xinfei fusu"
    assert normalise("江宁：café") == "江宁:cafe"  # full-width colon made half-width too


def test_tone_numbers_are_dropped_only_after_syllables() -> None:
    assert plain_pinyin("tai4ji2quan2") == "taijiquan"
    assert plain_pinyin("lu:4cha2") == "lvcha"
    assert plain_pinyin("mp4") == "mp4"  # mp is no syllable: a file type, kept
    assert plain_pinyin("5g") == "5g"


def test_a_run_of_syllables_reads_characters_in_context() -> None:
    sounds, firsts = spell_run("垃圾分类，从我做起")
    assert sounds == ("la", "ji", "fen", "lei", "cong", "wo", "zuo", "qi")
    assert firsts == ("l", "j", "f", "l", "c", "w", "z", "q")
    assert spell_run("中国银行")[0][-1] == "hang"  # not xing
    sounds, firsts = spell_run("心肺复苏与AED使用")
    assert "aed" in sounds
    assert firsts == ("x", "f", "f", "s", "y", "s", "y")  # Latin words have no initials here


@pytest.mark.parametrize(
    ("typed", "ways"),
    [
        ("lajifenlei", [["la", "ji", "fen", "lei"]]),
        ("xian", [["xian"]]),  # joined, one syllable; xi'an is typed with the apostrophe
        ("xi'an", [["xi", "an"]]),
        ("fangan", [["fang", "an"], ["fan", "gan"]]),
        ("ljfl", []),
        ("jtjycjf", []),
        ("x" * 70, []),
    ],
)
def test_joined_pinyin_splits_into_the_fewest_syllables(typed: str, ways: list[Any]) -> None:
    assert sorted(split_syllables(typed)) == sorted(ways)


def test_pinyin_being_typed_ends_in_part_of_a_syllable() -> None:
    assert split_typing("zhinengsh") == ["zhi", "neng", "sh"]
    assert split_typing("laonian") == ["lao", "nian"]
    assert split_typing("znsj") == []


def frequency(words: dict[str, int]) -> Any:
    return lambda w: words.get(w, 0)


def test_synonyms_replace_whole_words_and_runs_of_words() -> None:
    synonyms = Synonyms.of([("交电费", "缴纳电费"), ("反诈", "防诈骗", "防范诈骗")])
    # jieba cuts 交电费 into 交 + 电费; the run of both is the term.
    assert synonyms.expand(["交", "电费"], frequency({})) == [("交电费", ("缴纳电费",))]
    assert synonyms.expand(["老年人", "反诈"], frequency({})) == [
        ("老年人", ()),
        ("反诈", ("防诈骗", "防范诈骗")),
    ]
    assert synonyms.expand(["茶叶", "种植"], frequency({})) == []


def test_a_word_inside_a_word_is_replaced_only_beside_a_more_common_word() -> None:
    synonyms = Synonyms.of([("坐", "乘坐")])
    common = frequency({"坐地铁": 3, "地铁": 1127, "坐月子": 43, "月子": 34})
    assert synonyms.expand(["坐地铁"], common) == [("坐", ("乘坐",)), ("地铁", ())]
    assert synonyms.expand(["坐月子"], common) == []  # a fixed expression stays whole
    assert synonyms.expand(["座位"], common) == []


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("反诈", "至少要有两个词"),
        ("反诈，反诈", "至少要有两个词"),
        (",".join(f"词{i}" for i in range(13)), "最多 12 个词"),
        ("反诈，<script>", "不是词语"),
        ("反诈，" + "长" * 21, "不是词语"),
    ],
)
def test_a_malformed_group_is_refused_with_a_message(typed: str, message: str) -> None:
    with pytest.raises(BadGroup) as caught:
        parse_group(typed)
    assert message in caught.value.message_zh
    assert caught.value.message_en


def test_groups_are_normalised_and_keyed_whatever_the_order() -> None:
    assert parse_group(" 反诈、防诈骗，防范诈骗 , 反诈 ") == ("反诈", "防诈骗", "防范诈骗")
    assert parse_group("ＣＰＲ 心肺复苏") == ("cpr", "心肺复苏")
    assert group_key(("b", "a")) == group_key(("a", "b"))


def test_the_shipped_list_covers_the_districts_domains() -> None:
    groups = shipped_groups()
    assert len(groups) >= 100
    synonyms = Synonyms.of(groups)
    for typed, written in [
        ("反诈", "防范诈骗"),
        ("坐", "乘坐"),
        ("交电费", "缴纳电费"),
        ("老年痴呆", "认知症"),
        ("种菜", "蔬菜种植"),
        ("党史", "中共党史"),
        ("带娃", "育儿"),
        ("泡温泉", "温泉"),
    ]:
        assert written in synonyms.table[typed], typed


def test_the_groups_in_force_are_read_again_only_when_they_change() -> None:
    loads: list[int] = []
    token = ["a"]

    def load() -> list[tuple[str, ...]]:
        loads.append(1)
        return [("护眼", "眼健康")]

    source = SynonymSource(load, lambda: token[0], ttl=60)
    assert "眼健康" in source.current().table["护眼"]
    source.current()
    assert len(loads) == 1
    token[0] = "b"  # an admin changed the groups
    source.current()
    assert len(loads) == 2
    source.forget()
    source.current()
    assert len(loads) == 3


def clauses(body: dict[str, Any]) -> list[dict[str, Any]]:
    should: list[dict[str, Any]] = body["query"]["function_score"]["query"]["bool"]["should"]
    return should


def test_a_single_syllable_counts_only_a_little() -> None:
    body = build("jiao dianfei")
    single = [
        c
        for c in clauses(body)
        if c.get("match", {}).get("title_pinyin", {}).get("query") == "jiao"
    ]
    assert single
    assert single[0]["match"]["title_pinyin"]["boost"] < 1
    phrases = [c["match_phrase"] for c in clauses(body) if "match_phrase" in c]
    assert {"title_syllables": {"query": "dian fei", "boost": 3.5}} in phrases
    assert not any(p.get("title_syllables", {}).get("query") == "jiao" for p in phrases)


def test_initials_become_a_phrase_of_letters() -> None:
    phrases = [c["match_phrase"] for c in clauses(build("ljfl")) if "match_phrase" in c]
    assert {"title_letters": {"query": "l j f l", "boost": 3}} in phrases


def test_question_words_are_not_required() -> None:
    parsed = parse("血压高怎么吃")
    assert "怎么" in parsed.words
    assert "怎么" not in parsed.content
    required = clauses(build("血压高怎么吃"))[0]["multi_match"]
    assert "怎么" not in required["query"].split()
    assert parse("怎么").content == ["怎么"]  # nothing else typed: the word itself is sought
