"""Demo data for trying the platform: a company whose three staff members have taken the
maturity assessment and see it differently (one of them has completed the first module
and holds its certificate), a trainer and an administrator."""

from sqlalchemy import select

from app.assessment import services as assessment_services
from app.assessment.instrument import Instrument, Question
from app.auth import services as auth_services
from app.auth.models import Company, Membership
from app.certificates import services as certificate_services
from app.certificates.models import Certificate
from app.content.models import Module
from app.db_types import utcnow
from app.extensions import db
from app.languages import LANGUAGES
from app.learn import services as learn_services
from app.quizzes.pool import PoolQuestion, get_pool
from app.quizzes.services import attempts

DEMO_PASSWORD = "demo-password"  # noqa: S105 - printed to the person trying the demo
DEMO_ACCOUNTS = (
    # role, email, name, is the company's manager, how far the person thinks it has got
    ("learner", "learner@demo.dxacademy.vn", "Nguyễn Thị Lan", True, 3),
    ("learner", "staff1@demo.dxacademy.vn", "Phạm Minh Tuấn", False, 2),
    ("learner", "staff2@demo.dxacademy.vn", "Võ Thị Hạnh", False, 4),
    ("trainer", "trainer@demo.dxacademy.vn", "Trần Văn Minh", False, None),
    ("admin", "admin@demo.dxacademy.vn", "Lê Quốc Bảo", False, None),
)


def demo_answer(question: Question, reached: int):
    """What someone who believes the company has reached step ``reached`` answers."""
    gap = question.step - reached
    if question.kind == "yesno":
        return "yes" if gap <= 0 else ("partly" if gap == 1 else "no")
    if question.kind == "scale":
        return max(0, min(5, 4 - 2 * gap))
    if question.kind == "checklist":
        count = len(question.options) if gap <= 0 else max(0, len(question.options) // 2 - gap)
        return list(question.option_ids[:count])
    if question.better == "lower":
        return 2 if gap <= 0 else 30
    low = question.minimum or 0
    high = question.maximum if question.maximum is not None else 1000
    return float(min(high, max(low, 10 * reached)))


def create_demo() -> list[tuple[str, str, str]]:
    """Create what is missing (running it twice changes nothing); return the logins."""
    company = db.session.scalar(select(Company).filter_by(name="Cà phê Sông Hàn"))
    if company is None:
        company = auth_services.create_company(
            auth_services.NewCompany(
                name="Cà phê Sông Hàn", sector="food", size_band="small", province="Đà Nẵng"
            )
        )
        db.session.flush()
    instrument = assessment_services.get_instrument()
    for role, email, name, manager, reached in DEMO_ACCOUNTS:
        if auth_services.get_user_by_email(email) is not None:
            continue
        user = auth_services.create_user(email=email, name=name, password=DEMO_PASSWORD, role=role)
        user.email_confirmed_at = utcnow()
        if role == "learner":
            db.session.add(
                Membership(
                    company_id=company.id,
                    user_id=user.id,
                    state="active",
                    source="founder" if manager else "invitation",
                    is_manager=manager,
                    joined_at=utcnow(),
                )
            )
            db.session.flush()
        if reached is not None and instrument is not None:
            _answer(user, instrument, reached)
    _certify(DEMO_ACCOUNTS[1][1])
    return [(role, email, DEMO_PASSWORD) for role, email, *_rest in DEMO_ACCOUNTS]


def _certify(email: str) -> None:
    """The demo learner has read every lesson of the first module and passed its quiz,
    so holds its certificate, issued as anyone's is (no e-mail: there is no address for
    its links outside a request, and nobody reads the demo's inbox)."""
    user = auth_services.get_user_by_email(email)
    module = db.session.scalar(select(Module).order_by(Module.position).limit(1))
    if user is None or module is None:
        return
    if db.session.scalar(select(Certificate.id).where(Certificate.user_id == user.id).limit(1)):
        return
    for lesson in module.lessons:
        learn_services.complete_lesson(user, lesson.id)
    pools = [pool for lang in LANGUAGES if (pool := get_pool(module.id, lang)) is not None]
    if pools and pools[0].size:
        attempt = attempts.start_or_resume(user.id, pools[0])
        questions = pools[0].by_id
        responses = {
            str(entry["id"]): _right_response(questions[entry["id"]])
            for entry in attempt.layout
            if questions[entry["id"]].scored
        }
        attempts.submit_attempt(attempt, responses, pools)
    if not certificate_services.held_by(user):  # a module without a quiz, say
        certificate_services.issue(user, module=module, reason="Lớp học trực tiếp",
                                   notify=False)  # fmt: skip


def _right_response(question: PoolQuestion) -> object:
    """A response the question gives full marks: of the forms a stored response takes,
    the first its kind grades right (app.quizzes.kinds)."""
    q, kind = question.question, question.kind_class
    right = kind.right_answers(q)
    candidates = [*right, sorted(right), True, False, *(answer.text for answer in q.answers),
                  {str(i): i for i in range(len(q.answers))}]  # fmt: skip
    return next((c for c in candidates if kind.grade(q, c).score >= 1), None)


def _answer(user, instrument: Instrument, reached: int) -> None:
    answers = {q.id: demo_answer(q, reached) for q in instrument.questions}
    assessment_services.save_answers(user, answers)
    assessment_services.submit(user)
