"""Large imports are checked and committed by background tasks on the database queue; the
batch page says what is happening and refreshes itself, and a lost task does not leave the
person waiting."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from roadmap.core import periodic
from roadmap.core.models import AuditEvent
from roadmap.indicators import imports, services, tasks
from roadmap.indicators.models import ImportBatch, Observation
from tests.core.task_functions import run_worker_batch

from .helpers import GHG_CODE, indicator

pytestmark = pytest.mark.django_db
CSV = f"indicator;period;value\n{GHG_CODE};2023;3,1\n{GHG_CODE};2024;2,9\n".encode()
REFRESH = '<meta http-equiv="refresh" content="3">'
CONFIRM = "Confirm the import"


@pytest.fixture
def database_queue(settings, monkeypatch):
    """The real database queue, without the periodic jobs, and files over 10 bytes large."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(periodic, "_jobs", {})
    monkeypatch.setattr(services, "INLINE_IMPORT_BYTES", 10)


def run_worker() -> None:
    run_worker_batch()


def _url(name, municipality, **kwargs):
    return reverse(f"indicators:{name}", kwargs={"municipality": municipality.slug, **kwargs})


def _upload(client, municipality, data) -> ImportBatch:
    response = client.post(
        _url("import", municipality), {"file": SimpleUploadedFile("data.csv", data, "text/csv")}
    )
    batch = ImportBatch.objects.latest("created_at")
    assert response.url == _url("import_batch", municipality, pk=batch.pk)
    return batch


def _page(client, batch) -> str:
    response = client.get(_url("import_batch", batch.municipality, pk=batch.pk))
    assert response.status_code == 200
    return response.content.decode()


def _checked_batch(client, municipality, editor) -> ImportBatch:
    client.force_login(editor)
    batch = _upload(client, municipality, CSV)
    run_worker()
    batch.refresh_from_db()
    return batch


def test_a_small_file_is_previewed_at_once_without_a_task(settings, client, municipality, editor):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(editor)

    batch = _upload(client, municipality, CSV)

    assert batch.status == ImportBatch.Status.PREVIEW
    assert batch.summary == {"rows": 2, "problems": 0}
    assert not DBTaskResult.objects.exists()
    page = _page(client, batch)
    assert CONFIRM in page and REFRESH not in page


def test_a_large_file_is_checked_in_the_background(database_queue, client, municipality, editor):
    client.force_login(editor)

    batch = _upload(client, municipality, CSV)

    assert batch.status == ImportBatch.Status.CHECKING
    assert batch.source.open("rb").read() == CSV
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "roadmap.indicators.tasks.check_import"
    assert queued.args_kwargs["kwargs"]["batch_id"] == batch.pk
    page = _page(client, batch)
    assert "Checking the file" in page and "The file is being checked." in page
    assert REFRESH in page and "This page refreshes itself every few seconds." in page
    assert f'href="{_url("import_batch", municipality, pk=batch.pk)}">Refresh now</a>' in page
    assert CONFIRM not in page
    listing = client.get(_url("import", municipality)).content.decode()
    assert "data.csv</a> · Checking the file ·" in listing

    run_worker()

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW
    assert batch.summary == {"rows": 2, "problems": 0}
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    page = _page(client, batch)
    assert "All 2 rows are valid. Nothing is saved until you confirm." in page
    assert CONFIRM in page and REFRESH not in page
    assert not Observation.objects.exists()


def test_a_large_file_with_problems_is_reported_row_by_row(
    database_queue, client, municipality, editor
):
    client.force_login(editor)
    batch = _upload(client, municipality, f"indicator;period;value\n{GHG_CODE};2024;x\n".encode())

    run_worker()

    batch.refresh_from_db()
    assert batch.summary == {"rows": 1, "problems": 1}
    page = _page(client, batch)
    assert "“x” is not a number" in page and CONFIRM not in page


def test_a_refused_large_file_says_why(database_queue, client, municipality, editor):
    client.force_login(editor)
    batch = _upload(client, municipality, b"indicator;period\nEN;2024\n")

    run_worker()

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REFUSED
    page = _page(client, batch)
    assert "The import was refused; nothing was saved." in page
    assert "value" in batch.problems[0]["message"] and batch.problems[0]["message"] in page
    assert CONFIRM not in page and REFRESH not in page


def test_the_check_writes_its_messages_in_the_uploaders_language(monkeypatch, municipality, editor):
    monkeypatch.setattr(services, "INLINE_IMPORT_BYTES", 0)
    with translation.override("nb"):
        batch = services.receive_import(
            actor=editor, municipality=municipality, filename="tom.csv", data=b"\n\n"
        )
    batch.refresh_from_db()  # the in-process backend of the tests has run the task
    assert batch.problems[0]["message"] == "Filen er tom."


def test_an_unexpected_error_in_the_check_refuses_the_batch_with_a_message(
    database_queue, client, municipality, editor, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    client.force_login(editor)
    batch = _upload(client, municipality, CSV)
    monkeypatch.setattr(imports, "read_file", broken)

    run_worker()

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REFUSED
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    page = _page(client, batch)
    assert "The file could not be checked because of an unexpected error" in page
    assert REFRESH not in page


def test_a_large_batch_is_committed_in_the_background_once(
    database_queue, client, municipality, editor, monkeypatch
):
    monkeypatch.setattr(services, "INLINE_COMMIT_ROWS", 1)
    batch = _checked_batch(client, municipality, editor)
    url = _url("import_batch", municipality, pk=batch.pk)

    client.post(url)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTING
    assert not Observation.objects.exists()
    page = _page(client, batch)
    assert "The 2 observations are being written." in page and REFRESH in page
    assert "Refresh now" in page and CONFIRM not in page
    assert "Writing the observations" in client.get(_url("import", municipality)).content.decode()
    # A second confirmation while it is written queues nothing more.
    response = client.post(url, follow=True)
    assert "This import cannot be committed" in response.content.decode()
    assert DBTaskResult.objects.filter(task_path__endswith=".commit_import").count() == 1

    run_worker()

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert sorted(Observation.objects.values_list("value", flat=True)) == [2.9, 3.1]
    assert AuditEvent.objects.get(actor=editor).changes["created"] == 2
    page = _page(client, batch)
    assert "Imported: 2 new observations, 0 updated, 0 unchanged." in page
    assert REFRESH not in page

    # The worker died after finishing but before recording it: the task runs again.
    assert not tasks.commit_import.call(batch_id=batch.pk, actor_id=editor.pk, language="en")
    assert Observation.objects.count() == 2
    assert AuditEvent.objects.count() == 1


def test_a_commit_cut_off_writes_nothing_and_its_rerun_completes_it(
    database_queue, client, municipality, editor, monkeypatch
):
    def killed(rows):
        raise SystemExit  # a worker stopped mid-commit: not an error the task handles

    monkeypatch.setattr(services, "INLINE_COMMIT_ROWS", 1)
    batch = _checked_batch(client, municipality, editor)
    client.post(_url("import_batch", municipality, pk=batch.pk))
    with monkeypatch.context() as patch:
        patch.setattr(services, "_update", killed)  # runs after the rows are inserted
        with pytest.raises(SystemExit):
            services.commit_in_background(batch_id=batch.pk, actor_id=editor.pk, language="en")

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTING
    assert not Observation.objects.exists()

    run_worker()  # the queued task, as a rescued one would run again

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert Observation.objects.count() == 2


def test_an_indicator_deleted_before_the_background_commit_refuses_it(
    database_queue, client, municipality, editor, monkeypatch
):
    monkeypatch.setattr(services, "INLINE_COMMIT_ROWS", 1)
    batch = _checked_batch(client, municipality, editor)
    client.post(_url("import_batch", municipality, pk=batch.pk))
    indicator(GHG_CODE).delete()

    run_worker()

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REFUSED
    assert "was deleted after the file was checked" in batch.problems[0]["message"]
    assert not Observation.objects.exists()


def test_another_municipalitys_editor_cannot_start_a_background_commit(
    database_queue, client, municipality, editor, outsider, monkeypatch
):
    monkeypatch.setattr(services, "INLINE_COMMIT_ROWS", 1)
    batch = _checked_batch(client, municipality, editor)
    client.force_login(outsider)

    assert client.post(_url("import_batch", municipality, pk=batch.pk)).status_code == 403

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW
    assert not DBTaskResult.objects.filter(task_path__endswith=".commit_import").exists()


@pytest.mark.parametrize(
    ("status", "stopped"),
    [
        ("checking", "Checking the file stopped before it was done."),
        ("committing", "Writing the observations stopped before it was done."),
    ],
)
def test_a_batch_whose_task_never_finished_says_so_after_15_minutes(
    client, municipality, editor, status, stopped
):
    batch = ImportBatch.objects.create(
        municipality=municipality, filename="lost.csv", status=status, summary={"rows": 5}
    )
    client.force_login(editor)
    assert REFRESH in _page(client, batch)  # still within the limit
    ImportBatch.objects.filter(pk=batch.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=16)
    )

    page = _page(client, batch)

    assert "This import did not finish; nothing was saved." in page and stopped in page
    assert "Upload the file again" in page
    assert REFRESH not in page and CONFIRM not in page
    listing = client.get(_url("import", municipality)).content.decode()
    assert "lost.csv</a> · Did not finish ·" in listing
