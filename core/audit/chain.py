"""Keyed hash chains for the timeline and the change log.

Each entry's ``hash`` is HMAC-SHA256 (key derived from the audit secret ``FAZHI_AUDIT_KEY``,
never stored in the database) over the previous entry's hash and the entry's canonical content.
A ``ChainHead`` row holds the last sequence number and hash, itself MAC'd, so that deleting the
newest entries is caught too. Appends lock the head row, so the chain has no forks. Anchors
(``core.audit.anchors``) keep signed copies of the heads outside the database, so a wipe of a
whole chain or a rolled-back head is caught as well.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from core.personal import derived_key

GENESIS = "0" * 64


def canonical(content: dict[str, Any]) -> bytes:
    return json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode()


def entry_hash(prev_hash: str, content: dict[str, Any]) -> str:
    return hmac.new(
        derived_key("fazhi-audit-chain"), prev_hash.encode() + canonical(content), hashlib.sha256
    ).hexdigest()


def head_mac(name: str, last_seq: int, last_hash: str) -> str:
    msg = f"{name}|{last_seq}|{last_hash}".encode()
    return hmac.new(derived_key("fazhi-audit-head"), msg, hashlib.sha256).hexdigest()


def append(entry: Any, chain: str, content_of: Callable[[Any], dict[str, Any]]) -> Any:
    """Number, hash and save an unsaved ``entry`` as the newest link of ``chain``.

    ``content_of(entry)`` gives the fields that are hashed (the same function verifies them).
    Call inside the transaction of the write the entry records.

    The head this connection wrote last is remembered: the next append advances the head only where it
    still holds exactly that sequence number and hash (one ``UPDATE … WHERE``, which also locks the row
    as ``SELECT … FOR UPDATE`` would). Where it does not — another process appended, a savepoint or the
    transaction was rolled back, the head was restored — nothing is updated and the head is read under
    lock as before. Two queries an entry instead of five, on a chain that stays the same.
    """
    from core.models import ChainHead

    pending = _pending.get()
    if pending is not None and connection.in_atomic_block:
        _defer(pending, entry, chain, content_of)
        return entry
    with transaction.atomic(savepoint=False):
        known = _known_heads().get(chain)
        if known is not None:
            seq, prev = known[0] + 1, known[1]
            digest = _number(entry, content_of, seq, prev)
            advanced = ChainHead.objects.filter(name=chain, last_seq=known[0], last_hash=prev).update(
                last_seq=seq, last_hash=digest, mac=head_mac(chain, seq, digest)
            )
            if advanced:
                entry.save()
                _known_heads()[chain] = (seq, digest)
                return entry
        head, _ = ChainHead.objects.select_for_update().get_or_create(name=chain)
        if head.last_seq == 0:
            head.last_hash = GENESIS
        seq = head.last_seq + 1
        digest = _number(entry, content_of, seq, head.last_hash)
        entry.save()
        _advance(head, chain, seq, digest)
        _known_heads()[chain] = (seq, digest)
    return entry


ContentOf = Callable[[Any], dict[str, Any]]


class _Written:
    """A no-op commit callback registered beside each deferred entry: Django drops the callbacks of a savepoint
    that is rolled back, so an entry whose marker is gone recorded a write that was undone."""

    def __call__(self) -> None:
        pass


_pending: contextvars.ContextVar[list[tuple[Any, str, ContentOf, _Written]] | None] = contextvars.ContextVar(
    "fazhi_chain_pending", default=None
)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Write the entries appended inside the block together when it ends: per chain, one locked head read, one
    insert of all its entries and one head update, instead of two queries an entry. For a block of many writes
    inside one transaction, such as one row of an import.

    Entries are checked as they are appended (``core.validation``), so a refused entry is refused at the same
    point as before. An entry recorded inside a savepoint that was rolled back within the block is dropped, as
    its write was undone. When the block raises, nothing is written: the caller's savepoint or transaction rolls
    back the writes the entries recorded. Outside a transaction, or inside another deferred block, entries are
    appended as they come (or by the outer block).
    """
    if not connection.in_atomic_block or _pending.get() is not None:
        yield
        return
    pending: list[tuple[Any, str, ContentOf, _Written]] = []
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    if pending and not connection.needs_rollback:
        _flush(pending)


def flush_deferred() -> None:
    """Write the entries the enclosing ``deferred()`` block holds so far: a long block (a whole import) writes
    them in batches, between rows."""
    pending = _pending.get()
    if pending and not connection.needs_rollback:
        _flush(pending)
        pending.clear()


def _defer(
    pending: list[tuple[Any, str, ContentOf, _Written]], entry: Any, chain: str, content_of: ContentOf
) -> None:
    from core.validation import check_instance

    check_instance(entry)  # what ``entry.save()`` would refuse, refused now
    marker = _Written()
    transaction.on_commit(marker)
    pending.append((entry, chain, content_of, marker))


def _flush(pending: list[tuple[Any, str, ContentOf, _Written]]) -> None:
    from core.models import ChainHead

    ours = {id(marker) for *_, marker in pending}
    # Django keeps (savepoint ids, callback, robust) per commit callback and drops those of a rolled-back savepoint.
    live = {id(item[1]) for item in connection.run_on_commit} & ours
    # The markers have served: take them out, so the list does not grow with every row of a long import.
    connection.run_on_commit[:] = [item for item in connection.run_on_commit if id(item[1]) not in ours]
    chains: dict[str, list[tuple[Any, ContentOf]]] = {}
    for entry, chain, content_of, marker in pending:
        if id(marker) in live:
            chains.setdefault(chain, []).append((entry, content_of))
    for chain, entries in chains.items():
        known = _known_heads().get(chain)
        if known is None or not _advance_known(chain, entries, known):
            head, _ = ChainHead.objects.select_for_update().get_or_create(name=chain)
            seq, digest = _number_all(entries, head.last_seq, head.last_hash if head.last_seq else GENESIS)
            _advance(head, chain, seq, digest)
            _known_heads()[chain] = (seq, digest)
        _insert([e for e, _ in entries])


def _insert(entries: list[Any]) -> None:
    """Insert ``entries`` (all of one model, numbered and hashed) with one prepared statement run for every row.

    ``bulk_create`` would compile each field of each row into SQL (0.2 ms a row, a tenth of a whole import's
    time); the entries of a chain are plain values already checked when they were appended, and nothing reads
    their ids afterwards, so the statement is built once and the rows are sent as parameters.
    """
    model = type(entries[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    prepare = [(f.attname, f.get_db_prep_save) for f in fields]
    rows = [[prep(getattr(entry, name), connection) for name, prep in prepare] for entry in entries]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _advance_known(chain: str, entries: list[tuple[Any, ContentOf]], known: tuple[int, str]) -> bool:
    """Number ``entries`` after the head this connection left, and advance the head if it is still there."""
    from core.models import ChainHead

    seq, digest = _number_all(entries, *known)
    advanced = ChainHead.objects.filter(name=chain, last_seq=known[0], last_hash=known[1]).update(
        last_seq=seq, last_hash=digest, mac=head_mac(chain, seq, digest)
    )
    if advanced:
        _known_heads()[chain] = (seq, digest)
    return bool(advanced)


def _number_all(entries: list[tuple[Any, ContentOf]], seq: int, digest: str) -> tuple[int, str]:
    for entry, content_of in entries:
        seq += 1
        digest = _number(entry, content_of, seq, digest)
    return seq, digest


def _number(entry: Any, content_of: Callable[[Any], dict[str, Any]], seq: int, prev_hash: str) -> str:
    entry.seq, entry.prev_hash = seq, prev_hash
    entry.hash = entry_hash(prev_hash, {**content_of(entry), "seq": seq})
    return str(entry.hash)


def _known_heads() -> dict[str, tuple[int, str]]:
    """The (sequence number, hash) this connection last wrote to each chain's head: a guess, checked on use."""
    heads: dict[str, tuple[int, str]] | None = getattr(connection, "_fazhi_chain_heads", None)
    if heads is None:
        heads = {}
        connection._fazhi_chain_heads = heads  # type: ignore[attr-defined]
    return heads


def _advance(head: Any, chain: str, seq: int, digest: str) -> None:
    head.last_seq, head.last_hash = seq, digest
    head.mac = head_mac(chain, seq, digest)
    head.save(update_fields=["last_seq", "last_hash", "mac"])


@dataclass
class Break:
    chain: str
    seq: int | None
    entry_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"第 {self.seq} 号记录（id={self.entry_id}）" if self.seq is not None else "链头"
        return f"[{self.chain}] {where}：{self.reason}"


@contextlib.contextmanager
def read_snapshot() -> Iterator[None]:
    """Run the reads inside the block on one consistent snapshot of the database.

    PostgreSQL: a REPEATABLE READ, READ ONLY transaction. SQLite (WAL): one deferred read
    transaction, which sees the database as of its first read and never blocks writers. Inside
    an enclosing transaction (a caller's, or a test's) the reads already share one snapshot.
    """
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
        return
    with transaction.atomic():
        yield


@dataclass(frozen=True)
class Expected:
    """What an anchor says a chain held when it was signed: ``count`` entries ending in ``last_hash``."""

    count: int
    last_hash: str
    at: str


def verify(
    chain: str,
    entries: Iterator[tuple[int, int, str, str, dict[str, Any]]],
    anchor: Expected | None = None,
) -> Break | None:
    """Walk ``(id, seq, prev_hash, hash, content)`` in sequence order; return the first break.

    With ``anchor`` (the latest signed head kept outside the database) the chain must also reach
    the anchored entry, and that entry must carry the anchored hash.
    """
    from core.models import ChainHead

    expected_prev = GENESIS
    expected_seq = 1
    hash_at_anchor = None
    for entry_id, seq, prev_hash, digest, content in entries:
        if seq != expected_seq:
            if seq > expected_seq:
                return Break(
                    chain, expected_seq, None, f"第 {expected_seq} 至 {seq - 1} 号记录缺失（被删除）"
                )
            return Break(chain, seq, entry_id, "序号重复或倒序（记录被插入）")
        if prev_hash != expected_prev:
            return Break(chain, seq, entry_id, "前序哈希与上一条记录不符（记录被插入或替换）")
        if entry_hash(prev_hash, {**content, "seq": seq}) != digest:
            return Break(chain, seq, entry_id, "内容与哈希不符（记录被修改）")
        if anchor is not None and seq == anchor.count:
            hash_at_anchor = digest
        expected_prev = digest
        expected_seq += 1
    head = ChainHead.objects.filter(name=chain).first()
    last_seq = expected_seq - 1
    head_ok = head is not None and head.mac == head_mac(chain, head.last_seq, head.last_hash)
    if anchor is not None and last_seq < anchor.count:
        said = f"锚点（{anchor.at}）记录到第 {anchor.count} 号"
        if last_seq == 0 and head is None:
            return Break(chain, None, None, f"整条链连同链头被清空：{said}，数据库中没有任何记录")
        if head_ok and head is not None and head.last_seq == last_seq:
            return Break(
                chain,
                last_seq + 1,
                None,
                f"链头被回滚到旧状态：{said}，数据库链头只到第 {last_seq} 号（第 {last_seq + 1} 至 "
                f"{anchor.count} 号记录连同链头被替换）",
            )
        return Break(
            chain,
            last_seq + 1,
            None,
            f"链被截断：{said}，数据库只到第 {last_seq} 号（末尾记录被删除）",
        )
    if anchor is not None and anchor.count and hash_at_anchor != anchor.last_hash:
        return Break(chain, anchor.count, None, f"哈希与锚点（{anchor.at}）不符（该记录之前的链被重写）")
    if head is None:
        if last_seq:
            return Break(chain, None, None, "链头缺失")
        return None
    if not head_ok:
        return Break(chain, None, None, "链头被修改")
    if head.last_seq != last_seq or (last_seq and head.last_hash != expected_prev):
        missing_from = last_seq + 1
        return Break(
            chain,
            missing_from,
            None,
            f"链被截断：链头记录到第 {head.last_seq} 号，实际只到第 {last_seq} 号（末尾记录被删除）",
        )
    return None
