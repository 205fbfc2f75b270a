"""Queries for the admin settings: routing rules, response templates, the audit log's filters."""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.models import ResponseTemplate, RoutingRule, Unit, Village


def routing_rules(session: Session) -> list[RoutingRule]:
    return list(session.scalars(select(RoutingRule).order_by(RoutingRule.id)))


def routing_rule(session: Session, rule_id: int) -> RoutingRule | None:
    return session.get(RoutingRule, rule_id)


def same_rule(session: Session, category: str | None, village_id: int | None) -> RoutingRule | None:
    """A rule for exactly this category × village (None matches only None here)."""
    query = select(RoutingRule).where(
        RoutingRule.category.is_(None) if category is None else RoutingRule.category == category,
        RoutingRule.village_id.is_(None) if village_id is None else RoutingRule.village_id == village_id,
    )
    return session.scalars(query).first()


def add_rule(session: Session, category: str | None, village_id: int | None, unit_id: int) -> RoutingRule:
    rule = RoutingRule(category=category, village_id=village_id, unit_id=unit_id)
    session.add(rule)
    session.flush()
    return rule


def delete_rule(session: Session, rule_id: int) -> int:
    return session.execute(delete(RoutingRule).where(RoutingRule.id == rule_id)).rowcount


def templates(session: Session) -> list[ResponseTemplate]:
    return list(session.scalars(select(ResponseTemplate).order_by(ResponseTemplate.state, ResponseTemplate.title,
                                                                  ResponseTemplate.id)))


def template(session: Session, template_id: int) -> ResponseTemplate | None:
    return session.get(ResponseTemplate, template_id)


def add_template(session: Session, state: str, title: str, text: str) -> ResponseTemplate:
    row = ResponseTemplate(state=state, title=title, text=text)
    session.add(row)
    session.flush()
    return row


def delete_template(session: Session, template_id: int) -> int:
    return session.execute(delete(ResponseTemplate).where(ResponseTemplate.id == template_id)).rowcount


def unit(session: Session, unit_id: int) -> Unit | None:
    return session.get(Unit, unit_id)


def village(session: Session, village_id: int) -> Village | None:
    return session.get(Village, village_id)


def units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).order_by(Unit.name)))


def villages(session: Session) -> list[Village]:
    return list(session.scalars(select(Village).order_by(Village.name)))
