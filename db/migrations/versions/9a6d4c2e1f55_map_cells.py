"""map_cells: the public map's report counts kept per grid cell and month, by the database

Revision ID: 9a6d4c2e1f55
Revises: 8f5e3a1b2c44
Create Date: 2026-11-29 14:00:00

The map's every-year view grouped all reports on each visit (600–900 ms at a million). Triggers
on `reports` keep one count per (UTC month, ~200 m cell, state, category, village, 100 m of river
km) of the reports that are not hidden, so every write path (intake, the state machine, merges,
hiding, bulk generation, a river re-import) keeps it exact without knowing about it. The grid
and key expressions are frozen here; db/map_queries.py holds the same units, and
tests/db/test_map_cells.py checks the two agree.
"""
import sqlalchemy as sa
from alembic import op

revision = '9a6d4c2e1f55'
down_revision = '8f5e3a1b2c44'
branch_labels = None
depends_on = None

CELL_LON, CELL_LAT, KM_STEP = 0.002, 0.0018, 0.1
# The grid's km strips (reports of every year at the two ends of a km range) read this index only;
# it leads with river_km, so it replaces the plain river_km index.
KM_INDEX = ['river_km', 'hidden', 'state', 'category', 'village_id', 'created_at', 'lon', 'lat']
KEY = 'month, x, y, state, category, village_id, km10'
WATCHED = 'hidden, state, category, village_id, river_km, lon, lat, created_at'


def _sqlite_floor(x: str) -> str:
    # SQLite may lack floor(); CAST truncates towards zero, so step down for negatives
    return f'(CAST({x} AS INTEGER) - ({x} < CAST({x} AS INTEGER)))'


def _key(r: str, dialect: str) -> str:
    """The key expressions of report row `r` (NEW, OLD or the table name)."""
    if dialect == 'sqlite':
        month = f"(CAST(substr({r}.created_at, 1, 4) AS INTEGER) * 12 + CAST(substr({r}.created_at, 6, 2) AS INTEGER) - 1)"
        floor = _sqlite_floor
    else:
        utc = f"({r}.created_at AT TIME ZONE 'UTC')"
        month = f"(extract(year FROM {utc}) * 12 + extract(month FROM {utc}) - 1)::integer"
        floor = lambda x: f'floor({x})::integer'  # noqa: E731
    km10 = f'CASE WHEN {r}.river_km IS NULL THEN -1 ELSE {floor(f"{r}.river_km / {KM_STEP}")} END'
    return ', '.join([month, floor(f'{r}.lon / {CELL_LON}'), floor(f'{r}.lat / {CELL_LAT}'), f'{r}.state',
                      f'{r}.category', f'coalesce({r}.village_id, 0)', km10])


def _add(r: str, n: int, dialect: str, when: str) -> str:
    return (f'INSERT INTO map_cells ({KEY}, n) SELECT {_key(r, dialect)}, {n} WHERE {when} '
            f'ON CONFLICT ({KEY}) DO UPDATE SET n = map_cells.n + excluded.n')


def upgrade() -> None:
    op.create_table('map_cells',
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('x', sa.Integer(), nullable=False),
    sa.Column('y', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('km10', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('month', 'x', 'y', 'state', 'category', 'village_id', 'km10', name=op.f('pk_map_cells'))
    )
    op.create_index('ix_reports_map_km', 'reports', KM_INDEX, unique=False)
    op.drop_index('ix_reports_river_km', table_name='reports')
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        op.execute(f"CREATE TRIGGER map_cells_insert AFTER INSERT ON reports BEGIN "
                   f"{_add('NEW', 1, dialect, 'NOT NEW.hidden')}; END")
        op.execute(f"CREATE TRIGGER map_cells_delete AFTER DELETE ON reports BEGIN "
                   f"{_add('OLD', -1, dialect, 'NOT OLD.hidden')}; END")
        op.execute(f"CREATE TRIGGER map_cells_update AFTER UPDATE OF {WATCHED} ON reports BEGIN "
                   f"{_add('OLD', -1, dialect, 'NOT OLD.hidden')}; {_add('NEW', 1, dialect, 'NOT NEW.hidden')}; END")
    else:
        # An update takes its two cells in key order, so two updates crossing between the same
        # cells (X→Y beside Y→X) wait for each other instead of deadlocking.
        op.execute(f"""
CREATE FUNCTION map_cells_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {_add('NEW', 1, dialect, 'NOT NEW.hidden')};
  ELSIF TG_OP = 'DELETE' THEN
    {_add('OLD', -1, dialect, 'NOT OLD.hidden')};
  ELSIF ROW({_key('OLD', dialect)}) < ROW({_key('NEW', dialect)}) THEN
    {_add('OLD', -1, dialect, 'NOT OLD.hidden')};
    {_add('NEW', 1, dialect, 'NOT NEW.hidden')};
  ELSE
    {_add('NEW', 1, dialect, 'NOT NEW.hidden')};
    {_add('OLD', -1, dialect, 'NOT OLD.hidden')};
  END IF;
  RETURN NULL;
END $$""")
        op.execute(f"CREATE TRIGGER map_cells_sync AFTER INSERT OR DELETE OR UPDATE OF {WATCHED} ON reports "
                   f"FOR EACH ROW EXECUTE FUNCTION map_cells_sync()")
    op.execute(f'INSERT INTO map_cells ({KEY}, n) SELECT {_key("reports", dialect)}, count(*) FROM reports '
               f'WHERE NOT reports.hidden GROUP BY 1, 2, 3, 4, 5, 6, 7')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for name in ('map_cells_insert', 'map_cells_delete', 'map_cells_update'):
            op.execute(f'DROP TRIGGER {name}')
    else:
        op.execute('DROP TRIGGER map_cells_sync ON reports')
        op.execute('DROP FUNCTION map_cells_sync()')
    op.create_index('ix_reports_river_km', 'reports', ['river_km'], unique=False)
    op.drop_index('ix_reports_map_km', table_name='reports')
    op.drop_table('map_cells')
