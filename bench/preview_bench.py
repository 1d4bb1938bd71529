"""Time the offline preview on generated stacks, and the policy evaluation on its own.

    ./dev bench                      # 10, 50 and 200 services, plus the real prod and iot stacks
    ./dev bench --sizes 10 --repeat 1

A generated stack is the dev stack with N services in a chain-and-fan call graph (each calls the next two),
every fifth one public and a canary on the first. Times are wall-clock seconds on this machine; the
median of --repeat runs is reported.
"""
from __future__ import annotations

import argparse
import copy
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from tools.mockrun import load_stack_settings, run_program
from tools.policyeval import evaluate, load_policy_pack, read_policy_config

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
        if i % 5 == 0:
            service["publicPath"] = f"/svc{i:03d}"
        services.append(service)
    services[0]["versions"] = copy.deepcopy(config[f"{PREFIX}services"][0]["versions"])
    services[-1]["externals"] = ["payment-provider"]
    config[f"{PREFIX}services"] = services
    config[f"{PREFIX}api"]["usagePlans"][2].pop("methodThrottles", None)
    return doc


def program_with(n: int, workdir: Path) -> Path:
    program = workdir / f"bench-{n}"
    program.mkdir()
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(ROOT / name, program / name)
    shutil.copytree(ROOT / "components", program / "components", ignore=shutil.ignore_patterns("__pycache__"))
    (program / "Pulumi.bench.yaml").write_text(yaml.safe_dump(generated_stack(n), sort_keys=False))
    return program


def measure(program: Path, stack: str, policy_config: Path, repeat: int) -> dict:
    pack = load_policy_pack(ROOT / "policies")
    config = read_policy_config(policy_config)
    run_times, policy_times = [], []
    for _ in range(repeat):
        settings = load_stack_settings(program, stack)
        start = time.perf_counter()
        run = run_program(settings)
        run_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        report = evaluate(pack, run.resources, config)
        policy_times.append(time.perf_counter() - start)
    return {
        "resources": len(run.resources),
        "program_s": round(statistics.median(run_times), 2),
        "policies_s": round(statistics.median(policy_times), 2),
        "total_s": round(statistics.median(run_times) + statistics.median(policy_times), 2),
        "policies": len(pack.policies),
        "mandatory": sum(v.enforcement_level == "mandatory" for v in report.violations),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = {"prod (real stack)": measure(ROOT, "prod", ROOT / "policies/config/prod.json", args.repeat),
            "iot (real stack)": measure(ROOT, "iot", ROOT / "policies/config/iot.json", args.repeat)}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            rows[f"{n} services"] = measure(program_with(n, Path(tmp)), "bench",
                                            ROOT / "policies/config/dev.json", args.repeat)
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print(f"{'stack':<20}{'resources':>10}{'program s':>11}{'policies s':>12}{'total s':>9}{'mandatory':>11}")
        for name, row in rows.items():
            print(f"{name:<20}{row['resources']:>10}{row['program_s']:>11}{row['policies_s']:>12}"
                  f"{row['total_s']:>9}{row['mandatory']:>11}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
