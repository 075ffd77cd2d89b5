"""Work in threads that Ctrl-C can leave behind: a hung fetch never holds up the exit.

concurrent.futures joins its worker threads on the way out (at `with` exit and again at
interpreter exit), so Ctrl-C during a fetch that never answers waited for its timeouts, about
90 s. These threads are daemons, and the caller waits for them in a way a signal interrupts.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class Running(Generic[Result]):
    """Work started on every item at once; `results()` waits for it. The caller may do other
    work in between: that is what a fetch's network wait is for.

    On Ctrl-C the KeyboardInterrupt reaches the caller at once and the threads are abandoned:
    whatever they still do must not write files or print (the callers keep both to their thread).
    """

    def __init__(self, work: Callable[[Item], Result], items: Sequence[Item]) -> None:
        self._outcomes: list[tuple[bool, object]] = [(False, None)] * len(items)

        def run(index: int, item: Item) -> None:
            try:
                self._outcomes[index] = (True, work(item))
            except BaseException as exc:  # handed to the caller's thread, which raises it
                self._outcomes[index] = (False, exc)

        self._threads = [threading.Thread(target=run, args=(i, item), daemon=True) for i, item in enumerate(items)]
        for thread in self._threads:
            thread.start()

    def results(self) -> list[Result]:
        """Every result, in order; the first failure (in order) is raised."""
        for thread in self._threads:
            while thread.is_alive():
                thread.join(0.1)  # a short wait, so a signal is handled at once on any platform
        results = []
        for ok, value in self._outcomes:
            if not ok:
                raise value  # type: ignore[misc]
            results.append(value)
        return results  # type: ignore[return-value]
