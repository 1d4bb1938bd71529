"""Starts a new deployment of one ECS service, so that its new tasks learn the Service Connect endpoints made since
its tasks started (a task resolves only the endpoints that existed when it started).

The platform invokes it during `pulumi up` (an aws.lambda.Invocation) for each service that calls a service declared
after it: a cycle in the call graph leaves one caller started before its callee's endpoint existed.

Event: {"cluster": "<cluster name or ARN>", "service": "<service name>"}. Only the standard library and the runtime's
boto3 (imported lazily, so tests inject a fake client).
"""
from __future__ import annotations

import time
from typing import Any, Callable, Mapping, Optional

# The function's role and its policy are made in the same `up`, just before the first invocation: IAM may not yet
# show the policy to ECS. A refusal is tried again for this long, within the function's timeout
# (components/dataplane/restarts.py).
ACCESS_RETRY_SECONDS = 20
ACCESS_RETRY_PAUSE = 2
# The ECS client's timeouts and attempts; a back-off of up to a second between attempts (standard mode).
CONNECT_SECONDS, READ_SECONDS, ATTEMPTS = 2, 5, 2
# The longest a run can take: refusals until the last pause, then a call that hangs on every attempt.
WORST_CASE_SECONDS = ACCESS_RETRY_SECONDS + ACCESS_RETRY_PAUSE + ATTEMPTS * (CONNECT_SECONDS + READ_SECONDS) + 1

_ECS = None


def _code(error: Exception) -> str:
    # botocore's timeout and closed-connection errors carry `response` None: they are raised as they are.
    return (getattr(error, "response", None) or {}).get("Error", {}).get("Code", "")


def restart(ecs: Any, event: Mapping[str, Any], sleep: Callable[[float], None] = time.sleep,
            clock: Callable[[], float] = time.monotonic) -> dict[str, str]:
    """UpdateService with forceNewDeployment: the same task definition, new tasks. Any other error, or a refusal
    that lasts, is raised, so the invocation, and the `pulumi up`, fail and say why."""
    cluster, service = event.get("cluster"), event.get("service")
    if not isinstance(cluster, str) or not cluster or not isinstance(service, str) or not service:
        raise ValueError(f"the event names no cluster and service: {dict(event)!r}")
    give_up = clock() + ACCESS_RETRY_SECONDS
    while True:
        try:
            reply = ecs.update_service(cluster=cluster, service=service, forceNewDeployment=True)["service"]
            break
        except Exception as error:  # botocore's ClientError, from the runtime's boto3
            if _code(error) != "AccessDeniedException" or clock() >= give_up:
                raise
            sleep(ACCESS_RETRY_PAUSE)
    # The deployment it started, for the invocation's result; the call has succeeded whatever ECS lists.
    primary = next((d["id"] for d in reply.get("deployments", ()) if d.get("status") == "PRIMARY"), "")
    return {"service": reply["serviceArn"], "deployment": primary}


def handler(event: Mapping[str, Any], context: Optional[Any]) -> dict[str, str]:
    global _ECS
    if _ECS is None:
        import boto3  # in the Lambda runtime; imported here so the module loads without it
        from botocore.config import Config

        # Short timeouts and one retry: a hung call ends as botocore's timeout error, within the function's timeout.
        _ECS = boto3.client("ecs", config=Config(connect_timeout=CONNECT_SECONDS, read_timeout=READ_SECONDS,
                                                 retries={"total_max_attempts": ATTEMPTS, "mode": "standard"}))
    return restart(_ECS, event)
