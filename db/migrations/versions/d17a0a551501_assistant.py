"""the question assistant: FAQ entries, synonyms, questions asked, conversations handed to a person

Revision ID: d17a0a551501
Revises: c41d7e2a9b10
Create Date: 2026-12-03 15:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'd17a0a551501'
down_revision = 'c41d7e2a9b10'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('assistant_faq',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('question', sa.String(length=200), nullable=False),
    sa.Column('variants', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('links', sa.String(length=300), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("lang IN ('zh','en')", name=op.f('ck_assistant_faq_lang')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assistant_faq'))
    )
    op.create_index('uq_assistant_faq_key_lang', 'assistant_faq', ['key', 'lang'], unique=True)
    op.create_table('assistant_synonyms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('word', sa.String(length=40), nullable=False),
    sa.Column('canonical', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assistant_synonyms')),
    sa.UniqueConstraint('word', name=op.f('uq_assistant_synonyms_word'))
    )
    op.create_table('assistant_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=16), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('faq_key', sa.String(length=40), nullable=True),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('helpful', sa.Boolean(), nullable=True),
    sa.Column('candidate', sa.String(length=12), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("outcome IN ('answered','live','handover','unsure')",
                       name=op.f('ck_assistant_questions_outcome')),
    sa.CheckConstraint("candidate IN ('open','made','dismissed')", name=op.f('ck_assistant_questions_candidate')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assistant_questions')),
    sa.UniqueConstraint('ref', name=op.f('uq_assistant_questions_ref'))
    )
    op.create_index('ix_assistant_questions_at', 'assistant_questions', ['at'], unique=False)
    op.create_index('ix_assistant_questions_candidate', 'assistant_questions', ['candidate', 'at'], unique=False)
    op.create_table('assistant_conversations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('attempt', sa.Text(), nullable=False),
    sa.Column('webhook', sa.String(length=500), nullable=True),
    sa.Column('webhook_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('replied_by_id', sa.Integer(), nullable=True),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('open','answered','closed')", name=op.f('ck_assistant_conversations_state')),
    sa.ForeignKeyConstraint(['replied_by_id'], ['users.id'],
                            name=op.f('fk_assistant_conversations_replied_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assistant_conversations')),
    sa.UniqueConstraint('code', name=op.f('uq_assistant_conversations_code'))
    )
    op.create_index('ix_assistant_conversations_state', 'assistant_conversations', ['state', 'created_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_assistant_conversations_state', table_name='assistant_conversations')
    op.drop_table('assistant_conversations')
    op.drop_index('ix_assistant_questions_candidate', table_name='assistant_questions')
    op.drop_index('ix_assistant_questions_at', table_name='assistant_questions')
    op.drop_table('assistant_questions')
    op.drop_table('assistant_synonyms')
    op.drop_index('uq_assistant_faq_key_lang', table_name='assistant_faq')
    op.drop_table('assistant_faq')
