"""Demo data for trying the platform: one company and one account per role."""

from sqlalchemy import select

from app.auth import services as auth_services
from app.auth.models import Company
from app.extensions import db

DEMO_PASSWORD = "demo-password"  # noqa: S105 - printed to the person trying the demo
DEMO_ACCOUNTS = (
    ("learner", "learner@demo.dxacademy.vn", "Nguyễn Thị Lan"),
    ("trainer", "trainer@demo.dxacademy.vn", "Trần Văn Minh"),
    ("admin", "admin@demo.dxacademy.vn", "Lê Quốc Bảo"),
)


def create_demo() -> list[tuple[str, str, str]]:
    """Create what is missing (running it twice changes nothing); return the logins."""
    company = db.session.scalar(select(Company).filter_by(name="Cà phê Sông Hàn"))
    if company is None:
        company = auth_services.create_company(
            auth_services.NewCompany(
                name="Cà phê Sông Hàn", sector="food", size_band="small", province="Đà Nẵng"
            )
        )
    for role, email, name in DEMO_ACCOUNTS:
        if auth_services.get_user_by_email(email) is None:
            user = auth_services.create_user(
                email=email,
                name=name,
                password=DEMO_PASSWORD,
                role=role,
                company=company if role == "learner" else None,
            )
            user.is_company_manager = role == "learner"
    return [(role, email, DEMO_PASSWORD) for role, email, _name in DEMO_ACCOUNTS]
