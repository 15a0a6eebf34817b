"""Shared Playwright fixtures: Debian's Chromium, headless, against pytest-django's live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    path = os.environ.get("FAZHI_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        raise RuntimeError("找不到 Chromium：请运行 ./run test（会安装 Debian 的 chromium 软件包）")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread; Django's ORM guard would refuse
    # the test's own database calls without this (the live server runs in its own thread).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    p = context.new_page()
    p.set_default_timeout(15000)
    # The user confirms what the page asks (an irreversible action): the question is kept for tests to read.
    asked: list[str] = []

    def confirm(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.accept()

    p.on("dialog", confirm)
    p.asked = asked
    yield p
    context.close()


def login(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def open_action(page: Any, action: str) -> Any:
    """Open a workflow action's fold as a user does (its summary, and 其他操作 first when it is folded there)
    and return its form (core/_workflow_actions.html)."""
    fold = page.locator(f'details[data-fold="{action}"]')
    outer = page.locator("details.other-actions").filter(has=fold)
    if outer.count() and not outer.first.evaluate("d => d.open"):
        outer.first.locator("xpath=./summary").click()
    if not fold.evaluate("d => d.open"):
        fold.locator("xpath=./summary").click()
    return page.locator(f'form[data-action="{action}"]')


def act(page: Any, action: str, **fields: str | list[str]) -> None:
    """Fill and submit the form of a workflow action button (see core/_workflow_actions.html)."""
    form = open_action(page, action)
    for name, value in fields.items():
        if isinstance(value, list):  # a multiple choice: its boxes
            for v in value:
                form.locator(f'[name="{name}"][value="{v}"]').check()
            continue
        el = form.locator(f'[name="{name}"]')
        if el.evaluate("e => e.tagName") == "SELECT":
            el.select_option(value)
        else:
            el.fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
