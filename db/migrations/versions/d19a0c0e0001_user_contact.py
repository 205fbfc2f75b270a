"""an account's contact (an e-mail address or a phone) for messages addressed to that person

Revision ID: d19a0c0e0001
Revises: d15a0e5e0001
Create Date: 2026-12-03 18:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'd19a0c0e0001'
down_revision = 'd15a0e5e0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('users', sa.Column('contact', sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_column('contact')
