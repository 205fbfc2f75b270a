"""Concurrent writers for the benchmarks: one thread per batch, released together by a barrier."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def together(batches: Sequence[Sequence[T]], work: Callable[[T], object]) -> tuple[float, list[BaseException]]:
    """Run work(item) for every item, one thread per batch, all starting at once; (seconds from the
    release to the last thread's end, errors). Every failure is counted, none hidden."""
    errors: list[BaseException] = []
    start = threading.Barrier(len(batches) + 1)

    def writer(batch: Sequence[T]) -> None:
        start.wait()
        for item in batch:
            try:
                work(item)
            except BaseException as err:  # noqa: BLE001 - counted by the caller
                errors.append(err)

    threads = [threading.Thread(target=writer, args=(b,)) for b in batches]
    for th in threads:
        th.start()
    start.wait()
    t0 = time.perf_counter()
    for th in threads:
        th.join()
    return time.perf_counter() - t0, errors
