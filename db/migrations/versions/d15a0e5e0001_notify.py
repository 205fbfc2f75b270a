"""notifications: the outbox (and a reporter's wish to hear back) of events, the channels (apprise URLs kept encrypted), deliveries

Revision ID: d15a0e5e0001
Revises: d18a0e9e0001
Create Date: 2026-12-03 15:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'd15a0e5e0001'
down_revision = 'd18a0e9e0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # in place (no batch): a rebuilt reports table would lose its triggers
    op.add_column('reports', sa.Column('hear_back', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table('notify_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=True),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('fanned_out_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_notify_events_report_id_reports'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_notify_events_unit_id_units'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_notify_events_village_id_villages'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_events')),
    sa.UniqueConstraint('key', name=op.f('uq_notify_events_key'))
    )
    op.create_index('ix_notify_events_fanout', 'notify_events', ['fanned_out_at', 'id'], unique=False)
    op.create_index(op.f('ix_notify_events_report_id'), 'notify_events', ['report_id'], unique=False)
    op.create_table('notify_channels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('url_secret', sa.Text(), nullable=False),
    sa.Column('url_hint', sa.String(length=80), nullable=False),
    sa.Column('events', sa.String(length=500), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('per_minute', sa.Integer(), nullable=False),
    sa.Column('paused', sa.Boolean(), nullable=False),
    sa.Column('audience', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("audience IN ('group', 'person')", name=op.f('ck_notify_channels_audience')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_notify_channels_unit_id_units'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_notify_channels_village_id_villages'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_channels')),
    sa.UniqueConstraint('name', name=op.f('uq_notify_channels_name'))
    )
    op.create_table('notify_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=300), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('digest', sa.Boolean(), nullable=False),
    sa.Column('recipient', sa.Text(), nullable=True),
    sa.Column('recipient_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed')", name=op.f('ck_notify_deliveries_status')),
    sa.ForeignKeyConstraint(['channel_id'], ['notify_channels.id'],
                            name=op.f('fk_notify_deliveries_channel_id_notify_channels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['notify_events.id'],
                            name=op.f('fk_notify_deliveries_event_id_notify_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_deliveries'))
    )
    op.create_index('uq_notify_deliveries_event_channel', 'notify_deliveries', ['event_id', 'channel_id', 'recipient_key'],
                    unique=True)
    op.create_index('ix_notify_deliveries_due', 'notify_deliveries', ['status', 'next_at', 'channel_id'],
                    unique=False)
    op.create_index('ix_notify_deliveries_sent', 'notify_deliveries', ['channel_id', 'sent_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_notify_deliveries_sent', table_name='notify_deliveries')
    op.drop_index('ix_notify_deliveries_due', table_name='notify_deliveries')
    op.drop_index('uq_notify_deliveries_event_channel', table_name='notify_deliveries')
    op.drop_table('notify_deliveries')
    op.drop_table('notify_channels')
    op.drop_index(op.f('ix_notify_events_report_id'), table_name='notify_events')
    op.drop_index('ix_notify_events_fanout', table_name='notify_events')
    op.drop_table('notify_events')
    op.execute("ALTER TABLE reports DROP COLUMN hear_back")  # in place: a rebuilt table would lose its triggers
