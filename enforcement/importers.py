"""The street's catalogue of enforcement items, imported from a spreadsheet (one row an item, by its code: a row
whose code is already in the catalogue corrects that item)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from administration.importers.rows import (
    STREET_COLUMN,
    YES_NO,
    Checked,
    read_amount,
    read_choice,
    street_of_row,
)
from core.imports import Column, Importer, RowInvalid, register

from . import services


def _item_row(row: dict[str, str], by: Any) -> Any:
    check = Checked()
    street = street_of_row(check, row, by)
    fine_max = check(read_amount, row["fine_max"], "fine_max", "罚款上限") if row["fine_max"] else None
    threshold = (
        check(read_amount, row["review_threshold"], "review_threshold", "法制审核金额")
        if row["review_threshold"]
        else None
    )
    exempt = check(read_choice, row["minor_exempt"] or "否", YES_NO, "minor_exempt", "首违不罚清单")
    review = check(read_choice, row["needs_review"] or "否", YES_NO, "needs_review", "须法制审核")
    check.done()
    assert street is not None
    try:
        return services.item_save(
            by=by,
            region=street,
            code=row["code"],
            name=row["name"],
            basis=row["basis"],
            penalty_range=row["penalty_range"],
            fine_max=fine_max,
            discretion=row["discretion"],
            minor_exempt=exempt,
            needs_review=review,
            review_threshold=threshold,
        )
    except ValidationError as exc:
        raise RowInvalid({k: "；".join(v) for k, v in exc.message_dict.items()}) from None


ITEMS_IMPORTER = register(
    Importer(
        "enforcement-items",
        "执法事项目录",
        [
            STREET_COLUMN,
            Column("事项编码", "code", True, "CG-001", "本街镇目录内唯一；已有的编码按本行更正", 40),
            Column("事项名称", "name", True, "擅自占用道路设摊经营（示例）", "", 200),
            Column(
                "法律依据", "basis", True, "《上海市市容环境卫生管理条例》第二十二条", "法规名称及条款", 300
            ),
            Column(
                "处罚种类和幅度", "penalty_range", True, "责令改正，可处五十元以上五百元以下罚款", "", 300
            ),
            Column("罚款上限（元）", "fine_max", False, "500", "不填为无固定上限", 20),
            Column(
                "裁量基准",
                "discretion",
                False,
                "初次违法且及时改正的，不予处罚（示例）",
                "公布的裁量基准（第34条）",
            ),
            Column("首违不罚清单", "minor_exempt", False, "是", "是或否，不填为否（第33条）", 2),
            Column("须法制审核", "needs_review", False, "否", "是或否，不填为否（第58条及本街镇清单）", 2),
            Column("法制审核金额（元）", "review_threshold", False, "10000", "罚款达到此金额须法制审核", 20),
        ],
        _item_row,
        notes=["每行一个执法事项；再次导入时，编码相同的事项按新行更正，其余事项不变。"],
        capability="enforcement.items",
        group="行政执法",
        description="街镇依法承接的行政处罚事项，含裁量基准、首违不罚清单和须法制审核的事项",
    )
)
