"""The one page-number pagination of the API: ``page`` and ``page_size`` are bounded, so a huge
page number is a 400 naming the parameter instead of an offset the database cannot hold."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination

MAX_PAGE = 100_000
MAX_PAGE_SIZE = 100


class PageNumberPagination(NinjaPageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description=f"页码，从1开始（至多{MAX_PAGE}）")
        page_size: int | None = Field(
            None, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数（1至{MAX_PAGE_SIZE}，默认按接口）"
        )

    def __init__(self, page_size: int = 50, **kwargs: object) -> None:
        super().__init__(page_size=page_size, max_page_size=MAX_PAGE_SIZE, **kwargs)


PAGE_SIZE = 30  # rows a page of a list page shows


def page_of(request: Any, rows: Any, per_page: int = PAGE_SIZE, param: str = "page") -> Any:
    """One page of ``rows`` for a list page, never a silent cap: the page carries the total, and ``query`` the
    request's other parameters for the pager's links (``core/_pager.html``). A page number out of range gives
    the nearest page."""
    page: Any = Paginator(rows, per_page).get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    page.query = query.urlencode()
    page.param = param
    return page
