"""DX Academy: e-learning for the digital transformation of small and medium enterprises."""

from flask import Flask

from config import DEV_SECRET_KEY, Config


def create_app(overrides: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, error handlers, CLI.
    Nothing here writes to the database or calls the network."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        static_folder="../static",
        template_folder="../templates",
    )
    app.config.from_object(Config)
    app.config.from_prefixed_env("DXA")
    app.config.update(overrides or {})
    if app.config["SECRET_KEY"] == DEV_SECRET_KEY and not (app.debug or app.testing):
        raise RuntimeError("Set SECRET_KEY: the development key is refused in production.")

    from app import (  # noqa: F401
        access,
        errors,
        fragments,
        i18n,
        mail,
        models,
        navigation,
        security,
        static_files,
    )
    from app.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    _tune_sqlite(app)
    migrate.init_app(app, db, render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    fragments.init_app(app)
    security.init_app(app)
    mail.init_app(app)
    static_files.init_app(app)
    navigation.init_app(app)

    from app.admin import certificates as _admin_certificates  # noqa: F401 - on admin_bp
    from app.admin.routes import bp as admin_bp
    from app.assessment.routes import bp as assessment_bp
    from app.auth.routes import bp as auth_bp
    from app.certificates.routes import bp as certificates_bp
    from app.companies.routes import bp as companies_bp
    from app.content.routes import bp as content_bp
    from app.home.routes import bp as home_bp
    from app.learn.routes import bp as learn_bp
    from app.mydata.routes import bp as mydata_bp
    from app.quizzes.routes import bp as quizzes_bp
    from app.search.routes import bp as search_bp
    from app.studio import questions as _studio_questions  # noqa: F401 - its routes on studio_bp
    from app.studio.routes import bp as studio_bp

    for blueprint in (
        home_bp, auth_bp, companies_bp, learn_bp, assessment_bp, quizzes_bp, mydata_bp, admin_bp,
        studio_bp, content_bp, certificates_bp, search_bp,
    ):  # fmt: skip
        app.register_blueprint(blueprint)
    from app.reminders.routes import bp as reminders_bp

    app.register_blueprint(reminders_bp)

    errors.init_app(app)

    from app import cli

    cli.init_app(app)
    from app.certificates.cli import certificates_cli
    from app.reminders.cli import reminders_cli

    app.cli.add_command(reminders_cli)
    app.cli.add_command(certificates_cli)
    return app


def _tune_sqlite(app: Flask) -> None:
    """SQLite: enforce foreign keys, and use write-ahead logging so that readers never wait
    for a writer. Runs on each new connection; creates none itself."""
    from sqlalchemy import event

    from app.extensions import db

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def on_connect(connection, _record):
        cursor = connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if app.config["SQLALCHEMY_DATABASE_URI"] not in ("sqlite://", "sqlite:///:memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
