"""scale: indexes chosen from the portal's queries (desk, dashboard, map, search)

Revision ID: 7d3c2e9f4a33
Revises: 6c2b1d8e3f22
Create Date: 2026-11-29 11:10:00

Plain composite indexes (no partial ones): SQLite uses a partial index only when the query
repeats its WHERE term literally, and our state lists are bound parameters. PostgreSQL gets
INCLUDE columns so the dashboard's and desk's aggregates run as index-only scans; SQLite
ignores `postgresql_include` and uses the key columns.
"""
from alembic import op

revision = '7d3c2e9f4a33'
down_revision = '6c2b1d8e3f22'
branch_labels = None
depends_on = None

MILESTONES = ['signed_at', 'dispatched_at', 'called_back_at', 'on_site_at', 'fixed_at', 'closed_at']
# name → (key columns, PostgreSQL INCLUDE columns); mirrored in db/models.py Report.__table_args__
INDEXES = {
    # desk queue, dashboard open counts / overdue, public open count: state first, open states are few
    'ix_reports_work': (['state', 'hidden', 'created_at'],
                        ['id', 'priority', 'category', 'village_id', 'unit_id', 'river_km', *MILESTONES]),
    # dashboard clock weeks and flow: reports created in a period
    'ix_reports_created_clocks': (['created_at', 'hidden'], ['state', 'priority', *MILESTONES]),
    # flow: fixed / closed in a period
    'ix_reports_fixed_at': (['fixed_at', 'state', 'hidden'], []),
    'ix_reports_closed_at': (['closed_at', 'state', 'hidden'], []),
    # map: its default view is a date range (the last months); counts, points and the grid read
    # the index only, other filters scan it rather than the table
    'ix_reports_map': (['created_at', 'hidden', 'state', 'category', 'lon', 'lat', 'river_km', 'village_id'], []),
    # staff search by village / category and a date range, newest first
    'ix_reports_village_created': (['village_id', 'created_at'], []),
    'ix_reports_category_created': (['category', 'created_at'], []),
    'ix_reports_rating': (['rating', 'hidden'], []),
}


def upgrade() -> None:
    for name, (columns, include) in INDEXES.items():
        op.create_index(name, 'reports', columns, unique=False, postgresql_include=include)


def downgrade() -> None:
    for name in reversed(INDEXES):
        op.drop_index(name, table_name='reports')
