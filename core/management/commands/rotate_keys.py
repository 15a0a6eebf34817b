from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction

from core.management.base import FazhiCommand
from core.personal import EncryptedCharField, fernet, keyed_hash


class Command(FazhiCommand):
    help = (
        "用 FAZHI_FIELD_KEY 中的第一个密钥重新加密所有个人信息字段，并重算查询用的带密钥哈希；"
        "完成后即可从 FAZHI_FIELD_KEY 中移除旧密钥（步骤见 docs/personal-data.md）。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        with transaction.atomic():
            for model in apps.get_models():
                fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]
                if model._meta.proxy or not fields:
                    continue
                n = self.rotate_model(model, fields)
                total += n
                self.progress(
                    f"{model._meta.verbose_name}（{model._meta.label}）：{n} 行已用第一个密钥重新加密"
                )
        self.check_first_key_alone()
        self.progress(f"完成：共 {total} 行。现在可以从 FAZHI_FIELD_KEY 中移除旧密钥。")

    def rotate_model(self, model: type[models.Model], fields: list[EncryptedCharField]) -> int:
        """Re-encrypt the stored ciphertexts (never the clear values, which this never holds as a model
        instance), then recompute the keyed-hash twins. Plain SQL: the change log holds these values
        masked, so nothing it recorded changes (docs/audit.md)."""
        qn = connection.ops.quote_name
        table, pk = qn(model._meta.db_table), qn(str(model._meta.pk.column))
        cols = [qn(str(f.column)) for f in fields]
        twins = [
            f for f in fields if any(t.attname == f"{f.attname}_hash" for t in model._meta.concrete_fields)
        ]
        count = 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {pk}, {', '.join(cols)} FROM {table} ORDER BY {pk}")
            rows = cursor.fetchall()
        for pk_value, *ciphers in rows:
            new_values: list[Any] = []
            clear: dict[str, str] = {}
            for f, cipher in zip(fields, ciphers, strict=True):
                if not cipher:
                    new_values.append(cipher)
                    clear[f.attname] = ""
                    continue
                try:
                    new_values.append(fernet().rotate(cipher.encode()).decode())
                    clear[f.attname] = fernet().decrypt(cipher.encode()).decode()
                except InvalidToken:
                    self.fail(
                        f"{model._meta.verbose_name}（id={pk_value}）的“{f.verbose_name}”无法用 FAZHI_FIELD_KEY "
                        "中的任何密钥解密：请把写入它的旧密钥加回 FAZHI_FIELD_KEY 后重新运行（未做任何修改）。"
                    )
            sets = [f"{c} = %s" for c in cols]
            params = list(new_values)
            for f in twins:
                sets.append(qn(f"{f.column}_hash") + " = %s")
                params.append(keyed_hash(clear[f.attname]))
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE {table} SET {', '.join(sets)} WHERE {pk} = %s", [*params, pk_value])
            count += 1
        return count

    def check_first_key_alone(self) -> None:
        first = Fernet(settings.FAZHI_FIELD_KEYS[0].encode())
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]
            if model._meta.proxy or not fields:
                continue
            qn = connection.ops.quote_name
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {', '.join(qn(str(f.column)) for f in fields)} FROM {qn(model._meta.db_table)}"
                )
                for row in cursor.fetchall():
                    for cipher in row:
                        if cipher:
                            first.decrypt(cipher.encode())
