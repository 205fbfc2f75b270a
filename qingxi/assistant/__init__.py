"""The question assistant (issue 17): answers villagers at once and hands over to a person.

- `ask(engine, question, lang, channel=, who=)` → `Reply` (answer, handover, sources, ref, conversation
  code): every channel's entry (chat page, POST /assistant/ask, DingTalk), rate-limited per person
  (qingxi.core.limits "assistant.ask"); `answer(...)` is the same without keeping anything (bench).
- Knowledge: a staff-edited FAQ (`entries`, `save_entry`, `retire`) seeded with real entries
  (`ensure_seeded`), synonyms staff extend (`synonyms`, `add_synonym`), BM25 over jieba's words
  with a confidence below which it says it is not sure, names the two nearest topics and hands over.
- Live answers: a report's state by tracking code (an unknown code is said to be unknown), the next
  clean-up days with seats left, a published proposal by words of its title, a village this month.
- Hand-over: `inbox` / `reply` / `close` (staff and handlers: "assistant.inbox"), `conversation(code)`
  for the asker, `rate(ref, helpful)`, `weeks` (weekly counts), FAQ `candidates` → `make_entry` /
  `dismiss` (staff: "assistant.faq"). `dingtalk` verifies and answers DingTalk's outgoing robot.
`warm_up()` loads jieba's dictionary ahead of the first question (the server does it at start).
Bad input raises `AssistantError(key)` (`assistant.error.<key>`) before anything is written.
"""
from qingxi.assistant.brain import MAX_ASK, Answer, answer
from qingxi.assistant.errors import AssistantError
from qingxi.assistant.inbox import (
    CHANNELS,
    MAX_REPLY,
    Candidate,
    Conversation,
    Reply,
    Week,
    ask,
    candidates,
    close,
    conversation,
    dismiss,
    inbox,
    make_entry,
    rate,
    reply,
    weeks,
)
from qingxi.assistant.knowledge import (
    THRESHOLD,
    Entry,
    add_synonym,
    ensure_seeded,
    entries,
    retire,
    save_entry,
    synonyms,
)
from qingxi.assistant.text import warm_up

__all__ = [
    "MAX_ASK", "MAX_REPLY", "THRESHOLD", "CHANNELS", "Answer", "AssistantError", "Candidate", "Conversation",
    "Entry", "Reply", "Week", "answer", "ask", "candidates", "close", "conversation", "dismiss", "inbox",
    "make_entry", "rate", "reply", "weeks", "add_synonym", "ensure_seeded", "entries", "retire", "save_entry",
    "synonyms", "warm_up",
]
