"""Alembic environment: runs on the engine the app uses (db.migrate passes it in)."""
from alembic import context

from db.engine import make_engine
from db.models import Base, UTCDateTime
from qingxi.core import settings

config = context.config
connection = config.attributes.get("connection")


def render_item(kind, obj, _context):
    # Migrations stay plain SQLAlchemy: the UTC conversion lives in the model, not the schema.
    return "sa.DateTime(timezone=True)" if kind == "type" and isinstance(obj, UTCDateTime) else False


def run(conn) -> None:
    context.configure(
        connection=conn,
        target_metadata=Base.metadata,
        render_as_batch=conn.dialect.name == "sqlite",  # SQLite cannot ALTER most things in place
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    run(connection)
else:
    url = config.get_main_option("sqlalchemy.url") or settings.current().database_url
    with make_engine(url).connect() as conn:
        run(conn)
