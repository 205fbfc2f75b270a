"""One way a page runs a command and says how it went: done, refused (in the person's words), not
allowed, not possible in this state, or — for anything unexpected — a calm message with a short
incident number staff can find in the server log. Nobody ever sees a stack trace."""
from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from qingxi.core import codes
from qingxi.core.permissions import Denied
from qingxi.core.refusals import Refusal
from qingxi.reports import TransitionError
from ui import error_text, t

log = logging.getLogger("qingxi")
if not log.handlers:  # streamlit configures only its own logger: ours goes to the server's stderr
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str
    value: object = None  # what the command returned; after a refusal, the Refusal itself
    incident: str | None = None  # set when something unexpected failed


def incident(exc: BaseException | None = None) -> str:
    """Log the exception (the one being handled, unless given) under a short number the person can
    read out to staff."""
    ref = "".join(secrets.choice(codes.ALPHABET) for _ in range(8))
    log.error("incident %s", ref, exc_info=exc or True)
    return ref


def on_script_error(exc: Exception) -> bool:
    """Streamlit's hook for anything a page or a callback did not catch (server.py): calm words and
    a number instead of Streamlit's exception box."""
    st.error(t("outcome.page_failed", ref=incident(exc)))
    return True  # handled: Streamlit shows nothing more


def attempt(command: Callable[[], object], done: str | Callable[[Any], str] = "", *,
            denied: str = "outcome.denied", failed: str = "outcome.failed") -> Outcome:
    """Run one service command. Never raises (Streamlit's own rerun and stop pass through: they are
    not Exceptions). `done` is the message, or makes it from what the command returned; `denied`
    is the message key for an action this person may not take (an area may say it its own way);
    `failed` the key for an unexpected failure ({ref} is its number)."""
    try:
        value = command()
    except Refusal as err:
        return Outcome(False, error_text(err), err)
    except Denied:
        return Outcome(False, t(denied))
    except TransitionError:
        return Outcome(False, t("outcome.transition"))
    except Exception:  # noqa: BLE001 - the person gets words and a number, the log gets the trace
        ref = incident()
        return Outcome(False, t(failed, ref=ref), incident=ref)
    return Outcome(True, done(value) if callable(done) else done, value)


def act(area: str, command: Callable[[], object], done: str | Callable[[Any], str] = "", **kw) -> Outcome:
    """attempt(), keeping the outcome for show(area) after the rerun the action causes."""
    return keep(area, attempt(command, done, **kw))


def keep(area: str, outcome: Outcome) -> Outcome:
    """Keep an outcome for show(area) after the rerun."""
    st.session_state[f"{area}_outcome"] = outcome
    return outcome


def refuse(area: str, message: str) -> None:
    """Keep a refusal the page found itself (before asking any service) for show(area)."""
    keep(area, Outcome(False, message))


def show(area: str) -> Outcome | None:
    """The outcome kept for `area`, said once; returned, so a page can add what it carries."""
    if (outcome := st.session_state.pop(f"{area}_outcome", None)) is not None and outcome.message:
        say(outcome)
    return outcome


def say(outcome: Outcome) -> None:
    (st.success if outcome.ok else st.error)(outcome.message)
