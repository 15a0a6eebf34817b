"""The platform's one background task: run a job (core/jobs.py). Every kind of long work is a ``Job`` whose
runner is chosen by its kind, so the queue holds only job ids and the job row holds everything else."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: int) -> str:
    from core.jobs import execute

    return execute(job_id)
