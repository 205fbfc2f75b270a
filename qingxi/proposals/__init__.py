"""Deputies' proposals (建议): filing, the handling lifecycle, answers, results, evidence.

A deputy (or staff on their behalf) files a proposal; staff assign it to a lead unit, which signs,
contacts the deputy, answers (class A/B/C/D) and records results on the river; the lead deputy
evaluates the answer and staff publish it. The modules, by job:

- `lifecycle`: the commands from filing to publication and withdrawal, extensions (the state
  diagram is there); `results`: results and their milestones; `links`: reports and clean-up days
  linked as evidence; `files`: answer attachments and result photos (qingxi.core.photos staging).
- `rules`: the calendar (working days, deadlines, days left, overdue, tracking, roll-up) and the
  policy table of who may do what in which state; `checks`: input checks and `ProposalError`;
  `acts`: acting on one proposal (qingxi.core.acting) with its history row and audit entry.
- `reads`: the register, overdue list, a deputy's home, a report's proposals, the forms' choices;
  `view`: one proposal in detail and its timeline; `dossier`: the printable HTML dossier.

Every command takes `(engine, user, ...)` and an optional `now` (aware UTC), checks the role
(permissions.RULES "proposal.*") before it reads anything, then the per-object rule, works in one
transaction and writes one ProposalEvent for each act on a proposal and exactly one AuditEntry.
Bad input raises ProposalError(key) (locale "proposals.error.<key>") before anything is written; a
role or object refusal raises permissions.Denied; images refused raise photos.PhotoError. A
proposal the person may not read is ProposalError("not_found"): nothing leaks.

Callers use this package's names (`from qingxi import proposals as P`; `P.detail(...)`), not the
modules', except `qingxi.proposals.dossier`.
"""
from db.models import ANSWER_CLASSES, CONTACT_METHODS, EVALUATIONS, RESULT_KINDS, RESULT_STATUSES
from db.proposals_queries import RegisterFilter
from qingxi.proposals.checks import ProposalError
from qingxi.proposals.files import MAX_PDF_BYTES, attachment_dir
from qingxi.proposals.lifecycle import (
    answer,
    assign,
    decide_extension,
    evaluate,
    file,
    follow_up,
    log_contact,
    publish,
    request_extension,
    return_assignment,
    sign,
    withdraw,
)
from qingxi.proposals.links import (
    LinkedCleanup,
    LinkedReport,
    link_cleanup,
    link_report,
    linkable_reports,
    unlink_cleanup,
    unlink_report,
)
from qingxi.proposals.reads import (
    Alert,
    Choices,
    Mine,
    Row,
    SessionInfo,
    choices,
    my_proposals,
    overdue,
    proposals_for_code,
    proposals_for_report,
    register,
    sessions,
)
from qingxi.proposals.results import add_result, update_result
from qingxi.proposals.rules import (
    EXTENSION_MONTHS,
    STATES,
    TOPICS,
    add_working_days,
    days_left,
    default_deadline,
    extend,
    is_overdue,
    is_tracking,
    return_open_until,
    rollup,
    working_days_after,
)
from qingxi.proposals.view import Detail, TimelineItem, detail, timeline

__all__ = [
    "ANSWER_CLASSES", "CONTACT_METHODS", "EVALUATIONS", "STATES", "TOPICS", "RESULT_KINDS", "RESULT_STATUSES",
    "EXTENSION_MONTHS", "MAX_PDF_BYTES",
    "ProposalError", "RegisterFilter", "Row", "Mine", "Alert", "Detail", "TimelineItem", "SessionInfo", "Choices",
    "LinkedReport", "LinkedCleanup",
    "add_working_days", "working_days_after", "return_open_until", "default_deadline", "extend", "rollup",
    "days_left", "is_overdue", "is_tracking",
    "file", "assign", "sign", "return_assignment", "log_contact", "answer", "follow_up", "evaluate", "publish",
    "withdraw", "request_extension", "decide_extension", "add_result", "update_result",
    "link_report", "unlink_report", "link_cleanup", "unlink_cleanup", "linkable_reports", "attachment_dir",
    "sessions", "register", "overdue", "my_proposals", "detail", "timeline", "proposals_for_report",
    "proposals_for_code", "choices",
]
