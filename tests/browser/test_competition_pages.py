"""A whole competition in Chromium: set-up, entries with a street quota, an early deadline,
formal review, a panel with a conflict, blind scoring with autosave, results, a notice with an
objection, finalisation, exports, certificate verification and the winners' collection, all
through the pages a phone shows."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect

from repo_service.accounts.models import Role, User
from repo_service.competitions.services import LOCAL
from repo_service.db import utcnow
from repo_service.resources.models import Resource
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, drafts_with_a_file, make_user

pytestmark = [pytest.mark.browser, pytest.mark.integration]

PHONE = {"width": 390, "height": 844}
MOLING_UNIT = "秣陵街道社区教育中心"
DONGSHAN_UNIT = "东山街道社区教育中心"
CATEGORY = "老年教育"
AWARD_ORDER = ("一等奖", "二等奖", "三等奖")


def _local(moment: dt.datetime) -> str:
    """A moment as a datetime-local field takes it: Beijing time, to the minute."""
    return moment.astimezone(LOCAL).strftime("%Y-%m-%dT%H:%M")


class Users:
    """Each person in a browser context of their own, on a phone-size screen."""

    def __init__(self, browser: Browser, base: str) -> None:
        self.browser = browser
        self.base = base
        self.contexts: list[BrowserContext] = []

    def page_for(self, user: User | None) -> Page:
        context = self.browser.new_context(viewport=PHONE, accept_downloads=True)
        self.contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # the pages' confirmations
        if user is not None:
            sign_in(page, self.base, user.username, PASSWORD)
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def _post(page: Page, selector: str) -> int:
    """Click a form's button and give the status of the POST it sends (302 when accepted)."""
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.request.resource_type == "document"
    ) as info:
        page.click(selector)
    status: int = info.value.status
    page.wait_for_load_state()
    return status


def _flash(page: Page, text: str) -> None:
    expect(page.locator(".flash")).to_contain_text(text)


def _refused(page: Page, text: str) -> None:
    expect(page.locator(".error-box")).to_contain_text(text)


def _rows(page: Page, selector: str) -> list[list[str]]:
    rows = page.locator(selector)
    return [
        [cell.strip() for cell in rows.nth(i).locator("td").all_inner_texts()]
        for i in range(rows.count())
    ]


def _qr_codes(pdf: Path, work: Path) -> list[str]:
    for tool in ("pdftoppm", "zbarimg"):
        assert shutil.which(tool), f"{tool} is missing: run ./infra/install"
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(pdf), str(work / "p")], check=True)
    found = []
    for image in sorted(work.glob("p*.png")):
        out = subprocess.run(
            ["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True, check=False
        )
        found += out.stdout.split()
    return found


def _goto(page: Page, url: str) -> int:
    response = page.goto(url)
    assert response is not None
    return response.status


@dataclass
class Journey:
    base: str
    name: str
    users: Users
    titles: dict[int, str]
    hidden: list[str]
    cid: int = 0
    codes: dict[int, str] = field(default_factory=dict)

    @property
    def overview(self) -> str:
        return f"{self.base}/competitions/{self.cid}"


def _set_up(j: Journey, page: Page, now: dt.datetime) -> None:
    """The admin fills the set-up form, saves and opens submissions."""
    page.goto(f"{j.base}/competitions/new")
    page.fill("input[name=name]", j.name)
    page.select_option("select[name=kind]", label="微课评比")
    page.fill("input[name=year]", str(now.astimezone(LOCAL).year))
    page.fill("textarea[name=categories]", f"{CATEGORY}\n职业技能")
    windows = {
        "submission_opens_at": now - dt.timedelta(hours=1),
        "submission_closes_at": now + dt.timedelta(hours=1),
        "judging_opens_at": now + dt.timedelta(hours=1),
        "judging_closes_at": now + dt.timedelta(days=10),
    }
    for key, moment in windows.items():
        page.fill(f"input[name={key}]", _local(moment))
    page.fill("input[name=judges_per_entry]", "2")
    page.fill("input[name=street_quota]", "2")
    tiers = page.locator("#competition-form .tier-row")
    for i, (award, mode, value) in enumerate(
        [("一等奖", "count", "1"), ("二等奖", "count", "1"), ("三等奖", "percent", "40")]
    ):
        tiers.nth(i).locator("select[name=tier_name]").select_option(award)
        tiers.nth(i).locator("select[name=tier_mode]").select_option(mode)
        tiers.nth(i).locator("input[name=tier_value]").fill(value)
    criteria = page.locator("#competition-form .crit-row")
    criteria.nth(0).locator("input[name=crit_name]").fill("教学设计")
    criteria.nth(0).locator("input[name=crit_max_score]").fill("60")
    page.click("button[data-add-row=crit]")
    criteria.nth(1).locator("input[name=crit_name]").fill("呈现效果")
    criteria.nth(1).locator("input[name=crit_max_score]").fill("40")
    assert _post(page, "#competition-form button[type=submit]") == 302
    _flash(page, "评比已创建（筹备中）")
    match = re.fullmatch(rf"{re.escape(j.base)}/competitions/(\d+)", page.url)
    assert match, page.url
    j.cid = int(match.group(1))
    expect(page.locator("h1")).to_have_text(j.name)
    facts = page.locator("dl.facts")
    for text in ("一等奖：1 名", "二等奖：1 名", "三等奖：40%", "每个街道每类 2 件"):
        expect(facts).to_contain_text(text)
    expect(page.locator("table.rubric")).to_contain_text("教学设计")
    expect(page.locator("table.rubric")).to_contain_text("呈现效果")
    assert _post(page, "button:has-text('开始征集作品')") == 302
    _flash(page, "已开始征集作品")


def _enter(j: Journey, page: Page, resource_id: int) -> int:
    page.goto(f"{j.overview}/enter")
    page.select_option("select[name=resource_id]", str(resource_id))
    page.select_option("select[name=category]", CATEGORY)
    return _post(page, "#enter-form button[type=submit]")


def _enter_works(j: Journey, entrants: list[tuple[User, int]], extra: int) -> dict[int, Page]:
    """Each teacher enters her work; the second one's extra work finds the quota used up."""
    pages = {}
    for teacher, rid in entrants:
        page = j.users.page_for(teacher)
        pages[teacher.id] = page
        assert _enter(j, page, rid) == 302
        _flash(page, "报名成功，作品编号")
        found = re.search(r"作品编号 (\S+-\d{3})", page.locator(".flash").inner_text())
        assert found
        j.codes[rid] = found.group(1)
        expect(page.locator("h1")).to_contain_text(j.titles[rid])
        if len(j.codes) == 2:
            # The street's two places in 老年教育 are taken: refused, the form kept as typed.
            assert _enter(j, page, extra) == 409
            _refused(page, "名额已用完")
            expect(page.locator("select[name=resource_id]")).to_have_value(str(extra))
            page.goto(j.overview)
            expect(page.locator("#mine")).to_contain_text(f"{CATEGORY} 已用 2/2")
    return pages


def _review_and_assign(
    j: Journey, page: Page, late_teacher: Page, judges: list[User], first: int
) -> None:
    """Deadline moved to a minute ago, formal review, the panel, the assignment, judging."""
    page.goto(f"{j.overview}/edit")
    a_minute_ago = _local(utcnow() - dt.timedelta(minutes=1))
    page.fill("input[name=submission_closes_at]", a_minute_ago)
    page.fill("input[name=judging_opens_at]", a_minute_ago)
    assert _post(page, "#competition-form button[type=submit]") == 302
    _flash(page, "评比设置已保存")
    expect(page.locator("#admin")).to_contain_text("报名 3 件")
    # With the deadline past, a teacher no longer gets the button to enter.
    late_teacher.goto(j.overview)
    expect(late_teacher.locator("#mine")).to_be_visible()
    expect(late_teacher.locator("#mine a.button")).to_have_count(0)
    assert _post(page, "button:has-text('进入形式审查')") == 302
    _flash(page, "已进入形式审查")

    page.goto(f"{j.overview}/review")
    for code in j.codes.values():
        card = page.locator("article.review-card", has_text=code)
        assert _post(page, f"#{card.get_attribute('id')} button:text-is('通过')") == 302
        _flash(page, f"{code} 形式审查通过")
    expect(page.locator("h1 + p")).to_contain_text("形式审查通过 3")

    page.goto(f"{j.overview}/judges")
    for judge in judges:
        page.click("summary:has-text('添加评委')")
        page.fill("input[name=username]", judge.username)
        assert _post(page, "#judges form button:text-is('添加')") == 302
        _flash(page, f"已添加评委 {judge.display_name}")
    assert _post(page, "button:has-text('运行自动分配')") == 302
    _flash(page, "自动分配完成：新增 4 项；2 件作品评委不足")
    row = page.locator("#assignments tr", has_text=j.codes[first])
    row.get_by_role("link", name="说明与调整").click()
    page.wait_for_url(re.compile(r"/assignments/entries/\d+$"))
    skipped = page.locator("#explain li", has_text="秣陵评委")
    expect(skipped).to_contain_text("不能分配")
    expect(skipped).to_contain_text("与作者同单位")
    expect(page.locator("#explain li", has_text="汤山评委")).to_contain_text("已分配")
    page.goto(j.overview)
    assert _post(page, "button:has-text('开始专家评审')") == 302
    _flash(page, "已开始专家评审")


def _blind(j: Journey, page: Page) -> None:
    html = page.content()
    for marker in j.hidden:
        assert marker not in html, f"{marker} shown to a judge on {page.url}"


def _judge(
    j: Journey, judge: User, sheets: dict[int, tuple[float, float]], screenshot: Path | None
) -> None:
    """A judge opens her desk, scores each work, waits for the autosave and submits."""
    page = j.users.page_for(judge)
    page.goto(f"{j.base}/judging")
    _blind(j, page)
    listed = page.locator(".desk-list li strong").all_inner_texts()
    assert sorted(listed) == sorted(j.codes[r] for r in sheets)
    for rid, (design, show) in sheets.items():
        code = j.codes[rid]
        page.goto(f"{j.base}/judging")
        page.click(f".desk-list a:has-text('{code}')")
        page.wait_for_url(re.compile(r"/judging/assignments/\d+$"))
        expect(page.locator("h1")).to_have_text(code)
        _blind(j, page)
        boxes = page.locator("#score-form section.criterion")
        boxes.nth(0).locator("input[type=number]").fill(f"{design:g}")
        boxes.nth(1).locator("input[type=number]").fill(f"{show:g}")
        boxes.nth(0).locator("textarea").fill(f"{code} 教学目标清楚")
        expect(page.locator("#total-preview")).to_have_text(f"{design + show:.2f}")
        expect(page.locator("#save-status")).to_have_text(
            re.compile(r"^已保存 \d\d:\d\d:\d\d$"), timeout=15_000
        )
        if screenshot is not None:
            page.screenshot(path=str(screenshot), full_page=True)
            screenshot = None
        # What the autosave stored comes back with the page.
        page.reload()
        expect(page.locator("#save-status")).to_have_text("草稿已保存")
        expect(boxes.nth(1).locator("input[type=number]")).to_have_value(f"{show:g}")
        expect(boxes.nth(0).locator("textarea")).to_have_value(f"{code} 教学目标清楚")
        assert _post(page, "button:text-is('提交评分')") == 302
        _flash(page, f"{code} 的评分已提交并锁定")
    expect(page.locator(".progress-line")).to_contain_text(f"已提交 {len(sheets)}/{len(sheets)}")
    # A submitted sheet is locked: shown as saved, no longer editable.
    first = next(iter(sheets))
    page.click(f".desk-list a:has-text('{j.codes[first]}')")
    expect(page.locator(".ok-box")).to_contain_text("提交并锁定")
    score = page.locator("#score-form input[type=number]").first
    expect(score).to_be_disabled()
    expect(score).to_have_value(f"{sheets[first][0]:g}")


def _results_and_notice(
    j: Journey, page: Page, resident: Page, expected: list[tuple[str, str, str, str]], run_dir: Path
) -> None:
    """Preview, publish, an objection, two refusals, the answer, finalisation."""
    page.goto(f"{j.overview}/results")
    expect(page.locator("#preview")).to_contain_text("全部评分已提交")
    # Columns: rank, code, score, award, judge A, judge B, work, notes.
    preview = [r for r in _rows(page, "#preview table.results-table tbody tr") if len(r) == 8]
    assert [(r[0], r[1], r[2], r[3]) for r in preview] == expected
    assert preview[0][4:6] == ["85.00", "—"]  # one judge only: 秣陵's judge was not eligible
    assert sorted(preview[2][4:6]) == ["70.50", "80.00"]
    expect(page.locator("#preview")).to_contain_text("该类别没有参评作品")  # 职业技能
    page.screenshot(path=str(run_dir / "competition-results-preview.png"), full_page=True)
    assert _post(page, "#publish-form button[type=submit]") == 302
    _flash(page, "结果已公示，公示至")

    resident.goto(f"{j.overview}/results")
    # Columns: rank, award, score, work, authors, unit, code (names are public after judging).
    published = [r for r in _rows(resident, "#published table.results-table tbody tr") if r[1:]]
    assert [(r[0], r[6], r[2], r[1]) for r in published] == expected
    code = expected[2][1]
    resident.fill("input[name=entry_code]", code)
    resident.fill("textarea[name=reason]", "该作品与去年作品相似")
    assert _post(resident, "#objection button[type=submit]") == 302
    _flash(resident, "异议已提交")
    expect(resident.locator("#my-objections")).to_contain_text(code)
    resident.screenshot(path=str(run_dir / "competition-results-notice.png"), full_page=True)

    finalise = "button:has-text('确认结果并颁发证书')"
    page.goto(f"{j.overview}/results")
    assert _post(page, finalise) == 409
    _refused(page, "之后才能确认结果")
    page.goto(f"{j.overview}/edit")
    page.fill("input[name=notice_ends_at]", _local(utcnow() - dt.timedelta(minutes=1)))
    assert _post(page, "#competition-form button[type=submit]") == 302
    _flash(page, "评比设置已保存")
    page.goto(f"{j.overview}/results")
    expect(page.locator("#published")).to_contain_text("公示期已结束")
    assert _post(page, finalise) == 409
    _refused(page, "还有 1 条异议未答复")
    page.goto(f"{j.overview}/objections")
    card = page.locator("article.review-card", has_text=code)
    card.locator("input[name=verdict][value=dismissed]").check()
    card.locator("textarea[name=answer]").fill("经核查为不同作品")
    assert _post(page, "button:has-text('提交答复')") == 302
    _flash(page, "异议已答复并记入评比记录")
    expect(page.locator("article.review-card .ok-box")).to_contain_text("经核查为不同作品")
    page.goto(f"{j.overview}/results")
    assert _post(page, finalise) == 302
    _flash(page, "结果已确认，颁发证书 3 张")
    expect(page.locator("#published h2")).to_have_text("最终结果")
    resident.goto(f"{j.overview}/results")
    expect(resident.locator("#my-objections")).to_contain_text("经核查为不同作品")


def _download(page: Page, link: str, target: Path) -> Path:
    with page.expect_download() as download:
        page.click(link)
    download.value.save_as(target)
    return target


def _exports(j: Journey, page: Page, resident: Page, won: dict[int, str], tmp_path: Path) -> None:
    """The result sheet and the certificates, downloaded from the overview and read back."""
    page.goto(j.overview)
    xlsx = _download(page, "#admin a:has-text('评审结果表 XLSX')", tmp_path / "results.xlsx")
    sheet = openpyxl.load_workbook(xlsx)[CATEGORY]
    header = list(next(sheet.iter_rows(min_row=2, max_row=2, values_only=True)))
    assert header[:2] == ["名次", "作品编号"]
    score_col, award_col = header.index("最终得分"), header.index("奖项")
    lines = [
        (row[0], row[1], row[score_col], row[award_col])
        for row in sheet.iter_rows(min_row=3, values_only=True)
        if isinstance(row[0], int)
    ]
    ranked = sorted(won, key=lambda rid: AWARD_ORDER.index(won[rid]))
    scores = {"一等奖": 85.0, "二等奖": 79.5, "三等奖": 75.25}
    assert lines == [
        (n, j.codes[rid], scores[won[rid]], won[rid]) for n, rid in enumerate(ranked, start=1)
    ]

    pdf = _download(page, "#admin a:has-text('获奖证书 PDF')", tmp_path / "certificates.pdf")
    urls = _qr_codes(pdf, tmp_path)
    assert len(urls) == 3, urls
    by_title = {j.titles[rid]: award for rid, award in won.items()}
    seen = set()
    for url in urls:
        assert re.fullmatch(rf"{re.escape(j.base)}/certificates/[A-Z0-9-]+", url), url
        assert _goto(resident, url) == 200
        certificate = resident.locator("#certificate")
        expect(certificate).to_contain_text("证书有效")
        expect(certificate).to_contain_text(j.name)
        text = certificate.inner_text()
        title = next(t for t in by_title if t in text)
        assert by_title[title] in text
        seen.add(title)
    assert seen == set(by_title)
    code = urls[0].rsplit("/", 1)[1]
    forged = code[:-1] + ("2" if code[-1] != "2" else "3")
    assert _goto(resident, f"{j.base}/certificates/{forged}") == 404
    expect(resident.locator("#certificate-invalid")).to_contain_text("证书编号无效")


def test_a_whole_competition_through_the_pages(
    app: Flask, browser: Browser, live_server: str, run_dir: Path, tmp_path: Path
) -> None:
    now = utcnow()
    admin = make_user(app, Role.ADMIN, street="江宁", display_name="评比管理员")
    t1 = make_user(app, Role.TEACHER, street="秣陵", display_name="张秀英老师")
    t2 = make_user(app, Role.TEACHER, street="秣陵", display_name="李建国老师")
    t3 = make_user(app, Role.TEACHER, street="东山", display_name="赵丽华老师")
    j_moling = make_user(app, Role.JUDGE, street="秣陵", display_name="秣陵评委")
    j_tangshan = make_user(app, Role.JUDGE, street="汤山", display_name="汤山评委")
    resident = make_user(app, Role.RESIDENT, street="江宁", display_name="江宁居民")
    (r1,) = drafts_with_a_file(app, t1, ["手机挂号三步走"])
    r2, r2b = drafts_with_a_file(app, t2, ["防范电信诈骗", "老年人用微信视频"])
    (r3,) = drafts_with_a_file(app, t3, ["健康码与行程卡"])

    j = Journey(
        base=live_server,
        name=f"{now.astimezone(LOCAL).year}年江宁区社区教育微课评比（页面）",
        users=Users(browser, live_server),
        titles={r1: "手机挂号三步走", r2: "防范电信诈骗", r3: "健康码与行程卡"},
        hidden=["张秀英老师", "李建国老师", "赵丽华老师", MOLING_UNIT, DONGSHAN_UNIT],
    )
    try:
        admin_page = j.users.page_for(admin)
        _set_up(j, admin_page, now)
        teachers = _enter_works(j, [(t1, r1), (t2, r2), (t3, r3)], extra=r2b)
        prefix = j.codes[r1].rsplit("-", 1)[0]
        assert prefix.startswith(f"{now.astimezone(LOCAL).year}-WK")
        assert [j.codes[r] for r in (r1, r2, r3)] == [f"{prefix}-00{n}" for n in (1, 2, 3)]
        _review_and_assign(j, admin_page, teachers[t3.id], [j_moling, j_tangshan], first=r1)

        # Totals are 教学设计 + 呈现效果 (each weighs its maximum): 002 85.00, 001 79.50 and
        # 003 (80 + 70.5) / 2 = 75.25, so 一等奖 and 二等奖 by count, 三等奖 as 40% of 3 → 1.
        _judge(
            j,
            j_tangshan,
            {r1: (48.5, 31), r2: (55, 30), r3: (50, 30)},
            run_dir / "competition-scoring.png",
        )
        _judge(j, j_moling, {r3: (41, 29.5)}, None)
        won = {r2: "一等奖", r1: "二等奖", r3: "三等奖"}
        expected = [
            ("1", j.codes[r2], "85.00", "一等奖"),
            ("2", j.codes[r1], "79.50", "二等奖"),
            ("3", j.codes[r3], "75.25", "三等奖"),
        ]
        resident_page = j.users.page_for(resident)
        _results_and_notice(j, admin_page, resident_page, expected, run_dir)
        with app.extensions["db"].session() as session:
            awards = {rid: session.get(Resource, rid).award for rid in won}
        assert awards == won

        _exports(j, admin_page, resident_page, won, tmp_path)

        # The winners' collection lists the three works with their awards.
        assert _goto(resident_page, f"{j.overview}/collection") == 200
        items = resident_page.locator("ul.collection li")
        expect(items).to_have_count(3)
        for rid, award in won.items():
            expect(items.filter(has_text=j.titles[rid])).to_contain_text(award)
    finally:
        j.users.close()
