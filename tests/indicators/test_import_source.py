"""The uploaded original of an import is kept in storage and only its municipality's editors
can download it from the batch page; it never has a public address."""

import io
import re
import socket
from email.message import Message
from pathlib import Path

import boto3
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from moto.server import ThreadedMotoServer
from openpyxl import Workbook

from roadmap.indicators import imports, services
from roadmap.indicators.models import ImportBatch
from tests.conftest import member
from tests.real_settings import environment_with, real_settings

from .helpers import GHG_CODE

pytestmark = pytest.mark.django_db
CSV = f"indicator;period;value\n{GHG_CODE};2023;3,1\n".encode()
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STORED_NAME = re.compile(r"imports/fjordvik/\d{4}/[A-Za-z0-9]{20}/[a-z0-9-]+(\.[a-z0-9-]+)?")


def _url(name, municipality, **kwargs):
    return reverse(f"indicators:{name}", kwargs={"municipality": municipality.slug, **kwargs})


def _upload(client, municipality, data, name="data.csv"):
    response = client.post(
        _url("import", municipality), {"file": SimpleUploadedFile(name, data, "text/csv")}
    )
    assert response.status_code == 302
    return ImportBatch.objects.latest("created_at")


def _download_name(response) -> str:
    """The file name a browser takes from Content-Disposition."""
    header = Message()
    header["Content-Disposition"] = response["Content-Disposition"]
    return header.get_filename()


def _upload_and_download(client, municipality, editor):
    client.force_login(editor)
    batch = _upload(client, municipality, CSV, name="Utslipp 2023.csv")
    page = client.get(_url("import_batch", municipality, pk=batch.pk)).content.decode()
    source_url = _url("import_source", municipality, pk=batch.pk)
    assert f'href="{source_url}">Download the uploaded file</a>' in page
    assert batch.source.name not in page  # no address of the storage itself
    response = client.get(source_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CSV
    assert response["Content-Type"] == "text/csv"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert _download_name(response) == "Utslipp 2023.csv"
    assert "private" in response["Cache-Control"]
    return batch


def test_an_editor_downloads_exactly_what_was_uploaded(client, municipality, editor):
    batch = _upload_and_download(client, municipality, editor)
    assert STORED_NAME.fullmatch(batch.source.name)
    assert batch.source.name.endswith("/utslipp-2023.csv")
    stored = Path(settings.MEDIA_ROOT, batch.source.name)
    assert stored.read_bytes() == CSV
    assert not stored.is_relative_to(Path(settings.BASE_DIR, "var"))  # tests keep out of var/


def test_a_spreadsheet_is_served_as_one(client, municipality, editor):
    book = Workbook()
    book.active.append(["indicator", "period", "value"])
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(editor)
    batch = _upload(client, municipality, buffer.getvalue(), name="data.xlsx")
    response = client.get(_url("import_source", municipality, pk=batch.pk))
    assert response["Content-Type"] == XLSX_TYPE
    assert b"".join(response.streaming_content) == buffer.getvalue()


def test_a_refused_file_is_kept_too(client, municipality, editor):
    client.force_login(editor)
    batch = _upload(client, municipality, b"\xff\xfe\x00w\x00h\x00a\x00t", name="odd.csv")
    assert batch.status == ImportBatch.Status.REFUSED
    response = client.get(_url("import_source", municipality, pk=batch.pk))
    assert b"".join(response.streaming_content) == b"\xff\xfe\x00w\x00h\x00a\x00t"


def test_a_file_over_the_size_limit_is_refused_and_never_written(
    monkeypatch, client, municipality, editor
):
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", len(CSV))
    batch = services.preview_import(
        actor=editor, municipality=municipality, filename="big.csv", data=CSV
    )
    assert batch.status == ImportBatch.Status.REFUSED
    assert not batch.source
    assert not any(Path(settings.MEDIA_ROOT).rglob("big*"))
    client.force_login(editor)
    page = client.get(_url("import_batch", municipality, pk=batch.pk)).content.decode()
    assert "Download the uploaded file" not in page
    assert client.get(_url("import_source", municipality, pk=batch.pk)).status_code == 404


@pytest.mark.parametrize(
    ("filename", "stored", "offered"),
    [
        ("../../etc/passwd.csv", "passwd.csv", "passwd.csv"),
        ('..\\..\\rapport "endelig";\r\n.csv', "rapport-endelig.csv", 'rapport "endelig";.csv'),
        ("Tromsø målinger.xlsx", "troms-malinger.xlsx", "Tromsø målinger.xlsx"),
        ("<script>alert(1)</script>.html", "script.html", "script>.html"),
        ("..", "upload", "upload"),
    ],
)
def test_a_hostile_file_name_is_stored_and_offered_safely(
    client, municipality, editor, filename, stored, offered
):
    batch = services.preview_import(
        actor=editor, municipality=municipality, filename=filename, data=CSV
    )
    assert STORED_NAME.fullmatch(batch.source.name)
    assert batch.source.name.rsplit("/", 1)[1] == stored
    media = Path(settings.MEDIA_ROOT).resolve()
    assert Path(media, batch.source.name).resolve().is_relative_to(media)
    client.force_login(editor)
    response = client.get(_url("import_source", municipality, pk=batch.pk))
    disposition = response["Content-Disposition"]
    assert not set("\r\n") & set(disposition)
    assert _download_name(response) == offered
    # Whatever the name says, the browser gets CSV or a spreadsheet to save, never a page.
    assert response["Content-Type"] in {"text/csv", XLSX_TYPE}


def test_only_the_municipalitys_editors_can_download(
    client, municipality, other_municipality, editor, outsider, participant
):
    batch = services.preview_import(
        actor=editor, municipality=municipality, filename="data.csv", data=CSV
    )
    url = _url("import_source", municipality, pk=batch.pk)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    for user in (outsider, participant, member(municipality, "assessor")):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(outsider)
    # Through their own municipality's address the batch does not exist.
    assert client.get(_url("import_source", other_municipality, pk=batch.pk)).status_code == 404
    # Nor is there any public address for the stored file.
    assert client.get(f"/media/{batch.source.name}").status_code == 404
    assert client.get(f"/{batch.source.name}").status_code == 404


def test_a_batch_without_a_stored_file_offers_no_download(client, municipality, editor):
    batch = ImportBatch.objects.create(
        municipality=municipality,
        filename="old.csv",
        status="preview",
        columns=[],
        summary={"rows": 1, "problems": 0},
    )
    client.force_login(editor)
    page = client.get(_url("import_batch", municipality, pk=batch.pk)).content.decode()
    assert "Download the uploaded file" not in page
    assert client.get(_url("import_source", municipality, pk=batch.pk)).status_code == 404


def test_a_stored_file_gone_from_storage_is_not_found_not_an_error(client, municipality, editor):
    batch = services.preview_import(
        actor=editor, municipality=municipality, filename="data.csv", data=CSV
    )
    batch.source.storage.delete(batch.source.name)
    client.force_login(editor)
    assert client.get(_url("import_source", municipality, pk=batch.pk)).status_code == 404


# --- S3 -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3_bucket():
    """moto's S3 server over real HTTP on this machine, with an empty bucket."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    environment = {
        "AWS_STORAGE_BUCKET_NAME": "roadmap-uploads",
        "AWS_S3_ENDPOINT_URL": f"http://{host}:{port}",
        "AWS_S3_REGION_NAME": "eu-north-1",
        "AWS_ACCESS_KEY_ID": "test-key",
        "AWS_SECRET_ACCESS_KEY": "test-secret",
    }
    client = boto3.client(
        "s3",
        endpoint_url=environment["AWS_S3_ENDPOINT_URL"],
        region_name=environment["AWS_S3_REGION_NAME"],
        aws_access_key_id=environment["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=environment["AWS_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(
        Bucket="roadmap-uploads",
        CreateBucketConfiguration={"LocationConstraint": "eu-north-1"},
    )
    yield client, environment
    server.stop()


def test_uploads_go_to_a_private_s3_bucket_and_come_back(s3_bucket, client, municipality, editor):
    s3, environment = s3_bucket
    storages = real_settings(environment_with(**environment), "STORAGES")["STORAGES"]
    assert storages["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    with override_settings(STORAGES={**settings.STORAGES, "default": storages["default"]}):
        batch = _upload_and_download(client, municipality, editor)
    stored = s3.get_object(Bucket="roadmap-uploads", Key=batch.source.name)
    assert stored["Body"].read() == CSV
    grants = s3.get_object_acl(Bucket="roadmap-uploads", Key=batch.source.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner only
    assert not Path(settings.MEDIA_ROOT, batch.source.name).exists()
