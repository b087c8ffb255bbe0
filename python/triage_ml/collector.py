"""Python's cyclic garbage collector, paused while the engine trains or predicts.

Why: a call's objects (the parsed JSON issues, their token lists, the rows being built) live until the call ends,
so on a large batch the collector ran again and again over objects that could not be garbage yet, and each full
collection walked every tracked object of the process, the loaded models' included. Measured with
``gc.callbacks`` on a 10k-issue assignee model (one process, one BLAS thread): predicting batches of 10,000
issues ran ~40 collections a call, half a full one among them, 18% of the call's time; batches of 100 ran none;
training all four targets spent 0.2 s of 5.3 s in it. A call's own garbage is freed by reference counting as
usual; the collector catches up on any cycles at its first run after the call.

The collector is one per process, so the pause is too: it is counted across threads, the collector comes back
when the last call leaves, and only if it was running when the first one came.
"""
from __future__ import annotations

import gc
import threading
from contextlib import ContextDecorator
from types import TracebackType

_lock = threading.Lock()
_calls = 0
_resume = False


class CollectorPaused(ContextDecorator):
    """``with CollectorPaused(): ...`` or ``@CollectorPaused()``: no automatic collection while any such block runs,
    in any thread."""

    def __enter__(self) -> None:
        global _calls, _resume
        with _lock:
            if _calls == 0:
                _resume = gc.isenabled()
                gc.disable()
            _calls += 1

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        global _calls
        with _lock:
            _calls -= 1
            if _calls == 0 and _resume:
                gc.enable()
