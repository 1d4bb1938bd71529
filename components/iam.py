"""IAM policy documents built as data and serialised once.

Documents are plain dicts rendered with json.dumps (no provider invoke), so they are the same under
mocks and in a real run, and tests can parse them back.
"""
from __future__ import annotations

import json
from typing import Any, Iterable, Sequence

import pulumi


def statement(actions: Sequence[str], resources: Sequence[Any], *, sid: str | None = None,
              conditions: dict | None = None) -> dict:
    out: dict[str, Any] = {"Effect": "Allow", "Action": list(actions), "Resource": list(resources)}
    if sid:
        out["Sid"] = sid
    if conditions:
        out["Condition"] = conditions
    return out


def policy_json(statements: Iterable[dict]) -> pulumi.Output[str]:
    """A policy document whose resources may be Outputs (ARNs known only after creation)."""
    return pulumi.Output.from_input({"Version": "2012-10-17", "Statement": list(statements)}).apply(json.dumps)


def assume_role_policy(service: str, *, conditions: dict | None = None) -> str:
    principal = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    if conditions:
        principal["Condition"] = conditions
    return json.dumps({"Version": "2012-10-17", "Statement": [principal]})
