"""The assistant's refusals: `assistant.error.<key>` in the person's language."""
from __future__ import annotations

from qingxi.core.refusals import Refusal


class AssistantError(Refusal):
    area = "assistant"
