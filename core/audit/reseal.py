"""Re-seal history written before the audit secret existed (migration ``core.0005``).

Earlier versions keyed the chains and the look-up hashes with a sub-key of the *last* field key
in ``FAZHI_FIELD_KEYS``. The migration checks every chain entry against a sub-key of each
configured field key (whichever was last when the entry was written) or of the audit secret,
and, only where the entry verifies, re-computes its hash with the audit secret; a link that
verifies under no key stops the migration, naming it, so tampered history is never blessed.
The chain heads are re-MAC'd and every keyed hash is recomputed.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Any

from django.conf import settings

from core.personal import _derived_key, derived_key, normalise

from .chain import GENESIS, canonical, head_mac


class ResealError(RuntimeError):
    pass


def _hash(key: bytes, prev_hash: str, content: dict[str, Any]) -> str:
    return hmac.new(key, prev_hash.encode() + canonical(content), hashlib.sha256).hexdigest()


def reseal_chain(
    name: str, model: Any, head_model: Any, content_of: Callable[[Any], dict[str, Any]], *, batch: int = 2000
) -> int:
    """Re-hash the chain ``name`` with the audit secret; return the number of entries re-sealed."""
    candidates = [derived_key("fazhi-audit-chain")] + [
        _derived_key(k, "fazhi-audit-chain") for k in reversed(settings.FAZHI_FIELD_KEYS)
    ]
    old_prev, new_prev, expected_seq, changed = GENESIS, GENESIS, 1, 0
    pending: list[Any] = []
    for entry in model.objects.order_by("seq").iterator(chunk_size=batch):
        content = {**content_of(entry), "seq": entry.seq}
        if entry.seq != expected_seq or entry.prev_hash != old_prev:
            raise ResealError(f"[{name}] 第 {entry.seq} 号记录序号或前序哈希不连续，审计链已断裂，迁移停止。")
        if not any(_hash(key, old_prev, content) == entry.hash for key in candidates):
            raise ResealError(
                f"[{name}] 第 {entry.seq} 号记录（id={entry.pk}）无法用任何已配置的密钥校验（记录被修改，"
                "或写入它的 FAZHI_FIELD_KEY 已不在配置中），迁移停止。"
            )
        old_prev = entry.hash
        entry.prev_hash, entry.hash = new_prev, _hash(candidates[0], new_prev, content)
        new_prev = entry.hash
        expected_seq += 1
        changed += 1
        pending.append(entry)
        if len(pending) >= batch:
            model.objects.bulk_update(pending, ["prev_hash", "hash"])
            pending = []
    if pending:
        model.objects.bulk_update(pending, ["prev_hash", "hash"])
    head = head_model.objects.filter(name=name).first()
    if head is not None:
        if head.last_seq != expected_seq - 1 or (head.last_seq and head.last_hash != old_prev):
            raise ResealError(f"[{name}] 链头与记录不符（末尾记录被删除），迁移停止。")
        head.last_hash = new_prev if head.last_seq else head.last_hash
        head.mac = head_mac(name, head.last_seq, head.last_hash)
        head.save(update_fields=["last_hash", "mac"])
    return changed


def rehash(model: Any, pairs: dict[str, str], *, batch: int = 2000) -> int:
    """Recompute the keyed hashes ``{hash_field: source_field}`` of every row with the audit secret."""
    key = derived_key("fazhi-lookup-hash")
    pending: list[Any] = []
    count = 0
    for row in model._base_manager.order_by("pk").iterator(chunk_size=batch):
        for target, source in pairs.items():
            value = getattr(row, source) or ""
            setattr(
                row,
                target,
                hmac.new(key, normalise(value).encode(), hashlib.sha256).hexdigest() if value.strip() else "",
            )
        pending.append(row)
        count += 1
        if len(pending) >= batch:
            model._base_manager.bulk_update(pending, list(pairs))
            pending = []
    if pending:
        model._base_manager.bulk_update(pending, list(pairs))
    return count
