"""The studio's speed: previewing and saving a 1,500-word lesson, each timed as server
time (the request through the application in this process, on a fresh SQLite database
holding the course), the median of several runs. Target: each under 100 ms.

Usage: python bench/studio.py [--runs N]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.services import SESSION_TOKEN, create_user, start_session  # noqa: E402
from app.content.models import Lesson  # noqa: E402
from app.course import import_files, read  # noqa: E402
from app.extensions import db  # noqa: E402
from app.studio import services  # noqa: E402

TARGET_MS = 100
PARAGRAPH = (
    "Một doanh nghiệp nhỏ bắt đầu chuyển đổi số bằng việc ghi lại mọi khách hàng vào "
    "một danh sách chung, gửi **thư định kỳ** và đo xem ai quay lại mua lần hai."
)


def lesson_text(words: int, variant: int) -> str:
    paragraph_words = len(PARAGRAPH.split())
    body = "\n\n".join(f"{PARAGRAPH} ({variant}.{n})" for n in range(words // paragraph_words))
    return f"# Bài đo tốc độ\n\n## Phần một\n\n{body}\n"


def median_ms(action, runs: int) -> float:
    action(-1)  # warm-up
    times = []
    for n in range(runs):
        start = time.perf_counter()
        action(n)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    folder = tempfile.mkdtemp()
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/studio.sqlite",
                      "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False})  # fmt: skip
    with app.app_context():
        db.create_all()
        import_files(read(ROOT))
        trainer = create_user(email="trainer@example.vn", name="Giảng viên",
                              password="bench-trainer-1", role="trainer")  # fmt: skip
        token = start_session(trainer)
        db.session.commit()
        trainer_id = trainer.id
        lesson_id = db.session.scalar(select(Lesson.id).order_by(Lesson.id))
    client = app.test_client()
    with client.session_transaction() as session:
        session.update({"_user_id": str(trainer_id), "_fresh": True, SESSION_TOKEN: token})
    words = len(lesson_text(1500, 0).split())
    url = f"/studio/lessons/{lesson_id}/vi"

    def preview(n: int) -> None:
        response = client.post(url + "/preview", data={"source": lesson_text(1500, n)})
        assert response.status_code == 200, response.status_code

    def save(n: int) -> None:
        with app.app_context():
            base = services.latest(lesson_id, "vi").id
        response = client.post(url, data={"source": lesson_text(1500, n), "base": base,
                                          "save": "y"})  # fmt: skip
        assert response.status_code == 302, response.status_code

    for name, action in (("preview", preview), ("save", save)):
        ms = median_ms(action, options.runs)
        verdict = "ok" if ms < TARGET_MS else "ABOVE TARGET"
        print(f"studio {name} of a {words}-word lesson: {ms:.0f} ms "
              f"(target < {TARGET_MS} ms) {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
