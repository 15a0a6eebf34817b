"""``POST /api/v1/imports/{kind}``: every importer's rows as JSON records, one typed operation each.

Generated from the importers' declared columns, so each kind of record that has a spreadsheet
template also has an API create call with the same fields, the same checks (the importer's own row
handler) and the same idempotency on its source reference. A call is all or nothing: 400 lists
every error by record number and field, and nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict, create_model

from core.api_auth import API_AUTH
from core.imports import IMPORTERS, MAX_RECORDS_PER_CALL, Importer, ImportFailed
from core.permissions import authorize

router = Router(tags=["批量导入"])

Value = str | int | float | bool | None


class ImportOut(Schema):
    rows: int = Field(description="收到的记录数")
    created: int = Field(description="新增的记录数")
    existing: int = Field(description="此前已导入（按来源编号识别）、本次未重复写入的记录数")
    ids: list[int] = Field(description="新增记录的编号（id），与提交顺序一致")


class ColumnOut(Schema):
    key: str
    header: str
    required: bool
    example: str
    help: str
    max_chars: int


class ImporterOut(Schema):
    kind: str
    title: str
    group: str
    description: str
    notes: list[str]
    columns: list[ColumnOut]


def _record_schema(importer: Importer) -> Any:
    fields: dict[str, Any] = {
        c.key: (
            Value,
            Field(
                None,
                title=c.header,
                description="；".join(
                    p
                    for p in (
                        "必填" if c.required else "选填",
                        c.help,
                        f"示例：{c.example}" if c.example else "",
                    )
                    if p
                ),
            ),
        )
        for c in importer.columns
    }
    name = "".join(p.capitalize() for p in importer.kind.replace("-", "_").split("_")) + "Record"
    return create_model(
        name, __config__=ConfigDict(extra="forbid", title=f"{importer.title}（一条）"), **fields
    )


def _error_detail(importer: Importer, exc: ImportFailed) -> list[dict[str, str]]:
    keys = {c.header: c.key for c in importer.columns}
    detail = []
    for e in exc.errors:
        field = f"records[{e.row - 1}]" if e.row else "records"
        if e.column:
            field += "." + keys.get(e.column, e.column)
        detail.append({"field": field, "message": str(e).replace("行", "条", 1) if e.row else e.message})
    return detail


def _operation(importer: Importer) -> None:
    record = _record_schema(importer)
    body = create_model(
        record.__name__ + "s",
        __config__=ConfigDict(extra="forbid", title=f"{importer.title}导入"),
        records=(list[record], Field(..., min_length=1, max_length=MAX_RECORDS_PER_CALL)),  # type: ignore[valid-type]
    )

    def create(request: HttpRequest, payload: Any) -> Any:
        from fazhi.api import error

        try:
            result = importer.run_records(
                [r.model_dump(exclude_unset=True) for r in payload.records],
                by=request.user,
            )
        except ImportFailed as exc:
            return error(request, 400, _error_detail(importer, exc))
        return {
            "rows": result.rows,
            "created": result.created,
            "existing": result.existing,
            "ids": [getattr(o, "pk", 0) or 0 for o in result.objects],
        }

    create.__name__ = f"import_{importer.kind.replace('-', '_')}"
    create.__annotations__ = {"request": HttpRequest, "payload": body, "return": Any}
    router.add_api_operation(
        f"/imports/{importer.kind}",
        ["POST"],
        create,
        response={200: ImportOut},
        summary=f"导入{importer.title}",
        description=(
            f"与“{importer.title}导入模板”相同的字段和校验；每次最多{MAX_RECORDS_PER_CALL}条，全部成功或全部不写入；"
            "同一来源编号重复提交不会重复写入。" + (importer.description or "")
        ),
        operation_id=create.__name__,
        auth=_guards(importer.capability),
    )


class _CodeGuard:
    """One of the API's authenticators, then the permission table's row for the import, before the body is read."""

    def __init__(self, base: Any, code: str) -> None:
        self.base, self.code = base, code
        self.openapi_security_schema = base.openapi_security_schema

    def __call__(self, request: HttpRequest) -> Any:
        user = self.base(request)
        if user:
            authorize(user, self.code)
        return user


def _guards(code: str) -> list[Any]:
    return [type(type(base).__name__, (_CodeGuard,), {})(base, code) for base in API_AUTH]


@router.get("/imports", response=list[ImporterOut], summary="可导入的数据类别及其字段")
def importers(request: HttpRequest) -> Any:
    from core.scoping import has_capability

    return [
        {
            "kind": imp.kind,
            "title": imp.title,
            "group": imp.group,
            "description": imp.description,
            "notes": imp.notes,
            "columns": [
                {
                    "key": c.key,
                    "header": c.header,
                    "required": c.required,
                    "example": c.example,
                    "help": c.help,
                    "max_chars": c.max_chars,
                }
                for c in imp.columns
            ],
        }
        for imp in IMPORTERS.values()
        if has_capability(request.user, imp.capability)
    ]


def build() -> Router:
    for importer in IMPORTERS.values():
        _operation(importer)
    return router
