"""the pledge door to door (texts, household signatures, representatives and their visits, households
per village) and the liaison station's face-to-face days (registrations, opinions and their photos,
responses); users may be voters' representatives

Revision ID: d18a0e9e0001
Revises: d17a0a551501
Create Date: 2026-12-03 14:42:47.798662
"""
import sqlalchemy as sa
from alembic import op

OLD_ROLES = "role IN ('deputy','staff','handler','admin')"
NEW_ROLES = "role IN ('deputy','staff','handler','admin','representative')"


def _roles(old: str, new: str) -> None:
    """users.role's CHECK, widened or narrowed in place. SQLite cannot alter a constraint and a rebuilt
    users table would cascade-delete sign-in sessions (its DROP runs the foreign keys' actions, and
    foreign keys cannot be switched off inside the migration's transaction): a CHECK that changes
    nothing stored is rewritten in the schema text, as SQLite documents for such changes."""
    if op.get_bind().dialect.name == "sqlite":
        version = op.get_bind().exec_driver_sql("PRAGMA schema_version").scalar()
        op.execute("PRAGMA writable_schema = ON")
        op.execute(sa.text("UPDATE sqlite_master SET sql = replace(sql, :old, :new) WHERE type = 'table' "
                           "AND name = 'users'").bindparams(old=old, new=new))
        op.execute(f"PRAGMA schema_version = {version + 1}")
        op.execute("PRAGMA writable_schema = OFF")
    else:
        op.execute("ALTER TABLE users DROP CONSTRAINT ck_users_role")
        op.execute(f"ALTER TABLE users ADD CONSTRAINT ck_users_role CHECK ({new})")


revision = 'd18a0e9e0001'
down_revision = 'd17a0a551501'
branch_labels = None
depends_on = None


def upgrade() -> None:
    _roles(OLD_ROLES, NEW_ROLES)
    op.create_table('pledge_villages',
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('households', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('households >= 0', name=op.f('ck_pledge_villages_households')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_pledge_villages_village_id_villages')),
    sa.PrimaryKeyConstraint('village_id', name=op.f('pk_pledge_villages'))
    )
    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('invited', sa.Text(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("state IN ('draft','published','cancelled')", name=op.f('ck_meetings_state')),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_meetings_capacity')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_meetings_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_starts_at'), ['starts_at'], unique=False)

    op.create_table('pledge_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_pledge_texts_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge_texts')),
    sa.UniqueConstraint('version', name=op.f('uq_pledge_texts_version'))
    )
    op.create_table('pledge_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('household', sa.String(length=30), nullable=False),
    sa.Column('household_key', sa.String(length=30), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('representative_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("outcome IN ('visited','signed','not_home','declined')", name=op.f('ck_pledge_visits_outcome')),
    sa.ForeignKeyConstraint(['representative_id'], ['users.id'], name=op.f('fk_pledge_visits_representative_id_users')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_pledge_visits_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge_visits'))
    )
    with op.batch_alter_table('pledge_visits', schema=None) as batch_op:
        batch_op.create_index('ix_pledge_visits_village', ['village_id', 'household_key', 'at'], unique=False)

    op.create_table('representatives',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_representatives_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_representatives_village_id_villages')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_representatives'))
    )
    with op.batch_alter_table('representatives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_representatives_village_id'), ['village_id'], unique=False)

    op.create_table('meeting_registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=30), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_registrations_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_meeting_registrations_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_registrations'))
    )
    with op.batch_alter_table('meeting_registrations', schema=None) as batch_op:
        batch_op.create_index('uq_meeting_registrations_phone', ['meeting_id', 'phone'], unique=True)

    op.create_table('pledge_signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('household', sa.String(length=30), nullable=True),
    sa.Column('household_key', sa.String(length=30), nullable=True),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('online','paper','sheet')", name=op.f('ck_pledge_signatures_source')),
    sa.CheckConstraint('people BETWEEN 1 AND 30', name=op.f('ck_pledge_signatures_people')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_pledge_signatures_entered_by_id_users')),
    sa.ForeignKeyConstraint(['text_id'], ['pledge_texts.id'], name=op.f('fk_pledge_signatures_text_id_pledge_texts')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_pledge_signatures_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge_signatures'))
    )
    with op.batch_alter_table('pledge_signatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_signatures_text_id'), ['text_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledge_signatures_village_id'), ['village_id'], unique=False)
        batch_op.create_index('uq_pledge_signatures_household', ['village_id', 'household_key'], unique=True, sqlite_where=sa.text('household_key IS NOT NULL'), postgresql_where=sa.text('household_key IS NOT NULL'))
        batch_op.create_index('uq_pledge_signatures_phone', ['phone'], unique=True, sqlite_where=sa.text('phone IS NOT NULL'), postgresql_where=sa.text('phone IS NOT NULL'))

    op.create_table('meeting_opinions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('made_report_id', sa.Integer(), nullable=True),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('advance','on_day')", name=op.f('ck_meeting_opinions_source')),
    sa.ForeignKeyConstraint(['made_report_id'], ['reports.id'], name=op.f('fk_meeting_opinions_made_report_id_reports')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_opinions_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_meeting_opinions_proposal_id_proposals')),
    sa.ForeignKeyConstraint(['registration_id'], ['meeting_registrations.id'], name=op.f('fk_meeting_opinions_registration_id_meeting_registrations')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_meeting_opinions_report_id_reports')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_meeting_opinions_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_opinions'))
    )
    with op.batch_alter_table('meeting_opinions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_opinions_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_opinions_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('meeting_opinion_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opinion_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('public_name', sa.String(length=80), nullable=False),
    sa.Column('thumb_name', sa.String(length=80), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('taken_source', sa.String(length=8), server_default='none', nullable=False),
    sa.ForeignKeyConstraint(['opinion_id'], ['meeting_opinions.id'], name=op.f('fk_meeting_opinion_photos_opinion_id_meeting_opinions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_opinion_photos'))
    )
    with op.batch_alter_table('meeting_opinion_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_opinion_photos_opinion_id'), ['opinion_id'], unique=False)

    op.create_table('meeting_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opinion_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('official', sa.String(length=60), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind = 'answer' OR (unit_id IS NOT NULL AND due_on IS NOT NULL)", name=op.f('ck_meeting_responses_commitment')),
    sa.CheckConstraint("kind IN ('answer','commitment')", name=op.f('ck_meeting_responses_kind')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_meeting_responses_author_id_users')),
    sa.ForeignKeyConstraint(['opinion_id'], ['meeting_opinions.id'], name=op.f('fk_meeting_responses_opinion_id_meeting_opinions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_meeting_responses_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_responses')),
    sa.UniqueConstraint('opinion_id', name=op.f('uq_meeting_responses_opinion_id'))
    )
    with op.batch_alter_table('meeting_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_responses_due_on'), ['due_on'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('meeting_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_responses_due_on'))

    op.drop_table('meeting_responses')
    with op.batch_alter_table('meeting_opinion_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_opinion_photos_opinion_id'))

    op.drop_table('meeting_opinion_photos')
    with op.batch_alter_table('meeting_opinions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_opinions_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_opinions_meeting_id'))

    op.drop_table('meeting_opinions')
    with op.batch_alter_table('pledge_signatures', schema=None) as batch_op:
        batch_op.drop_index('uq_pledge_signatures_phone', sqlite_where=sa.text('phone IS NOT NULL'), postgresql_where=sa.text('phone IS NOT NULL'))
        batch_op.drop_index('uq_pledge_signatures_household', sqlite_where=sa.text('household_key IS NOT NULL'), postgresql_where=sa.text('household_key IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_pledge_signatures_village_id'))
        batch_op.drop_index(batch_op.f('ix_pledge_signatures_text_id'))

    op.drop_table('pledge_signatures')
    with op.batch_alter_table('meeting_registrations', schema=None) as batch_op:
        batch_op.drop_index('uq_meeting_registrations_phone')

    op.drop_table('meeting_registrations')
    with op.batch_alter_table('representatives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_representatives_village_id'))

    op.drop_table('representatives')
    with op.batch_alter_table('pledge_visits', schema=None) as batch_op:
        batch_op.drop_index('ix_pledge_visits_village')

    op.drop_table('pledge_visits')
    op.drop_table('pledge_texts')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetings_starts_at'))

    op.drop_table('meetings')
    op.drop_table('pledge_villages')
    op.execute("DELETE FROM users WHERE role = 'representative'")
    _roles(NEW_ROLES, OLD_ROLES)
