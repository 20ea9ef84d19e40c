"""A module's images and files: uploaded in the studio, checked by their content and
stored re-encoded, shown in a lesson with a phone-sized copy, served with an ETag and long
caching, and carried through an export and an import of the files unchanged."""

import io
import shutil
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import select

from app.content import media
from app.content.files import read_course
from app.content.models import Lesson, Module, ModuleMedia
from app.course import export, import_files, read
from app.extensions import db
from tests.conftest import FIXTURE_COURSE

ALT = {"alt_vi": "Biểu đồ doanh thu theo tháng", "alt_en": "Monthly revenue chart"}


def image_bytes(fmt="PNG", size=(1600, 900), exif=False) -> bytes:
    image = Image.new("RGB", size, (30, 120, 200))
    for x in range(0, size[0], 50):  # some detail, so that sizes differ between encodings
        image.paste((250, 200, 10), (x, 0, x + 10, size[1]))
    out = io.BytesIO()
    extra = {}
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "Camera maker"  # Make
        tags[0x0112] = 6  # Orientation: turned a quarter
        extra["exif"] = tags.tobytes()
    image.save(out, fmt, **extra)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


@pytest.fixture
def trainer(make_user, login):
    return login(make_user(role="trainer", locale="en", name="Trainer Lan"))


@pytest.fixture
def module_id(app, course) -> int:
    with app.app_context():
        return db.session.scalar(select(Module.id).filter_by(slug="basics"))


def upload(client, module_id, data, name, **fields):
    form = {**fields, "file": (io.BytesIO(data), name)}
    return client.post(f"/studio/modules/{module_id}/media", data=form,
                       content_type="multipart/form-data")  # fmt: skip


def stored(app, module_id, name) -> ModuleMedia | None:
    with app.app_context():
        row = db.session.scalar(select(ModuleMedia).filter_by(module_id=module_id, name=name))
        if row is not None:
            _ = row.data, row.phone  # loaded before the session ends
            db.session.expunge(row)
        return row


# -- the pure checks -------------------------------------------------------------------------


def test_metadata_is_stripped_and_the_orientation_applied():
    processed = media.process(image_bytes("JPEG", exif=True), "Ảnh chụp.JPG")
    assert processed.name == "anh-chup.jpg" and processed.content_type == "image/jpeg"
    image = Image.open(io.BytesIO(processed.data))
    assert not image.getexif() and "exif" not in image.info
    assert (processed.width, processed.height) == (900, 1600)  # turned as the camera meant


def test_the_phone_copy_is_narrower_and_smaller():
    processed = media.process(image_bytes(size=(2000, 1000)), "wide.png")
    assert processed.phone is not None and len(processed.phone) < len(processed.data)
    assert Image.open(io.BytesIO(processed.phone)).size == (720, 360)


def test_a_huge_image_is_scaled_down():
    processed = media.process(image_bytes("WEBP", size=(4800, 1200)), "banner.webp")
    assert (processed.width, processed.height) == (2400, 600)


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (b"#!/bin/sh\nrm -rf /\n", "photo.png", "not a PNG, JPEG or WebP image"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
         "logo.svg", "SVG images are not accepted"),
        (b"<svg><script>alert(1)</script></svg>", "logo.png", "not a PNG, JPEG or WebP"),
        (b"MZ\x90\x00", "tool.exe", ".exe files are not accepted"),
        (b"not a pdf", "guide.pdf", "not a PDF document"),
        (b"PK\x03\x04 broken", "sheet.xlsx", "not an Excel workbook"),
        (b"a,b\x00,c", "data.csv", "not CSV text in UTF-8"),
        (b"\xff\xfe\x00a", "data.csv", "not CSV text in UTF-8"),
        (image_bytes("PNG", size=(10, 10)), "photo.jpg", "its name must end in .png"),
        (b"", "empty.png", "the file is empty"),
        (b"x" * (media.MAX_BYTES + 1), "big.csv", "larger than 5 MB"),
    ],
)  # fmt: skip
def test_hostile_or_unknown_uploads_are_refused_with_a_reason(data, name, says):
    with pytest.raises(media.MediaProblem) as refused:
        media.process(data, name)
    assert says in refused.value.text


def test_a_decompression_bomb_is_refused_unread():
    bomb = io.BytesIO()
    Image.new("1", (30000, 30000)).save(bomb, "PNG")
    assert len(bomb.getvalue()) < 200_000  # small on disk, 900 million pixels inside
    with pytest.raises(media.MediaProblem) as refused:
        media.process(bomb.getvalue(), "bomb.png")
    assert "more pixels" in refused.value.text or "more than can be read" in refused.value.text


def test_files_are_kept_as_they_are():
    for data, name, kind in [(b"%PDF-1.7\n...", "guide.pdf", "application/pdf"),
                             (xlsx_bytes(), "plan.xlsx", "spreadsheetml"),
                             ("Tên,Điểm\nAn,9\n".encode(), "scores.csv", "text/csv")]:  # fmt: skip
        processed = media.process(data, name)
        assert processed.data == data and kind in processed.content_type
        assert processed.kind == "file" and processed.phone is None


@given(st.text(max_size=120))
def test_a_safe_name_is_safe_and_stays_as_it_is(name):
    safe = media.safe_name(name)
    assert safe == "" or (media.NAME.match(safe) and len(safe) <= media.MAX_NAME)
    assert media.safe_name(safe) == safe


# -- the studio ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (image_bytes("PNG"), "chart.png", "image/png"),
        (image_bytes("JPEG"), "shop.jpg", "image/jpeg"),
        (image_bytes("WEBP"), "team.webp", "image/webp"),
        (b"%PDF-1.4\n", "checklist.pdf", "application/pdf"),
        (xlsx_bytes(), "budget.xlsx", "spreadsheetml"),
        (b"a,b\n1,2\n", "leads.csv", "text/csv"),
    ],
)
def test_a_trainer_uploads_each_kind(app, client, module_id, trainer, data, name, kind):
    response = upload(client, module_id, data, name, **ALT)
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert name in page and f"](media/{name})" in page  # the Markdown to paste
    row = stored(app, module_id, name)
    assert row is not None and kind in row.content_type and row.uploaded_by_id == trainer.id


def test_an_image_without_alt_text_is_refused_next_to_the_field(app, client, module_id, trainer):
    response = upload(client, module_id, image_bytes(), "chart.png", alt_vi="Biểu đồ")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    english = page.split('id="alt_en"', 1)[1]
    assert "Say what the image shows" in english.split("</div>", 1)[0]
    assert stored(app, module_id, "chart.png") is None


def test_a_script_renamed_png_is_refused_next_to_the_file(app, client, module_id, trainer):
    response = upload(client, module_id, b"<script>alert(1)</script>", "photo.png", **ALT)
    assert response.status_code == 400
    assert "whatever its name says" in response.get_data(as_text=True)
    assert stored(app, module_id, "photo.png") is None


def test_an_oversized_upload_gets_a_clear_413(client, module_id, trainer):
    response = upload(client, module_id, b"a" * (6 * 1024 * 1024), "big.csv")
    assert response.status_code == 413
    assert "larger than this page accepts" in response.get_data(as_text=True)


def test_an_upload_larger_than_other_forms_accept_is_taken(app, client, module_id, trainer):
    rows = b"ten,characters\n" * (3 * 1024 * 1024 // 15)  # 3 MB: above a form's 2 MB
    assert upload(client, module_id, rows, "leads.csv").status_code == 302
    assert stored(app, module_id, "leads.csv").size == len(rows)


def test_a_name_taken_in_the_module_is_refused(client, module_id, trainer):
    upload(client, module_id, b"a,b\n", "leads.csv")
    response = upload(client, module_id, b"c,d\n", "Leads.CSV")
    assert response.status_code == 400 and "already" in response.get_data(as_text=True)


def test_the_lesson_editor_lists_the_media_to_insert(app, client, module_id, trainer):
    upload(client, module_id, image_bytes(), "chart.png", **ALT)
    with app.app_context():
        lesson_id = db.session.scalar(select(Lesson.id).filter_by(module_id=module_id))
    english = client.get(f"/studio/lessons/{lesson_id}/en").get_data(as_text=True)
    assert "<code>![Monthly revenue chart](media/chart.png)</code>" in english
    assert 'data-insert="![Monthly revenue chart](media/chart.png)"' in english
    assert "studio.js" in english
    vietnamese = client.get(f"/studio/lessons/{lesson_id}/vi").get_data(as_text=True)
    assert "![Biểu đồ doanh thu theo tháng](media/chart.png)" in vietnamese


def publish(client, app, lesson_id, lang, text):
    page = client.get(f"/studio/lessons/{lesson_id}/{lang}").get_data(as_text=True)
    base = int(page.split('name="base" value="', 1)[1].split('"', 1)[0])
    response = client.post(f"/studio/lessons/{lesson_id}/{lang}",
                           data={"source": text, "base": base, "save": "y"})  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(f"/studio/lessons/{lesson_id}/{lang}").get_data(as_text=True)
    draft = page.split('name="revision" value="', 1)[1].split('"', 1)[0]
    client.post(f"/studio/lessons/{lesson_id}/{lang}/publish", data={"revision": draft})


def test_a_learner_sees_the_image_of_a_published_lesson(
    app, client, module_id, trainer, make_user, login
):
    upload(client, module_id, image_bytes(size=(1600, 900)), "chart.png", **ALT)
    with app.app_context():
        lesson_id = db.session.scalar(select(Lesson.id).filter_by(module_id=module_id, position=1))
    publish(client, app, lesson_id, "vi",
            "# Bài đầu tiên\n\n![Biểu đồ doanh thu theo tháng](media/chart.png)\n")  # fmt: skip
    login(make_user())
    page = client.get("/modules/basics/first").get_data(as_text=True)
    img = page.split("<img", 1)[1].split(">", 1)[0]
    assert 'alt="Biểu đồ doanh thu theo tháng"' in img
    assert 'width="1600"' in img and 'height="900"' in img and 'loading="lazy"' in img
    src = img.split(' src="', 1)[1].split('"', 1)[0]
    assert src.startswith(f"/media/{module_id}/chart.png?v=") and "/phone/chart.png" in img
    picture = client.get(src)
    assert picture.status_code == 200 and picture.content_type == "image/png"
    assert Image.open(io.BytesIO(picture.data)).size == (1600, 900)
    phone = client.get(img.split(' srcset="', 1)[1].split(" ", 1)[0])
    assert phone.content_type == "image/webp" and len(phone.data) < len(picture.data)
    # a published lesson shows it: it cannot be deleted under the learners' eyes
    login(make_user(role="trainer", locale="en"))
    row = stored(app, module_id, "chart.png")
    response = client.post(f"/studio/media/{row.id}/delete", follow_redirects=True)
    assert "A published lesson shows this file" in response.get_data(as_text=True)
    assert stored(app, module_id, "chart.png") is not None


def test_saving_a_lesson_naming_a_missing_file_is_refused(app, client, module_id, trainer):
    with app.app_context():
        lesson_id = db.session.scalar(select(Lesson.id).filter_by(module_id=module_id))
    page = client.get(f"/studio/lessons/{lesson_id}/en").get_data(as_text=True)
    base = int(page.split('name="base" value="', 1)[1].split('"', 1)[0])
    response = client.post(f"/studio/lessons/{lesson_id}/en", data={
        "source": "# First\n\n![A chart](media/nope.png)\n\n![](media/chart.png)\n",
        "base": base, "save": "y"})  # fmt: skip
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "the module has no file media/nope.png" in text
    assert "an image needs a text for those who cannot see it" in text


def test_an_unused_file_is_deleted(app, client, module_id, trainer):
    upload(client, module_id, b"a,b\n", "leads.csv")
    row = stored(app, module_id, "leads.csv")
    response = client.post(f"/studio/media/{row.id}/delete")
    assert response.status_code == 302 and stored(app, module_id, "leads.csv") is None


# -- serving ---------------------------------------------------------------------------------


def test_serving_gives_an_etag_long_caching_and_304(app, client, module_id, trainer):
    upload(client, module_id, image_bytes(), "chart.png", **ALT)
    upload(client, module_id, b"%PDF-1.4\n", "guide.pdf")
    row = stored(app, module_id, "chart.png")
    anonymous = app.test_client()
    versioned = anonymous.get(f"/media/{module_id}/chart.png?v={row.sha256[:16]}")
    assert versioned.headers["ETag"] == f'"{row.sha256}"'
    assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert versioned.headers["X-Content-Type-Options"] == "nosniff"
    plain = anonymous.get(f"/media/{module_id}/chart.png")
    assert "immutable" not in plain.headers["Cache-Control"]
    again = anonymous.get(f"/media/{module_id}/chart.png",
                          headers={"If-None-Match": f'"{row.sha256}"'})  # fmt: skip
    assert again.status_code == 304 and not again.data
    pdf = anonymous.get(f"/media/{module_id}/guide.pdf")
    assert pdf.content_type == "application/pdf"
    assert pdf.headers["Content-Disposition"] == 'attachment; filename="guide.pdf"'
    assert anonymous.get(f"/media/{module_id}/missing.png").status_code == 404


# -- the files -------------------------------------------------------------------------------


def with_media(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSE, root)
    folder = root / "courses" / "01-basics"
    (folder / "media").mkdir()
    (folder / "media" / "chart.jpg").write_bytes(image_bytes("JPEG", exif=True))
    (folder / "media" / "plan.csv").write_bytes("Việc,Hạn\nGọi khách,Thứ hai\n".encode())
    (folder / "media" / "media.toml").write_text(
        '["chart.jpg"]\nvi = "Biểu đồ"\nen = "A chart"\n', encoding="utf-8"
    )
    lesson = folder / "01-first.en.md"
    lesson.write_text(lesson.read_text() + "\n![A chart](media/chart.jpg)\n", encoding="utf-8")
    return root


def test_import_then_export_then_import_changes_nothing(app, tmp_path):
    root = with_media(tmp_path)
    with app.app_context():
        report = import_files(read(root))
        db.session.commit()
        assert "media basics/chart.jpg" in report.created
        assert "media basics/plan.csv" in report.created
        again = import_files(read(root))  # the same files, not re-encoded: the same
        assert not again.changed, again
        out = tmp_path / "exported"
        written = export(out)
        assert out / "courses/01-basics/media/chart.jpg" in written
        assert (out / "courses/01-basics/media/media.toml").read_text(encoding="utf-8") == (
            '["chart.jpg"]\nvi = "Biểu đồ"\nen = "A chart"\n'
        )
        exported = (out / "courses/01-basics/media/chart.jpg").read_bytes()
        assert exported != (root / "courses/01-basics/media/chart.jpg").read_bytes()  # clean
        assert not Image.open(io.BytesIO(exported)).getexif()
        assert not import_files(read(out)).changed
        assert export(out) == []  # byte for byte the same
        html = db.session.scalar(
            select(Lesson).filter_by(slug="first")
        ).translations["en"].html  # fmt: skip
        assert '<img alt="A chart"' in html and "/media/" in html


def test_an_upload_in_the_studio_is_not_overwritten_by_an_import(
    app, client, module_id, trainer, tmp_path
):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSE, root)
    (root / "courses/01-basics/media").mkdir()
    (root / "courses/01-basics/media/plan.csv").write_bytes(b"from,the,files\n")
    upload(client, module_id, b"from,the,studio\n", "plan.csv")
    upload(client, module_id, b"only,in,the,studio\n", "extra.csv")
    with app.app_context():
        report = import_files(read(root))
        db.session.commit()
    assert any("plan.csv" in line for line in report.conflicts)
    assert any("extra.csv" in line for line in report.conflicts)
    assert stored(app, module_id, "plan.csv").data == b"from,the,studio\n"
    assert stored(app, module_id, "extra.csv") is not None


def test_the_check_reports_bad_media_by_file(tmp_path, runner):
    root = with_media(tmp_path)
    media_dir = root / "courses/01-basics/media"
    (media_dir / "evil.png").write_bytes(b"<script>alert(1)</script>")
    (media_dir / "Bad Name.csv").write_bytes(b"a\n")
    (media_dir / "media.toml").write_text('["chart.jpg"]\nvi = "Biểu đồ"\n', encoding="utf-8")
    _modules, problems = read_course(root)
    shown = [str(problem) for problem in problems]
    assert any(line.startswith("courses/01-basics/media/evil.png:1: the file is not a PNG")
               for line in shown)  # fmt: skip
    assert any("Bad Name.csv:1:" in line and "rename it bad-name.csv" in line for line in shown)
    assert any("media.toml:1:" in line and "in English ('en')" in line for line in shown)
    result = runner.invoke(args=["content", "check", str(root)])
    assert result.exit_code != 0 and "evil.png" in result.output


def test_the_check_reports_a_text_for_an_image_too_long_to_store(tmp_path):
    root = with_media(tmp_path)
    long = "Một biểu đồ rất chi tiết " * 13
    (root / "courses/01-basics/media/media.toml").write_text(
        f'["chart.jpg"]\nvi = "{long}"\nen = "A chart"\n', encoding="utf-8"
    )
    _modules, problems = read_course(root)
    assert any("vi: the text is longer than 300 characters" in str(p) for p in problems)
