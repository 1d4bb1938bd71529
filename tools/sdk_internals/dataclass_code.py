"""The standard library's dataclasses under mocks: each run imports the program's modules afresh (`mockrun`), and
`@dataclass` writes the source of every generated method (`__init__`, `__repr__`, `__eq__`, `__hash__`, a frozen
class's `__setattr__`, ...) and compiles it with `exec`: about 650 compilations and 85 % of re-importing this
program's modules (about 95 ms a run, in a process that runs many previews: the test suite). The text depends only
on the class's fields and options, so `_exec` compiles each distinct text once and runs the kept code object with
the globals and namespace the module passes, as `exec` of the text would.

A process that runs one preview imports the program once and gains nothing; the shim is for the others.
"""
from __future__ import annotations

import builtins
import dataclasses
from typing import Any, Optional

from . import pins

# Compiled texts by text: one entry per distinct generated method of the classes imported while the shim is in.
_compiled: dict[str, Any] = {}
_MAX_KEPT = 8192  # a bound for a long-lived process that defines classes without end; far above one program's


def _exec(source: Any, globals: Optional[dict] = None, locals: Optional[dict] = None) -> None:
    """`exec` for the dataclasses module. Compiled as dataclasses' own `exec` compiles it: file "<string>", and the
    calling code's `__future__` flags, which in dataclasses.py are none (`dont_inherit`, or this module's
    `annotations` future would turn the generated `__init__`'s annotations into strings)."""
    if not isinstance(source, str):
        return builtins.exec(source, globals, locals)
    code = _compiled.get(source)
    if code is None:
        if len(_compiled) >= _MAX_KEPT:
            _compiled.clear()
        code = _compiled[source] = compile(source, "<string>", "exec", dont_inherit=True)
    return builtins.exec(code, globals, locals)


def shim_applies(version: Optional[tuple[int, int]] = None) -> bool:
    """Whether this Python's dataclasses is the one the shim was read against: 3.11's `_create_fn` compiles each
    generated method with `exec(txt, globals, ns)`, `exec` read from the module's globals, then builtins."""
    return pins.dataclasses_shim_applies(version) and "exec" not in vars(dataclasses)


def install(version: Optional[tuple[int, int]] = None) -> bool:
    """`_exec` in dataclasses' globals, where `_create_fn` finds it before the builtin. Returns whether it went in
    (not on another Python, nor when it is in already)."""
    if not shim_applies(version):
        return False
    dataclasses.exec = _exec  # type: ignore[attr-defined]
    return True


def uninstall() -> None:
    vars(dataclasses).pop("exec", None)
