"""A person downloads everything the platform keeps about them, as one JSON file."""

import json

from tests.test_assessment_web import form_for


def test_the_file_holds_the_account_the_lessons_the_quizzes_and_the_assessments(
    app, client, course, instrument, make_user, login
):
    user = login(make_user())
    client.post("/modules/basics/first/complete")
    page = client.get("/modules/basics/quiz").get_data(as_text=True)
    attempt = page.split('action="/attempts/', 1)[1].split('"', 1)[0]
    client.post(f"/attempts/{attempt}", data={"submit_anyway": "1"})
    client.post(
        "/assessment/page/customer-marketing",
        data=form_for("customer-marketing", lambda q: "yes" if q.kind == "yesno" else None),
    )
    response = client.get("/account/my-data.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "private, no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == user.email and data["account"]["name"] == user.name
    assert [(row["module"], row["lesson"]) for row in data["lessons"]] == [("basics", "first")]
    assert data["lessons"][0]["completed_at"]
    assert [row["module"] for row in data["quiz_attempts"]] == ["basics"]
    assert data["quiz_attempts"][0]["score"] is not None
    assert data["assessments"][0]["answers"]
    assert data["account"]["sessions"]
    assert [row["state"] for row in data["companies"]] == ["active"]
    assert data["reminders"] == {"reminders": True, "sent": []}
    assert data["programmes"] == []
