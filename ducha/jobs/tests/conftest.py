import pytest

HEADER = "指标代码,单位,期间,数值,说明\n"
COUNT = "TJ-IND-SUPPLIER50"


def values_csv(n: int) -> bytes:
    """n rows of two districts' own COUNT figures, a quarter a row (n ≤ 24)."""
    districts = ["和平区", "河东区"]
    rows = []
    for i in range(n):
        year, quarter = 2018 + (i // 4) % 3, i % 4 + 1
        rows.append(f"{COUNT},{districts[(i // 12) % 2]},{year}Q{quarter},{i},\n")
    return (HEADER + "".join(rows)).encode()


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def queue(settings, monkeypatch):
    """Jobs wait in the database queue, as in production; `queue()` runs them all in this
    process (a batch worker) and returns how many it ran."""
    from ducha.jobs import worker as worker_module

    settings.TASKS = DATABASE_TASKS
    # The test's transaction must survive the worker's connection housekeeping.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run() -> int:
        return worker_module.run_queued("test-worker")

    return run
