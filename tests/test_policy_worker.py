"""The policy worker (tools/policyworker.py): each resource's policies evaluated in a second process while
the program runs, with the same report as in-process evaluation, and in-process evaluation whenever the
worker cannot give one. tests/test_preview_speed.py compares whole stacks with and without it."""
from __future__ import annotations

import textwrap
import threading

import pytest

from tests.conftest import ROOT, shared_preview
from tests.test_policies_support import program as shared_program
from tools import policyworker
from tools import preview as preview_module
from tools.policyeval import PolicyConfigError, configure_request, load_policy_pack, loaded_policy_pack
from tools.preview import run_preview

PACK = ROOT / "policies"
PROGRAMS = ROOT / "tests" / "programs"
PACKS = ROOT / "tests" / "packs"


def in_process_report(program: str, pack=PACK):
    """The test program's preview with every speed-up off (in-process evaluation, the SDK as shipped): what the
    worker's report is compared with. The same run for every test that asks, so it runs once per test run."""
    return shared_preview("test", PROGRAMS / program, pack, optimise=False)


def compliant_resources() -> list:
    """The compliant program's resources, for the tests that feed them to the worker themselves (read, never
    changed): the run the policy tests share (`test_policies_support.program`), whose pack does not change what the program registers."""
    return shared_program("policy_compliant").resources


def findings(result):
    assert result.error is None, result.error
    return [v.to_json() for v in result.violations], [v.to_json() for v in result.not_run]


@pytest.fixture
def no_in_process_evaluation(monkeypatch):
    """Fail the preview if it evaluates policies or checks API payloads in this process, not the worker
    (`monkeypatch.undo()` lifts it)."""
    def refuse(*args, **kwargs):
        raise AssertionError("evaluated in-process")
    monkeypatch.setattr(preview_module, "evaluate", refuse)
    monkeypatch.setattr(preview_module, "check_resources", refuse)


def test_the_worker_gives_the_report_in_process_evaluation_gives(no_in_process_evaluation, monkeypatch):
    fast = run_preview("test", PROGRAMS / "policy_ecs", PACK)
    monkeypatch.undo()
    slow = in_process_report("policy_ecs")
    assert findings(fast) == findings(slow)
    assert fast.violations, "the program is there to fail some policies"


def test_one_worker_serves_successive_previews_and_survives_a_failed_program(no_in_process_evaluation):
    run_preview("test", PROGRAMS / "policy_compliant", PACK)
    worker = policyworker._process
    assert worker is not None and worker.alive()
    failed = run_preview("test", PROGRAMS / "failing_apply", PACK)
    assert failed.error is not None and "no retention policy" in failed.error
    after = run_preview("test", PROGRAMS / "policy_compliant", PACK)
    assert after.error is None and policyworker._process is worker  # the abandoned session left it usable


def test_a_worker_that_dies_mid_preview_leaves_the_preview_to_in_process_evaluation():
    pack = load_policy_pack(PACK)
    session = policyworker.start(pack, configure_request(pack, {}))
    assert session is not None
    session._process.popen.kill()
    session._process.popen.wait()  # dead before the next preview looks for a live worker
    assert session.finish([]) is None and session.error
    # The next preview starts a new worker; in-process evaluation stands in meanwhile, with the same report.
    result = run_preview("test", PROGRAMS / "policy_ecs", PACK)
    assert findings(result) == findings(in_process_report("policy_ecs"))
    assert policyworker._process.alive()


def test_a_second_preview_while_one_is_in_flight_is_evaluated_in_process():
    pack = load_policy_pack(PACK)
    first = policyworker.start(pack, configure_request(pack, {}))
    try:
        assert policyworker.start(pack, configure_request(pack, {})) is None
    finally:
        first.abandon()
    second = policyworker.start(pack, configure_request(pack, {}))
    assert second is not None
    second.abandon()


def _bucket_pack(directory, message: str, *, prints: bool = False):
    """A one-policy pack that reports every bucket with `message` (and with `prints`, prints each URN it checks)."""
    directory.mkdir(exist_ok=True)
    (directory / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (directory / "__main__.py").write_text(textwrap.dedent(f'''
        from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy

        def buckets(args, report_violation):
            {'print("checking", args.urn)' if prints else 'pass'}
            if args.resource_type == "aws:s3/bucket:Bucket":
                report_violation({message!r})

        PolicyPack(name="buckets", enforcement_level=EnforcementLevel.MANDATORY,
                   policies=[ResourceValidationPolicy(name="buckets", description="reports", validate=buckets)])
    '''))
    return directory


def test_a_policy_that_prints_does_not_disturb_the_worker(tmp_path, no_in_process_evaluation, capfd):
    pack = _bucket_pack(tmp_path / "pack", "buckets are reported", prints=True)
    policyworker.shutdown()  # the worker's stderr is the one it started with: start it inside capfd
    result = run_preview("test", PROGRAMS / "policy_compliant", pack)
    assert result.error is None, result.error
    buckets = [r.urn for r in result.resources if r.type == "aws:s3/bucket:Bucket"]
    assert buckets and sorted(v.urn for v in result.violations) == sorted(buckets)
    assert "checking" in capfd.readouterr().err  # what a policy prints reaches stderr


def test_a_pack_is_loaded_once_while_its_files_are_unchanged_and_again_when_one_changes(tmp_path):
    pack = _bucket_pack(tmp_path / "pack", "first")
    loaded = loaded_policy_pack(pack)
    assert loaded_policy_pack(pack) is loaded and loaded.path == pack.resolve()
    (pack / "notes.txt").write_text("a file the pack may read")  # any file of the pack counts
    assert loaded_policy_pack(pack) is not loaded
    kept = loaded_policy_pack(pack)
    (pack / "__main__.py").write_text("print('no pack here')\n")
    for _ in range(2):  # a pack that fails to load is not kept: it fails each time
        with pytest.raises(PolicyConfigError, match="did not construct a PolicyPack"):
            loaded_policy_pack(pack)
    _bucket_pack(pack, "second")
    again = loaded_policy_pack(pack)
    assert again is not kept and again.policies[0].name == "buckets"


def test_a_pack_rewritten_to_the_same_size_and_modification_time_is_loaded_again(tmp_path):
    """As `cp -p`, `rsync -a` or `tar x` leave a changed file: the change time still tells."""
    import os

    pack = _bucket_pack(tmp_path / "pack", "same")
    before = os.stat(pack / "__main__.py")
    loaded = loaded_policy_pack(pack)
    main = pack / "__main__.py"
    main.write_text(main.read_text().replace("'same'", "'SAME'"))
    os.utime(main, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(pack / "__main__.py").st_size == before.st_size
    assert loaded_policy_pack(pack) is not loaded


def test_a_packs_virtualenv_and_what_its_symlinks_lead_outside_it_are_not_read_for_changes(tmp_path):
    """`pulumi install` makes a Python pack's own virtualenv inside it (`virtualenv: venv`): thousands of files that
    are not the pack. A symlink that leads outside the pack is stamped as where it points, a loop as a link."""
    import os

    from tools.policyeval import _files_stamp

    pack = _bucket_pack(tmp_path / "pack", "first")
    venv = pack / "venv"
    (venv / "lib").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (venv / "lib" / "module.py").write_text("x = 1\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "big.txt").write_text("a tree the pack does not own\n")
    os.symlink(elsewhere, pack / "linked")
    os.symlink(pack, pack / "self")
    assert sorted(entry[0] for entry in _files_stamp(pack.resolve())) == [
        "PulumiPolicy.yaml", "__main__.py", "linked", "self/"]
    loaded = loaded_policy_pack(pack)
    (venv / "lib" / "module.py").write_text("x = 2, a package upgraded\n")
    (elsewhere / "big.txt").write_text("changed elsewhere\n")
    assert loaded_policy_pack(pack) is loaded
    os.remove(pack / "linked")
    os.symlink(tmp_path, pack / "linked")  # where it points is the pack's own
    assert loaded_policy_pack(pack) is not loaded
    (pack / "pyvenv.cfg").write_text("home = /usr/bin\n")  # a pack that is itself a virtualenv is still read
    assert "__main__.py" in {entry[0] for entry in _files_stamp(pack.resolve())}


def test_a_pack_changed_between_two_previews_is_the_changed_one_in_the_worker_too(tmp_path, no_in_process_evaluation):
    """The worker keeps the packs it loaded across sessions: only while their files are unchanged."""
    pack = _bucket_pack(tmp_path / "pack", "first")
    first = run_preview("test", PROGRAMS / "policy_compliant", pack)
    worker = policyworker._process
    _bucket_pack(pack, "second, after an edit")
    second = run_preview("test", PROGRAMS / "policy_compliant", pack)
    assert policyworker._process is worker  # the same worker served both
    for result, message in ((first, "first"), (second, "second, after an edit")):
        assert result.error is None, result.error
        assert result.violations and {v.message for v in result.violations} == {f"reports\n{message}"}


def test_progress_counts_what_the_worker_has_evaluated():
    seen: list[tuple[int, int]] = []
    lock = threading.Lock()

    class Progress:
        def registered(self, _resource=None):
            pass

        def analyzed(self, done, total):
            with lock:
                seen.append((done, total))

    result = preview_module.run_preview("test", PROGRAMS / "policy_compliant", PACK, progress=Progress())
    assert result.error is None
    total = len(result.resources)
    assert seen[-1] == (total, total)
    assert all(done <= of for done, of in seen) and [d for d, _ in seen[:-1]] == sorted(d for d, _ in seen[:-1])


def test_the_worker_runs_the_api_check_too(no_in_process_evaluation, monkeypatch):
    fast = run_preview("broken", PROGRAMS / "api_defects", PACK)
    monkeypatch.undo()
    slow = run_preview("broken", PROGRAMS / "api_defects", PACK, optimise=False)
    assert fast.error is None, fast.error
    assert slow.api_errors and [e.to_json() for e in fast.api_errors] == [e.to_json() for e in slow.api_errors]
    assert findings(fast) == findings(slow)


def test_a_failure_on_this_side_mid_session_retires_the_worker_and_leaves_the_preview_to_in_process(monkeypatch):
    """A progress callback that raises in the reader thread: the reader still reads the session to its end
    (the worker never blocks on a full pipe), the preview evaluates in-process, and the worker process is
    not reused, so no later session can read this one's frames."""
    run_preview("test", PROGRAMS / "policy_compliant", PACK)
    before = policyworker._process

    class Failing:
        def registered(self, _resource=None):
            pass

        def analyzed(self, done, total):
            raise RuntimeError("the terminal went away")

    in_process = []
    real_evaluate = preview_module.evaluate
    monkeypatch.setattr(preview_module, "evaluate", lambda *a, **k: in_process.append(1) or real_evaluate(*a, **k))
    result = preview_module.run_preview("test", PROGRAMS / "policy_ecs", PACK, progress=Failing())
    assert in_process == [1]
    assert result.error is not None and "terminal went away" in result.error  # in-process calls it too
    assert before is not None and not before.alive() and policyworker._process is not before
    monkeypatch.undo()
    after = run_preview("test", PROGRAMS / "policy_ecs", PACK)
    assert findings(after) == findings(in_process_report("policy_ecs"))


def test_a_resource_the_worker_cannot_take_leaves_the_preview_to_in_process(monkeypatch):
    from tools import policyworker as worker_module

    def broken(resource, by_urn):
        raise ValueError("cannot build the request")

    monkeypatch.setattr(worker_module, "analyze_request", broken)
    result = run_preview("test", PROGRAMS / "policy_ecs", PACK)
    monkeypatch.undo()
    assert findings(result) == findings(in_process_report("policy_ecs"))


def test_a_report_built_before_the_stack_is_known_names_resources_as_one_built_after():
    """The worker adds each response as it comes, before it knows the stack: a diagnostic naming another
    resource waits for `resolve`, and the report is the one in-process evaluation builds knowing all."""
    from types import SimpleNamespace

    from pulumi.runtime.proto import analyzer_pb2

    from tools.policyeval import ReportBuilder

    bucket = SimpleNamespace(urn="urn:bucket", type="aws:s3/bucket:Bucket", name="logs")
    key = SimpleNamespace(urn="urn:key", type="aws:kms/key:Key", name="logs-key")
    response = analyzer_pb2.AnalyzeResponse(diagnostics=[
        analyzer_pb2.AnalyzeDiagnostic(policyName="own", message="no urn: the resource analyzed"),
        analyzer_pb2.AnalyzeDiagnostic(policyName="named", message="its own urn", urn="urn:bucket"),
        analyzer_pb2.AnalyzeDiagnostic(policyName="other", message="the key it uses", urn="urn:key"),
        analyzer_pb2.AnalyzeDiagnostic(policyName="gone", message="not in the stack", urn="urn:gone"),
    ])
    stack = analyzer_pb2.AnalyzeResponse(diagnostics=[
        analyzer_pb2.AnalyzeDiagnostic(policyName="stack", message="a stack finding", urn="urn:key")])
    knowing = ReportBuilder("pack", {r.urn: r for r in (bucket, key)})
    knowing.add(response, bucket)
    knowing.add(stack, None)
    learning = ReportBuilder("pack")
    learning.add(response, bucket)
    assert [v.policy for v in learning.report.violations] == ["own", "named"]  # the others wait
    learning.resolve({r.urn: r for r in (bucket, key)})
    learning.add(stack, None)
    for report in (knowing.report, learning.report):
        report.sort()
    assert learning.report == knowing.report
    assert [(v.policy, v.type, v.name) for v in learning.report.violations] == [
        ("gone", "", ""), ("named", bucket.type, "logs"), ("other", key.type, "logs-key"),
        ("own", bucket.type, "logs"), ("stack", key.type, "logs-key")]


def _served(pack, resources: list) -> dict[bytes, bytes]:
    """The worker's `serve`, in this process, fed one session of `resources` in reverse order (not the URN
    order the preview sends a whole stack in): its last frame of each kind."""
    import io

    by_urn = {r.urn: r for r in resources}
    inbox = io.BytesIO()
    policyworker._write(inbox, b"P", str(pack).encode())
    policyworker._write(inbox, b"C", configure_request(load_policy_pack(pack), {}, "policy config").SerializeToString())
    for resource in reversed(resources):
        for frame in policyworker.resource_frames(resource, by_urn):
            policyworker._write(inbox, *frame)
    policyworker._write(inbox, b"S")
    inbox.seek(0)
    outbox = io.BytesIO()
    policyworker.serve(inbox, outbox)
    outbox.seek(0)
    return dict(iter(lambda: policyworker._read(outbox), None))


@pytest.mark.parametrize("built_ahead", [True, False])
@pytest.mark.parametrize("pack", [PACK, PACKS / "stack_order"], ids=["guardrails", "stack-order"])
def test_the_worker_gives_the_stack_findings_whatever_order_the_resources_come_in(built_ahead, pack, monkeypatch):
    """The worker builds the stack policies' view a resource at a time as the parts come (or, where the
    analyzer's AnalyzeStack is not the shared one, keeps the parts and sends them whole), in URN order
    either way: resources registering in another order give the report in-process evaluation gives."""
    import json

    from tools.policyeval import PolicyReport

    expected = in_process_report("policy_apigateway", pack)
    if pack == PACK:
        assert [v for v in expected.violations if v.policy.startswith("apigateway-stage-")], \
            "the program is there to fail some stack policies"
    else:  # each resource as "name <- parent [dependencies]"
        listed = expected.violations[0].message.split("; ")
        assert len(listed) == len(expected.resources)
        assert any(" <- -" not in entry for entry in listed) and any(not entry.endswith("[]") for entry in listed)
    monkeypatch.setattr(policyworker, "building_stacks", lambda servicer: built_ahead)

    answer = json.loads(_served(pack, expected.resources)[b"T"])
    report = PolicyReport.from_json(answer["report"])
    assert answer["analyzed"] == len(expected.resources)
    assert (report.violations, report.not_run) == (expected.violations, expected.not_run)


def test_the_worker_shares_one_read_only_stack_between_stack_policies():
    """Built ahead, each resource's props are the one read-only copy every stack policy reads, as in an
    in-process AnalyzeStack: a stack policy that writes to them ends the session with that error."""
    resources = compliant_resources()
    frames = _served(PACKS / "writes_stack_props", resources)
    assert b"T" not in frames and b"shares one read-only copy" in frames[b"E"]


def test_a_session_whose_submit_failed_is_dropped_not_analyzed(monkeypatch):
    """A resource that could not be sent leaves the stack request short: `finish` tells the worker to drop
    the session (X), not to analyze what it has (S), and answers None."""
    import io
    import types

    def broken(resource, by_urn):
        raise ValueError("cannot build the request")

    answered = io.BytesIO()
    policyworker._write(answered, b"T")
    answered.seek(0)
    sent = io.BytesIO()
    popen = types.SimpleNamespace(stdin=sent, stdout=answered, kill=lambda: None, wait=lambda: 0)
    process = types.SimpleNamespace(popen=popen, busy=threading.Lock())
    process.busy.acquire()
    pack = load_policy_pack(PACK)
    resource = compliant_resources()[0]
    session = policyworker.Session(process, pack, configure_request(pack, {}), None)
    monkeypatch.setattr(policyworker, "analyze_request", broken)
    session.submit(resource)
    assert session.finish([resource]) is None and "cannot build the request" in session.error
    sent.seek(0)
    assert [kind for kind, _ in iter(lambda: policyworker._read(sent), None)] == [b"P", b"C", b"X"]
