"""No internal word reaches a user. As each role, every page reachable from the home page (one of each kind of
address, followed link by link) and every Word and Excel file linked from them is read as the user reads it — the
visible text — and checked for the words of the developers: ``seed``, the English codes of a choice (``high``,
``major`` …), a login name instead of a person's name, a database id (``#1498``), a library's name."""

from __future__ import annotations

import html
import io
import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from core.demo import DEMO_ACCOUNTS
from core.models import User

pytestmark = pytest.mark.django_db

ROLES = ("demo-justice", "demo-mediator", "demo-leader", "demo-district", "demo-auditor", "demo-officer")
PAGES_PER_ROLE = 160
SKIP = ("/admin/", "/api/", "/logout/", "/static/", "/jobs/", "/download/", "/people/reveal")
FILES = (".docx", ".xlsx", "format=docx", "format=xlsx")
CHOICE_CODES = (
    "low|medium|high|major|received|triaged|assigned|mediating|agreed|closed|failed|terminated|"
    "transferred|not_accepted|written|oral|community|street|walk_in|hotline|pending|approved|rejected"
)


def forbidden(logins: list[str]) -> list[tuple[re.Pattern[str], str]]:
    return [
        (re.compile(r"\bseeds?\b", re.I), "开发用语“seed”"),
        (re.compile(rf"(?<![\w/.-])({CHOICE_CODES})(?![\w/.-])"), "选项的内部代码"),
        (re.compile(r"#\d+"), "数据库编号"),
        (re.compile(r"chinesecalendar|django|None\b|True\b|False\b"), "程序库或程序的用语"),
        (re.compile("|".join(re.escape(name) for name in logins)), "登录名（应显示姓名）"),
    ]


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style|template)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


def document_text(url: str, body: bytes) -> str:
    if ".docx" in url or "format=docx" in url:
        doc = Document(io.BytesIO(body))
        cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in doc.paragraphs] + cells)
    book = load_workbook(io.BytesIO(body), read_only=True)
    return "\n".join(
        str(v)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for v in row
        if v is not None
    )


def kind_of(url: str) -> str:
    """One address of each kind is enough: the same template with another id or another filter value."""
    parts = urlsplit(url)
    keys = sorted({p.split("=")[0] for p in parts.query.split("&") if p})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def links(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="(/[^"#]*)"', page)]


@pytest.fixture(scope="module")
def demo_street(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)
        call_command("load_demo_disputes", count=60, verbosity=0)
        call_command("load_demo_disclosure", verbosity=0)
        call_command("load_demo_administration", verbosity=0)
        call_command("load_demo_steering", verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.parametrize("username", ROLES)
def test_no_internal_word_reaches_a_user(demo_street, username):
    logins = [u for u, *_ in DEMO_ACCOUNTS]
    checks = forbidden(logins)
    client = Client()
    client.force_login(User.objects.get(username=username))
    seen_kinds: set[str] = set()
    queue: deque[str] = deque(["/"])
    found: dict[tuple[str, str, str], str] = {}
    read = 0
    while queue and read < PAGES_PER_ROLE:
        url = queue.popleft()
        is_file = any(f in url for f in FILES)
        if kind_of(url) in seen_kinds or (url.startswith(SKIP) and not is_file):
            continue
        seen_kinds.add(kind_of(url))
        response = client.get(url)
        read += 1
        if response.status_code != 200:
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        text = document_text(url, body) if is_file else visible_text(body.decode())
        for pattern, what in checks:
            for match in pattern.finditer(text):
                key = (kind_of(url), what, match.group(0))
                if key not in found:
                    context = " ".join(text[max(0, match.start() - 40) : match.end() + 40].split())
                    found[key] = f"{url}：{what}“{match.group(0)}”（…{context}…）"
        if not is_file:
            queue.extend(links(body.decode()))
    assert read > 10, f"{username} reached only {read} pages"
    assert not found, "\n".join(list(found.values())[:60])
