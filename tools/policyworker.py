"""Evaluate each resource's policies, and check its API payloads, in a second process while the program runs.

A resource's inputs are final once it is registered, so the engine's Analyze call for it can run then, on
the machine's other core, while the program goes on registering the rest. So is its state: its part of
the AnalyzeStack request goes along, and the worker converts it for the stack policies as it comes;
AnalyzeStack itself runs when the program ends, over the stack in URN order, as in-process evaluation
sends it. The worker evaluates the same pack, loaded from the same directory, with the same
pulumi-policy servicer, requests and shims as in-process evaluation (tools/policyeval.py); only where and
when differ. The report is sorted, so it is the same whatever order resources register in
(tests/test_preview_speed.py compares it with in-process evaluation with every speed-up off). The API
check (tools/apicheck.py) of each resource that has one runs there too, on the same inputs, so this
process need not load botocore's models; this process sums the quotas IAM counts across resources, which need none,
once the program ends (`apicheck.with_errors_across`).

One worker serves every preview of a process (pytest runs hundreds): it starts on first use, keeps each
pack it has loaded while the pack's files are unchanged (`policyeval.loaded_policy_pack`), and exits when
its parent closes the pipe. Anything unexpected (a policy raising, the worker dying, a second preview while
one is in flight) falls back to in-process evaluation, which then reports it exactly as it would have
without the worker.

The worker builds the report too, as responses come, so the preview process, busy running the program,
neither reads a response per resource nor converts them at the end: it gets the finished report.

Wire: frames of a 1-byte kind, a 4-byte big-endian length and a payload.
  parent -> worker: P pack directory, C ConfigureAnalyzerRequest, then per resource A AnalyzeRequest (B for
                    one that also has an API check) and s (an AnalyzeStackRequest of that one resource),
                    then S (the program ended: analyze the stack), or X to abandon the session (the
                    program failed)
  worker -> parent: N how many resources it has evaluated (now and then, for progress), then exactly one
                    of T (as JSON: the sorted report, the API errors and the count of resources
                    evaluated; empty after X) or E (an error's text)
"""
from __future__ import annotations

from . import collector

if __name__ == "__main__":
    collector.starting()  # the imports below make only long-lived objects: `main` freezes them

import atexit
import json
import os
import queue
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, BinaryIO, Callable, NamedTuple, Optional

from google.protobuf import struct_pb2
from pulumi.runtime.proto import analyzer_pb2

from .apicheck import ApiError, check_sorted, needs_check
from .mockrun import CONFIG_VARIABLES, CapturedResource
from .policyeval import (LoadedPack, PolicyReport, ReportBuilder, add_stack_resource, analyze_request,
                         configured_servicer, loaded_policy_pack)
from .sdk_internals import StackResources, analyze_built_stack, building_stacks, shared_property_conversion

_PROGRESS_EVERY = 32  # resources evaluated between two N frames: progress without a frame per resource
_HEADER = struct.Struct(">cI")
_ROOT = Path(__file__).resolve().parent.parent  # where `tools` is importable from


def _write(stream: BinaryIO, kind: bytes, payload: bytes = b"") -> None:
    stream.write(_HEADER.pack(kind, len(payload)))
    stream.write(payload)


def _read(stream: BinaryIO) -> Optional[tuple[bytes, bytes]]:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    kind, size = _HEADER.unpack(header)
    payload = stream.read(size)
    if len(payload) < size:
        return None
    return kind, payload


# --------------------------------------------------------------------------------------------------
# The parent's side
# --------------------------------------------------------------------------------------------------


class _Process:
    def __init__(self) -> None:
        # Without the config the CLI would set (a worker serves many stacks' previews): mockrun.config_variables.
        env = {name: value for name, value in os.environ.items() if name not in CONFIG_VARIABLES}
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_ROOT), env.get("PYTHONPATH")) if p)
        # A worker of a one-run process (the command line) serves one preview too: the same discipline.
        command = [sys.executable, "-m", "tools.policyworker"] + (["--one-run"] if collector.one_run() else [])
        self.popen = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=_ROOT)
        self.busy = threading.Lock()

    def alive(self) -> bool:
        return self.popen.poll() is None

    def close(self, wait: bool = True) -> None:
        try:
            self.popen.stdin.close()  # the worker exits when its input ends
            if wait:
                self.popen.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.popen.kill()
            self.popen.wait()


_process: Optional[_Process] = None
_process_lock = threading.Lock()


def shutdown(wait: bool = True) -> None:
    """End the worker (it is started again when next needed); bench/ waits for it to read its peak RSS."""
    global _process
    with _process_lock:
        if _process is not None:
            _process.close(wait)
            _process = None


atexit.register(shutdown, wait=False)  # at exit, no need to wait: it ends on its own


def resource_frames(resource: CapturedResource,
                    by_urn: dict[str, CapturedResource]) -> tuple[tuple[bytes, bytes], tuple[bytes, bytes]]:
    """A registered resource's two frames: its Analyze request (B when it also has an API check), and its part
    of the stack request (its state is final once it has registered, so the worker converts it for the stack
    policies while the program goes on)."""
    analyzed = analyze_request(resource, by_urn)
    part = analyzer_pb2.AnalyzeStackRequest()
    add_stack_resource(part, resource, analyzed)
    return (b"B" if needs_check(resource) else b"A", analyzed.SerializeToString()), (b"s", part.SerializeToString())


class Session:
    """One preview's evaluation in the worker: `submit` each resource as it registers, then `finish` (or
    `abandon`). Any failure on this side or the worker's makes `finish` answer None (evaluate in-process)
    and retires the worker process, so no later session can read this one's frames."""

    def __init__(self, process: _Process, pack: LoadedPack, configure: analyzer_pb2.ConfigureAnalyzerRequest,
                 on_analyzed: Optional[Callable[[int, int], None]]):
        self._process, self._on_analyzed = process, on_analyzed
        self._lock = threading.Lock()
        self._submitted: list[CapturedResource] = []
        self._by_urn: dict[str, CapturedResource] = {}
        self._answer: Optional[dict] = None  # the worker's T frame
        self.error: Optional[str] = None
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()
        self._outbox.put((b"P", str(pack.path).encode()))
        self._outbox.put((b"C", configure.SerializeToString()))
        self._writer = threading.Thread(target=self._write_all, name="policy-worker-writer", daemon=True)
        self._reader = threading.Thread(target=self._read_all, name="policy-worker-reader", daemon=True)
        self._writer.start()
        self._reader.start()

    def submit(self, resource: CapturedResource) -> None:
        """Called as each resource registers (on the loop's thread, or on the SDK's executor threads when the
        monitor's calls are not made inline): queue its Analyze request and its part of the stack request."""
        with self._lock:
            if self.error is not None:
                return
            try:
                self._by_urn[resource.urn] = resource  # its explicit provider registered before it
                for frame in resource_frames(resource, self._by_urn):
                    self._outbox.put(frame)
                self._submitted.append(resource)
            except Exception as exc:  # noqa: BLE001 - the preview then evaluates in-process
                self.error = f"policy worker: {type(exc).__name__}: {exc}"

    def finish(self, resources: list[CapturedResource]) -> Optional[tuple[PolicyReport, list[ApiError]]]:
        """The program has ended: AnalyzeStack over the whole stack (each resource's part went with its
        Analyze request), then the report and the API errors (in the resources' order); None if the worker
        could not give them."""
        with self._lock:  # a submit that failed left the stack request short: drop the session instead
            self._outbox.put((b"X", b"") if self.error is not None else (b"S", b""))
        self._end()
        answer = self._answer
        if self.error is not None or answer is None or \
                len(self._submitted) != len(resources) or answer["analyzed"] != len(resources):
            return None
        if self._on_analyzed is not None:
            self._on_analyzed(len(resources), len(resources))
        report = PolicyReport.from_json(answer["report"])
        # The worker keys each resource's errors by the order it was sent in.
        errors = {id(self._submitted[int(i)]): found for i, found in answer["apiErrors"].items()}
        return report, [ApiError(**error) for r in resources for error in errors.get(id(r), ())]

    def abandon(self) -> None:
        """The program failed: tell the worker to drop this session."""
        self._outbox.put((b"X", b""))
        self._end()

    def _end(self) -> None:
        self._outbox.put(None)
        self._writer.join()
        self._reader.join()
        if self.error is not None:
            _retire(self._process)  # its pipes may hold this session's frames: never reuse it
        self._process.busy.release()

    def _write_all(self) -> None:
        stream = self._process.popen.stdin
        try:
            while (frame := self._outbox.get()) is not None:
                _write(stream, *frame)
                if frame[0] in (b"S", b"X"):
                    stream.flush()
        except (OSError, ValueError) as exc:  # the worker is gone; the reader sees its end too
            self.error = self.error or f"policy worker: {exc}"
            while self._outbox.get() is not None:  # let the sentinel through
                pass

    def _read_all(self) -> None:
        """Every frame of this session, to its terminal T or E (or the worker's end), whatever goes wrong
        here meanwhile: a reader that stopped early could leave the worker blocked on a full pipe."""
        stream = self._process.popen.stdout
        while True:
            frame = _read(stream)
            if frame is None:
                self.error = self.error or "policy worker ended"
                return
            kind, payload = frame
            try:
                if kind == b"N":
                    if self._on_analyzed is not None:
                        done = int(payload)
                        self._on_analyzed(done, max(done, len(self._submitted)))
                elif kind == b"T" and payload:
                    self._answer = json.loads(payload)
            except Exception as exc:  # noqa: BLE001
                self.error = self.error or f"policy worker: {type(exc).__name__}: {exc}"
            if kind == b"T":
                return
            if kind == b"E":
                self.error = payload.decode(errors="replace")
                return


def _retire(process: _Process) -> None:
    global _process
    with _process_lock:
        if _process is process:
            _process = None
    process.popen.kill()
    process.popen.wait()


def start(pack: LoadedPack, configure: analyzer_pb2.ConfigureAnalyzerRequest,
          on_analyzed: Optional[Callable[[int, int], None]] = None) -> Optional[Session]:
    """A session in this process's worker, started if need be; None when a worker cannot serve this preview
    (a pack not loaded from a directory, another preview in flight, no process or thread to start)."""
    global _process
    if pack.path is None:
        return None
    with _process_lock:
        if _process is not None and not _process.alive():
            _process = None
        if _process is None:
            try:
                _process = _Process()
            except OSError:
                return None
        process = _process
    if not process.busy.acquire(blocking=False):
        return None
    try:
        return Session(process, pack, configure, on_analyzed)
    except Exception:  # noqa: BLE001 - e.g. no thread could start: evaluate in-process
        process.busy.release()
        return None


# --------------------------------------------------------------------------------------------------
# The worker's side
# --------------------------------------------------------------------------------------------------


class _Named(NamedTuple):
    """A stack resource as a diagnostic naming it reads it."""
    urn: str
    type: str
    name: str


class _StackRequest:
    """One session's AnalyzeStack request, an `s` frame per resource as each registers: converted as it
    comes where the analyzer's AnalyzeStack is the shared one, else kept to be sent whole; analyzed in URN
    order either way, as the preview sends its own whole request."""

    def __init__(self, servicer: Any, request_scope: Callable):
        self._servicer, self._scope = servicer, request_scope
        self._built = StackResources(servicer, let_go=True) if building_stacks(servicer) else None
        self._parts: list[tuple[str, bytes]] = []
        self.by_urn: dict[str, Any] = {}  # what a diagnostic naming another resource is resolved against

    def add(self, payload: bytes) -> dict[str, list[str]]:
        """Take a resource's stack part; returns what each of its properties is made from (its property
        dependencies), read before a built stack lets the part go."""
        resource = analyzer_pb2.AnalyzeStackRequest.FromString(payload).resources[0]
        made_from = {key: list(deps.urns) for key, deps in resource.propertyDependencies.items()}
        if self._built is None:
            self.by_urn[resource.urn] = resource
            self._parts.append((resource.urn, payload))
            return made_from
        # Only a diagnostic naming it reads it from here (`ReportBuilder.resolve`: its type and name). The
        # message itself, properties and all, would hold about 11 KiB a resource: it is let go once built.
        self.by_urn[resource.urn] = _Named(resource.urn, resource.type, resource.name)
        with collector.paused(), self._scope():
            self._built.add(resource)
        return made_from

    def analyze(self) -> Any:
        with collector.paused(), self._scope():
            if self._built is not None:
                return analyze_built_stack(self._servicer, self._built)
            # Serialized repeated fields concatenate into one message.
            whole = b"".join(part for _, part in sorted(self._parts))
            return self._servicer.AnalyzeStack(analyzer_pb2.AnalyzeStackRequest.FromString(whole), None)


def serve(inbox: BinaryIO, outbox: BinaryIO) -> None:
    pack_dir = ""
    servicer = None
    report: Optional[ReportBuilder] = None
    stack: Optional[_StackRequest] = None  # from C to the session's end: S, X or a failure
    api_errors: dict[int, list[dict]] = {}  # by the order the resources were sent in
    sent = 0
    ended = True  # whether this session has sent its one terminal frame (T or E)

    def fail(exc: BaseException) -> None:
        nonlocal ended
        if not ended:
            _write(outbox, b"E", f"{type(exc).__name__}: {exc}".encode())
            outbox.flush()
            ended = True

    with shared_property_conversion(True) as request_scope:
        while (frame := _read(inbox)) is not None:
            kind, payload = frame
            try:
                if kind == b"P":
                    pack_dir, servicer, report, stack, ended = payload.decode(), None, None, None, False
                    api_errors.clear()
                    sent, checked = 0, None
                elif kind == b"C":
                    pack = loaded_policy_pack(pack_dir)  # kept across sessions while its files are unchanged
                    servicer = configured_servicer(pack, analyzer_pb2.ConfigureAnalyzerRequest.FromString(payload))
                    report = ReportBuilder(pack.name)
                    stack = _StackRequest(servicer, request_scope)
                elif kind in (b"A", b"B") and not ended:
                    request = analyzer_pb2.AnalyzeRequest.FromString(payload)
                    sent += 1
                    with collector.paused(), request_scope():
                        report.add(servicer.Analyze(request, None), request)
                    if sent % _PROGRESS_EVERY == 1:  # from the first on
                        _write(outbox, b"N", str(sent).encode())
                        outbox.flush()
                    # Its API check waits for its stack part, next, which says what its properties are made of.
                    checked = request if kind == b"B" else None
                elif kind == b"s" and not ended:
                    made_from = stack.add(payload)
                    if checked is not None:
                        with collector.paused():
                            errors = check_sorted(_checked(checked, made_from))
                        if errors:
                            api_errors[sent - 1] = [e.to_json() for e in errors]
                        checked = None
                elif kind == b"S" and not ended:
                    response = stack.analyze()
                    report.resolve(stack.by_urn)
                    report.add(response, None)
                    stack = None
                    report.report.sort()
                    _write(outbox, b"T", json.dumps({"analyzed": sent, "report": report.report.to_json(),
                                                     "apiErrors": api_errors}).encode())
                    outbox.flush()
                    ended = True
                elif kind == b"X" and not ended:
                    stack = None
                    _write(outbox, b"T")
                    outbox.flush()
                    ended = True
            except Exception as exc:  # noqa: BLE001 - reported to the parent, which evaluates in-process
                stack = None
                fail(exc)


def _checked(request: analyzer_pb2.AnalyzeRequest, made_from: dict[str, list[str]]) -> CapturedResource:
    """The resource as the API check reads it: a custom resource's type, name, URN and inputs, and what each input
    is made from (its stack part's property dependencies)."""
    return CapturedResource(urn=request.urn, type=request.type, name=request.name, parent=None, custom=True,
                            protect=False, inputs_struct=request.properties, state=struct_pb2.Struct(),
                            property_dependencies=made_from)


def main() -> None:
    if "--one-run" in sys.argv[1:]:
        collector.for_one_run()
    collector.started()
    # The frames own the real stdout; anything a policy prints goes to stderr instead.
    outbox = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    serve(sys.stdin.buffer, outbox)
    outbox.flush()
    sys.stderr.flush()
    os._exit(0)  # nothing left to do: skip tearing down the heap


if __name__ == "__main__":
    main()
