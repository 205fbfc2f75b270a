"""What the server does once at start, before any visitor: jieba's dictionary is loaded, so the first
question put to the assistant is not the one that waits for it."""
from __future__ import annotations

import asyncio
import threading

import jieba

import web


def test_the_server_loads_the_chinese_dictionary_when_it_starts(monkeypatch):
    monkeypatch.setattr(jieba.dt, "initialized", False)  # as in a fresh process

    async def start():
        async with web.lifespan(None):
            pass

    starting = threading.Thread(target=asyncio.run, args=(start(),))  # a thread of its own, as a server's
    starting.start()                                                  # (this one may be running a loop)
    starting.join(timeout=60)
    for thread in threading.enumerate():
        if thread.name == "warm-up":
            thread.join(timeout=60)
    assert jieba.dt.initialized
    assert jieba.lcut("清溪沙柳街道") != []
