"""The background worker: django-tasks-db's ``db_worker`` plus the platform's housekeeping.

Besides running queued tasks (imports, exports, reports …), a thread of its own, every minute:
writes the worker's heartbeat (the job page tells a queued job's user when no worker runs), marks
failed the jobs whose worker died mid-run (``core.jobs.sweep_interrupted``), and once a day, when the
local hour reaches FAZHI_NIGHTLY_HOUR, enqueues the nightly work (``core.jobs.NIGHTLY``: the audit
anchor, pruning of old task results and job files). ``./run demo`` and ``./run serve`` start it and
restart it when it dies (docs/jobs.md).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

logger = logging.getLogger("fazhi.jobs")
HOUSEKEEPING_SECONDS = 60
BEAT_SECONDS = 10


class Command(DbWorkerCommand):
    help = (
        "后台任务进程：执行排队的导入、导出等任务；每天到 FAZHI_NIGHTLY_HOUR 时加入夜间例行任务"
        "（审计链锚定、清理过期任务文件）；把中途停止的任务标为失败。"
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-schedule", action="store_true", help="不加入夜间例行任务（只执行队列中的任务）"
        )
        parser.set_defaults(reload=False)  # a reloaded worker may stop a task mid-way: never by default

    def handle(self, *args: Any, **options: Any) -> None:
        from core import jobs

        worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
        options["worker_id"] = worker_id
        schedule = not options.pop("no_schedule")
        stop = threading.Event()

        def housekeeping() -> None:
            rounds = 0
            while not stop.is_set():
                try:
                    jobs.worker_beat(worker_id)
                    if rounds % (HOUSEKEEPING_SECONDS // BEAT_SECONDS) == 0:
                        jobs.housekeeping(schedule=schedule)
                except Exception:  # never let the housekeeping thread die: try again next round
                    logger.exception("后台任务进程的例行检查出错")
                finally:
                    close_old_connections()
                rounds += 1
                stop.wait(BEAT_SECONDS)
            connection.close()

        jobs.worker_beat(worker_id)
        try:
            swept = (
                jobs.sweep_interrupted()
            )  # jobs left "进行中" by a worker that died (e.g. before a restart)
        except DatabaseError:
            swept = 0  # the database is busy (an import elsewhere): the housekeeping thread tries again
        if swept and options.get("verbosity", 1) >= 1:
            self.stdout.write(f"已将 {swept} 个中途停止的任务标为失败。")
        thread = threading.Thread(target=housekeeping, name="fazhi-worker-housekeeping", daemon=True)
        thread.start()
        hour = settings.FAZHI_NIGHTLY_HOUR
        if options.get("verbosity", 1) >= 1:
            plan = f"夜间例行任务每天{hour}点后加入队列" if schedule else "不加入夜间例行任务"
            self.stdout.write(f"后台任务进程已启动（{worker_id}）：{plan}。")
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            thread.join(timeout=5)
            jobs.worker_gone(worker_id)
