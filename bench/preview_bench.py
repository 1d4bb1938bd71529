"""Time the offline preview on the real stacks and on generated ones, in each data plane, and the tests.

    ./dev bench                         # prod, iot, 10/50/200 services, both planes, median of 3
    ./dev bench --sizes 10 --repeat 1 --planes appmesh
    ./dev bench --suite                 # also time the test suite (./dev test), median of --repeat
    ./dev bench --as-shipped --sizes 50 # also time the pack under pulumi-policy as shipped (a real run's analyzer)

Every run is a fresh interpreter (`python -m bench.preview_bench --one ...`), as `./dev preview` is, so the
numbers include imports and peak RSS is that run's own. A generated stack is the dev stack with N services
in a chain-and-fan call graph (each calls the next two), every fifth one public and a canary on the first.
Columns: program s and policy s (the two phases, inside the run: policy s is what is left to wait for after
the program, the worker having evaluated each resource as it registered), wall s (the whole process), cpu
s (user + system of the process and its policy worker: steadier than wall on a shared machine), peak RSS
of the process and of its policy worker. Medians of --repeat runs.
With --as-shipped, a second table times the pack's Analyze calls (together) and its AnalyzeStack call as a real
`pulumi preview --policy-pack` makes them, each mode in fresh interpreters after the program, collector on:
under pulumi-policy's analyzer as shipped (each policy converts each resource's properties itself; what a real run
does), and with the offline preview's analyzer shim (tools/sdk_internals/analyzer.py; what carrying it into the
pack would give). A real run makes each Analyze call as its resource registers, and the resource's step waits for
it; it makes the AnalyzeStack call after the program.
A plane the program does not know yet (`mesh.dataPlane` rejected by the config) shows as n/a.
Results also go to bench/results.json.

The machine's speed changes from hour to hour (a commit that previewed prod in 1.76 s on 2026-11-28 took
about 4 s on 2026-11-29), so every bench also times a fixed workload that runs no project or Pulumi code
(`reference s`: building, serialising and sorting plain Python data, in a fresh interpreter, median of
--repeat, before the previews and after them). Compare benches of different hours by it.
"""
from __future__ import annotations

import sys

from tools import collector, startup

# `--one` exactly: an `--one-analyzer` child keeps the collector on, as a real analyzer process does.
if __name__ == "__main__" and "--one" in sys.argv[1:]:
    startup.one_preview_process()  # as `python -m tools.preview` does, before the imports below

import argparse
import compileall
import copy
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Optional

import yaml

from tools import policyworker
from tools.policyeval import configure_request, evaluate, loaded_policy_pack, read_policy_config
from tools.preview import run_preview

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "service-mesh-platform:"


def generated_stack(n: int) -> dict:
    doc = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())
    config = doc["config"]
    template = config[f"{PREFIX}services"][1]
    services = []
    for i in range(n):
        service = copy.deepcopy(template)
        service["name"] = f"svc-{i:03d}"
        service["image"] = template["image"].replace("product-service", f"svc-{i:03d}")
        service["calls"] = [f"svc-{j:03d}" for j in (i + 1, i + 2) if j < n]
        service.pop("publicPath", None)
        service.pop("queryParameters", None)  # the template's; a generated service declares none
        if i % 5 == 0:
            service["publicPath"] = f"/svc{i:03d}"
        services.append(service)
    services[0]["versions"] = copy.deepcopy(config[f"{PREFIX}services"][0]["versions"])
    # Nothing calls svc-000: its canary splits the API's traffic by weight, and a header rule would route no request.
    services[0]["versions"][1].pop("headerMatch", None)
    services[-1]["externals"] = ["payment-provider"]
    config[f"{PREFIX}services"] = services
    config[f"{PREFIX}api"]["usagePlans"][2].pop("methodThrottles", None)
    return doc


def generated_policy_config(n: int) -> dict:
    """dev's policy config, with the generated stack's one service that calls an external host (the last) as
    the group allowed to send 443 to the internet, as dev's config names payment-service."""
    config = json.loads((ROOT / "policies" / "config" / "dev.json").read_text())
    last = f"svc-{n - 1:03d}"
    config["ec2-securitygroup-egress-restricted"]["httpsEgressGroups"] = [f"dev-{last}-sc", f"{last}-v*"]
    return config


def program_with(n: int, workdir: Path) -> Path:
    program = workdir / f"bench-{n}"
    program.mkdir()
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(ROOT / name, program / name)
    shutil.copytree(ROOT / "components", program / "components", ignore=shutil.ignore_patterns("__pycache__"))
    (program / "Pulumi.bench.yaml").write_text(yaml.safe_dump(generated_stack(n), sort_keys=False))
    (program / POLICY_CONFIG).write_text(json.dumps(generated_policy_config(n), indent=2))
    # Bytecode cached, as Python does after a program's first run (./dev does it for the project's own modules).
    compileall.compile_dir(program / "components", quiet=1)
    return program


POLICY_CONFIG = "policy-config.json"  # beside a generated program


RESULTS = ROOT / "bench" / "results.json"
PLANES = ("serviceconnect", "appmesh")
DEFAULT_PLANE = "default"  # no override: the stack's own plane (before mesh.dataPlane existed, App Mesh)


def reference_workload() -> None:
    """Fixed work in the preview's kind (small dicts and lists, strings, calls, JSON, sorting) and none of its
    code: its time says how fast the machine is this hour."""
    records = [{"urn": f"urn:pulumi:bench::p::aws:t{i % 97}::r{i}", "inputs": {"name": f"r{i}", "port": i % 65535,
                "tags": {"Environment": "bench", "Index": str(i)}, "rules": list(range(i % 12))}}
               for i in range(10_000)]
    for _ in range(3):
        text = json.dumps(records, sort_keys=True)
        records = sorted(json.loads(text), key=lambda r: (r["inputs"]["port"], r["urn"]))


def _overrides(plane: Optional[str]) -> list[str]:
    return [f"mesh.dataPlane={plane}"] if plane and plane != DEFAULT_PLANE else []


def run_one(program: Path, stack: str, policy_config: Path, plane: Optional[str]) -> dict:
    """In this (fresh) interpreter: one preview, its phases and its own peak RSS."""
    result = run_preview(stack, program, ROOT / "policies", policy_config, config_overrides=_overrides(plane))
    policyworker.shutdown()  # reaped, so its peak RSS is readable
    return {
        "error": result.error,
        "resources": len(result.program_resources),
        "program_s": result.timings.get("program_s"),
        "policy_s": result.timings.get("policy_s"),
        "mandatory": len(result.mandatory),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def run_analyzer(program: Path, stack: str, policy_config: Path, plane: Optional[str], shim: bool) -> dict:
    """In this (fresh) interpreter, collector on: the program, then the pack's Analyze calls and its AnalyzeStack
    call, under pulumi-policy as shipped or with the analyzer shim. Not timed: the program, and compiling the
    config's schema checks, which a real analyzer does once, at its Configure (the rest of Configure, about 6 ms
    at prod, is)."""
    result = run_preview(stack, program, config_overrides=_overrides(plane))
    if result.error:
        return {"error": result.error}
    collector.freeze_survivors()  # in a real run the program lives in another process (this freezes the imports, too)
    pack, config = loaded_policy_pack(ROOT / "policies"), read_policy_config(policy_config)
    configure_request(pack, config, policy_config.name)
    analyzed: list[float] = []

    def last_analyzed(done: int, total: int) -> None:
        if done == total:
            analyzed.append(time.perf_counter())

    start = time.perf_counter()
    evaluate(pack, result.resources, config, policy_config.name, optimise=shim, on_analyzed=last_analyzed)
    analyzed_all = analyzed[-1] if analyzed else start  # a stack of no resources has no Analyze call
    return {"resources": len(result.program_resources), "analyze_s": analyzed_all - start,
            "analyze_stack_s": time.perf_counter() - analyzed_all}


def _child(args: list[str]) -> tuple[dict, float, float]:
    """Run a command; return (the JSON on its last stdout line, wall s, cpu s from its own rusage)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=stderr)
        out = process.stdout.read()
        process.stdout.close()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        err = stderr.read().decode().strip()
    wall = time.perf_counter() - start
    try:
        doc = json.loads(out.decode().strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        doc = {"error": err.splitlines()[-1] if err else f"exit {process.returncode}"}
    return doc, wall, usage.ru_utime + usage.ru_stime


def measure_reference(repeat: int) -> float:
    """Median wall seconds of `reference_workload` in fresh interpreters (imports excluded)."""
    runs = [_child([sys.executable, "-m", "bench.preview_bench", "--reference"])[0]["reference_s"]
            for _ in range(repeat)]
    return round(statistics.median(runs), 2)


def _runs(mode: str, program: Path, stack: str, policy_config: Path, plane: Optional[str], repeat: int,
          *flags: str) -> tuple[list[dict], Optional[str]]:
    """`repeat` fresh children in `mode` (`--one`, `--one-analyzer`): each one's JSON with its wall and cpu
    seconds; or the error of the first that fails."""
    command = [sys.executable, "-m", "bench.preview_bench", mode, str(program), stack, str(policy_config), *flags]
    if plane:
        command += ["--plane", plane]
    runs = []
    for _ in range(repeat):
        doc, wall, cpu = _child(command)
        if doc.get("error"):
            return [], doc["error"]
        runs.append({**doc, "wall_s": wall, "cpu_s": cpu})
    return runs, None


def measure(program: Path, stack: str, policy_config: Path, plane: Optional[str], repeat: int) -> dict:
    runs, error = _runs("--one", program, stack, policy_config, plane, repeat)
    if error:
        return {"error": error}
    median = lambda key: round(statistics.median(r[key] for r in runs), 2)  # noqa: E731
    return {"resources": runs[0]["resources"], "program_s": median("program_s"), "policy_s": median("policy_s"),
            "wall_s": median("wall_s"), "cpu_s": median("cpu_s"), "peak_rss_mib": round(median("peak_rss_mib")),
            "worker_peak_rss_mib": round(median("worker_peak_rss_mib")),
            "mandatory": runs[0]["mandatory"], "runs": len(runs)}


def measure_as_shipped(program: Path, stack: str, policy_config: Path, plane: Optional[str], repeat: int) -> dict:
    row: dict = {}
    for prefix, flags in (("", ()), ("shim_", ("--shim",))):
        runs, error = _runs("--one-analyzer", program, stack, policy_config, plane, repeat, *flags)
        if error:
            return {"error": error}
        row.update({"resources": runs[0]["resources"], "runs": len(runs),
                    **{prefix + key: round(statistics.median(r[key] for r in runs), 2)
                       for key in ("analyze_s", "analyze_stack_s")}})
    return row


def time_suite(repeat: int) -> dict:
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        command = [str(ROOT / "dev"), "test", "-q", "-p", "no:cacheprovider"]
        completed = subprocess.run(command, cwd=ROOT,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime))
        if completed.returncode != 0:
            return {"error": completed.stdout.decode().strip().splitlines()[-1]}
    return {"wall_s": round(statistics.median(walls), 2), "cpu_s": round(statistics.median(cpus), 2),
            "runs": repeat}


def _row(name: str, plane: str, row: dict) -> str:
    if "error" in row:
        return f"{name:<18}{plane:<16}  n/a: {row['error'][:90]}"
    return (f"{name:<18}{plane:<16}{row['resources']:>9}{row['program_s']:>11.2f}{row['policy_s']:>10.2f}"
            f"{row['wall_s']:>9.2f}{row['cpu_s']:>8.2f}{row['peak_rss_mib']:>10}{row['worker_peak_rss_mib']:>12}"
            f"{row['mandatory']:>11}")


def _as_shipped_row(name: str, plane: str, row: dict) -> str:
    if "error" in row:
        return f"{name:<18}{plane:<16}  n/a: {row['error'][:90]}"
    return (f"{name:<18}{plane:<16}{row['resources']:>9}{row['analyze_s']:>11.2f}{row['analyze_stack_s']:>16.2f}"
            f"{row['shim_analyze_s']:>17.2f}{row['shim_analyze_stack_s']:>22.2f}")


# --help's first line. Not the module's docstring: `python -OO` drops docstrings.
DESCRIPTION = "Time the offline preview on the real stacks and on generated ones, in each data plane, and the tests."


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--planes", nargs="+", choices=PLANES + (DEFAULT_PLANE,),
                        help="data planes to preview (default: both, or the stacks' own if the program has no "
                             "mesh.dataPlane yet)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--suite", action="store_true", help="also time the test suite")
    parser.add_argument("--as-shipped", action="store_true",
                        help="also time the pack under pulumi-policy as shipped, as a real run's analyzer runs it "
                             "(minutes at 200 services)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--one", nargs=3, metavar=("PROGRAM", "STACK", "POLICY_CONFIG"), help=argparse.SUPPRESS)
    parser.add_argument("--one-analyzer", nargs=3, metavar=("PROGRAM", "STACK", "POLICY_CONFIG"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--shim", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--plane", help=argparse.SUPPRESS)
    parser.add_argument("--reference", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.reference:
        start = time.perf_counter()
        reference_workload()
        print(json.dumps({"reference_s": time.perf_counter() - start}))
        return 0
    if args.one:
        program, stack, policy_config = args.one
        print(json.dumps(run_one(Path(program), stack, Path(policy_config), args.plane)))
        collector.freeze_for_exit()  # as `python -m tools.preview` ends
        return 0
    if args.one_analyzer:
        program, stack, policy_config = args.one_analyzer
        print(json.dumps(run_analyzer(Path(program), stack, Path(policy_config), args.plane, args.shim)))
        return 0

    if args.planes is None:
        probe, _, _ = _child([sys.executable, "-m", "bench.preview_bench", "--one", str(ROOT), "prod",
                              str(ROOT / "policies/config/prod.json"), "--plane", PLANES[0]])
        args.planes = [DEFAULT_PLANE] if "mesh.dataPlane" in (probe.get("error") or "") else list(PLANES)
    reference_before = measure_reference(args.repeat)
    rows: list[dict] = []
    header = (f"{'stack':<18}{'plane':<16}{'resources':>9}{'program s':>11}{'policy s':>10}{'wall s':>9}"
              f"{'cpu s':>8}{'peak MiB':>10}{'worker MiB':>12}{'mandatory':>11}")
    if not args.json:
        print(f"median of {args.repeat} runs, each a fresh interpreter; {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.1f} at start; reference workload {reference_before} s")
        print(header)

    as_shipped: list[dict] = []

    def record(name: str, plane: str, row: dict) -> None:
        rows.append({"stack": name, "plane": plane, **row})
        if not args.json:
            print(_row(name, plane, row), flush=True)

    # iot's file holds no App Mesh settings (mesh.envoyImage...): it runs on Service Connect alone
    service_connect_only = [p for p in args.planes if p != "appmesh"]
    stacks = [("prod", ROOT, "prod", ROOT / "policies/config/prod.json", args.planes),
              ("iot", ROOT, "iot", ROOT / "policies/config/iot.json", service_connect_only)]
    with tempfile.TemporaryDirectory() as tmp:
        stacks += [(f"{n} services", program, "bench", program / POLICY_CONFIG, args.planes)
                   for n in args.sizes for program in [program_with(n, Path(tmp))]]
        for name, program, stack, policy_config, planes in stacks:
            for plane in planes:
                record(name, plane, measure(program, stack, policy_config, plane, args.repeat))
        if args.as_shipped:
            if not args.json:
                print("the pack's analyzer calls, under pulumi-policy as shipped (a real run) and with the shim:")
                print(f"{'stack':<18}{'plane':<16}{'resources':>9}{'Analyze s':>11}{'AnalyzeStack s':>16}"
                      f"{'shim: Analyze s':>17}{'shim: AnalyzeStack s':>22}")
            for name, program, stack, policy_config, planes in stacks:
                for plane in planes:
                    row = measure_as_shipped(program, stack, policy_config, plane, args.repeat)
                    as_shipped.append({"stack": name, "plane": plane, **row})
                    if not args.json:
                        print(_as_shipped_row(name, plane, row), flush=True)
    suite = time_suite(args.repeat) if args.suite else None
    reference = {"before_s": reference_before, "after_s": measure_reference(args.repeat)}
    if not args.json:
        print(f"reference workload: {reference['before_s']} s before, {reference['after_s']} s after")
    if suite is not None and not args.json:
        print("test suite: " + (f"n/a: {suite['error']}" if "error" in suite else
                                 f"wall {suite['wall_s']} s, cpu {suite['cpu_s']} s (median of {args.repeat})"))
    results = {"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "python": platform.python_version(),
               "cpus": os.cpu_count(), "load_average_at_end": round(os.getloadavg()[0], 1),
               "repeat": args.repeat, "reference": reference, "previews": rows, "suite": suite}
    if args.as_shipped:
        results["asShipped"] = as_shipped
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
