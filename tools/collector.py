"""Collector discipline for the preview's two phases.

Running a program under mocks allocates millions of short-lived objects (futures, callbacks, protobuf
wrappers) while the heap of resources only grows, so Python's cyclic collector runs dozens of *full*
passes over hundreds of MiB: about half of all time. Nothing the preview keeps becomes garbage before it
ends, so during the phases full collections are paused. Young collections go on: they traverse only
recent objects, and they free each registration's short-lived cycles at once, which keeps peak memory
where it was (turning the collector off altogether costs about 10 % more peak RSS for no gain in time).

Pauses nest and may overlap from several threads: the caller's thresholds come back when the last one
ends. No collection is forced at the end: in a long-lived process the next full collection comes when the
collector's own rule asks for it, after a quarter of the heap is new, so the garbage of many previews is
collected in one pass rather than one pass per preview. (The test session keeps the collector off and
collects when it chooses: tests/conftest.py.)

A command-line run about to exit can `freeze_for_exit()`, so the interpreter's final collection does not
walk the whole heap again; a process that keeps results for its whole life (the test session's shared
previews) can `freeze_survivors()` after making them, so later full collections do not walk them again.

A process that runs one preview and exits (the command line, bench's runs, their policy workers) goes
further: `for_one_run()`, called before its heavy imports, turns the collector off for the rest of its life.
Start-up imports make only long-lived objects (modules, classes), yet young and full collections kept
walking them (about 0.2 s of a fresh prod preview); during the program even young collections cost about
15 % (they traverse every registration's objects, then free a few short-lived cycles). The price is those
cycles, kept until exit: about 6 % more peak RSS at 200 services. A long-lived process that only wants its
imports left alone calls `starting()` before them and `started()` after: the collector is off in between,
and what the imports made is frozen.
"""
from __future__ import annotations

import contextlib
import gc
import threading
from typing import Iterator, Optional

# The oldest generation is collected when this many young collections have run since the last full one;
# the largest value CPython accepts means "not during the pause".
_NO_FULL_COLLECTIONS = 2**31 - 1

_lock = threading.Lock()
_depth = 0
_saved: Optional[tuple[int, int, int]] = None
_one_run = False


def for_one_run() -> None:
    """This process runs one preview and exits: no collections from here on (call before heavy imports)."""
    global _one_run
    _one_run = True
    gc.disable()


def one_run() -> bool:
    """Whether `for_one_run()` was called: a worker this process starts inherits the discipline."""
    return _one_run


def starting() -> None:
    """Before a long-lived process's start-up imports: no collections until `started()`."""
    gc.disable()


def started() -> None:
    """The start-up imports are done: freeze what they made (it lives as long as the process) and collect
    again, unless this process runs only once."""
    if not _one_run:
        gc.freeze()
        gc.enable()


@contextlib.contextmanager
def paused(enabled: bool = True) -> Iterator[None]:
    """No full collections in the block; `enabled=False` leaves the collector alone (to compare results)."""
    global _depth, _saved
    if not enabled:
        yield
        return
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(_saved[0], _saved[1], _NO_FULL_COLLECTIONS)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None


def freeze_for_exit() -> None:
    """Before a command-line exit: move every live object out of the collector's reach."""
    gc.freeze()


def freeze_survivors() -> None:
    """Collect once, then move every survivor out of the collector's reach: for objects kept for the rest of
    the process, which every later full collection would otherwise walk again."""
    gc.collect()
    gc.freeze()
