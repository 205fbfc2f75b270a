"""Proposal pieces shared by the pages that list proposals: a link to one and where it stands in a
line (typed names escaped with ui.text.plain)."""
from __future__ import annotations

from qingxi import proposals as P
from ui import routes, t, text
from ui.text import plain


def link(row: P.Row, label: str | None = None) -> None:
    """A link to the proposal's page; its number and title (as typed) unless `label` is given."""
    routes.link(routes.PROPOSAL, label or plain(f"{row.number} · {row.title}"), ":material/description:", id=row.id)


def state_line(row: P.Row) -> str:
    """Where the proposal stands, as markdown: the holder's name (a unit or a deputy) escaped."""
    parts = [t(f"proposals.state.{row.state}")]
    if row.holder_kind:
        parts.append(f'{t("proposals.holder_name")}: {plain(row.holder or t(f"proposals.holder.{row.holder_kind}"))}')
    if row.deadline is not None:
        parts.append(f'{t("proposals.deadline")} {text.when(row.deadline)[:10]}')
    if row.days_left is not None:
        parts.append(t("proposals.overdue_days", days=-row.days_left) if row.days_left < 0
                     else t("proposals.days_left", days=row.days_left))
    if row.tracking:
        parts.append(t("proposals.tracking"))
    return " · ".join(parts)
