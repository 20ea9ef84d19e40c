"""A person's own data: everything the platform keeps about them, as one JSON file that
they download from their account page. Each feature gives its own part."""

import json
from datetime import datetime

from flask import Blueprint, Response
from flask_login import current_user, login_required

from app.assessment import services as assessment_services
from app.auth import membership
from app.auth import services as auth_services
from app.certificates import services as certificate_services
from app.db_types import utcnow
from app.learn import services as learn_services
from app.programmes import services as programme_services
from app.quizzes.services import results
from app.reminders import services as reminders_services

bp = Blueprint("mydata", __name__)


def _plain(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not kept as JSON")


@bp.get("/account/my-data.json")
@login_required
def download():
    user = current_user._get_current_object()
    data = {
        "exported_at": utcnow(),
        "account": auth_services.data_of(user),
        "companies": membership.data_of(user),
        "programmes": programme_services.data_of(user),
        "lessons": learn_services.data_of(user),
        "quiz_attempts": results.data_of(user.id),
        "assessments": assessment_services.data_of(user),
        "certificates": certificate_services.data_of(user),
        "reminders": reminders_services.data_of(user),
    }
    body = json.dumps(data, ensure_ascii=False, indent=2, default=_plain)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="dx-academy-my-data.json"'},
    )
