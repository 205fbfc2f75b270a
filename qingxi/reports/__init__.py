"""Villagers' reports: the state machine (states), filing (intake), the desk (triage), the reporter's
side (track), response clocks, what the public sees (public), the dashboard, downloads, Open311,
QR signboards and the desk's settings (routing). The state machine's names are exported here."""
from qingxi.reports.states import (  # noqa: F401
    CATEGORIES,
    KIND,
    MILESTONE,
    OPEN_STATES,
    SIZED_CATEGORIES,
    SIZES,
    TRANSITIONS,
    Kind,
    State,
    TransitionError,
    kind_of,
    move,
)
