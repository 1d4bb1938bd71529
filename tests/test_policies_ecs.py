"""ECS guardrails against tests/programs/policy_ecs (raw pulumi_aws resources)."""
from __future__ import annotations

import json
from typing import Optional

import pytest

from tests.test_policies_support import (
    CLEAN_VALUES,
    SECRET_VALUES,
    UNKNOWN,
    Finding,
    InsecureProgramSuite,
    Res,
    analyze,
    findings,
    messages,
    not_run,
    pairs,
    program,
    program_fixtures,
)

PROGRAM = "policy_ecs"
M, A = "mandatory", "advisory"
RUN_TASK_IP, RUN_TASK_ENV = "ecs-run-task-no-public-ip", "ecs-run-task-no-secret-env"
RUN_TASK_EXEC, RUN_TASK_GROUPS = "ecs-run-task-exec-disabled", "ecs-run-task-security-groups"
RUN_TASK_PLATFORM = "ecs-run-task-fargate-platform-version"
HOST = "ecs-taskdef-no-host-access"

FAILING = [
    # Hardening, per container (containerDefinitions is a JSON string on the wire).
    Finding("ecs-taskdef-no-privileged", "hardening-task", M, "container 'web' runs privileged"),
    Finding("ecs-taskdef-efs-transit-encryption", "hardening-task", M,
            "volume 'shared': efsVolumeConfiguration.transitEncryption is unset (DISABLED); set it to ENABLED"),
    Finding("ecs-taskdef-readonly-rootfs", "hardening-task", M,
            "container 'web' does not set readonlyRootFilesystem = true"),
    Finding("ecs-taskdef-nonroot-user", "hardening-task", M, "container 'web' runs as root (user root)"),
    Finding("ecs-taskdef-nonroot-user", "hardening-task", M, "container 'worker' runs as root (user 0:0)"),
    Finding("ecs-taskdef-nonroot-user", "hardening-task", M, "container 'sidecar' sets no user"),
    Finding("ecs-taskdef-log-configuration", "hardening-task", M, "container 'web' has no logConfiguration.logDriver"),
    Finding("ecs-taskdef-no-secret-env", "hardening-task", M,
            "container 'web' passes DB_PASSWORD as a plain environment variable"),
    Finding("ecs-taskdef-no-secret-env", "hardening-task", M,
            "container 'worker' passes AWS_SECRET_ACCESS_KEY as a plain environment variable"),
    Finding("ecs-taskdef-memory-limit", "hardening-task", A, "container 'web' sets no hard memory limit"),
    Finding("ecs-taskdef-image-pinned", "hardening-task", A, "container 'web' image nginx has no tag"),
    Finding("ecs-taskdef-image-pinned", "hardening-task", A, "worker:latest uses the latest tag"),
    # PascalCase members reach ECS as their camelCase selves.
    Finding("ecs-taskdef-no-privileged", "pascal-task", M, "container 'legacy' runs privileged"),
    Finding(HOST, "escape-task", M, "container 'agent' adds SYS_ADMIN, CAP_SYS_PTRACE to its capabilities, beyond "
                                    "Kubernetes' baseline set"),
    Finding(HOST, "escape-task", M, "container 'agent' is given the host's device /dev/mem"),
    Finding(HOST, "escape-task", M, "container 'agent' sets dockerSecurityOptions seccomp=unconfined, outside "
                                    "Kubernetes' baseline confinement"),
    Finding(HOST, "escape-task", M, "container 'agent' mounts volume docker, the host's /var/run/docker.sock"),
    Finding("ecs-taskdef-no-secret-env", "pascal-task", M, "container 'legacy' passes DB_PASSWORD as a plain "
                                                           "environment variable"),
    Finding("ecs-taskdef-no-ecs-sc-secret", "pascal-task", M, "container 'legacy' injects TLS_KEY from Service "
                                                              "Connect's TLS secret ecs-sc!orders-AbCdEf"),
    Finding("ecs-taskdef-awslogs-group-declared", "self-logging-task", A, "container 'chatty' lets the awslogs "
                                                                          "driver create log group /test at its first"),
    Finding("ecs-taskdef-awslogs-group-declared", "firelens-self-logging-task", A,
            "container 'app' lets FireLens's cloudwatch_logs output (auto_create_group) create log group /test/app at "
            "its first write: unencrypted by the stack's key, kept forever, and outside the stack"),
    Finding("ecs-taskdef-awsvpc-network", "host-task", M, "networkMode is host; it must be awsvpc"),
    Finding("ecs-taskdef-awsvpc-network", "bridge-task", M, "networkMode is unset (bridge on EC2)"),
    Finding("ecs-taskdef-no-host-namespaces", "host-task", M, "pidMode is host"),
    Finding("ecs-taskdef-no-host-namespaces", "host-task", M, "ipcMode is host"),
    Finding("ecs-taskdef-no-privileged", "later-task", M, "container 'late' runs privileged"),
    *[Finding("ecs-taskdef-no-secret-env", "keys-task", M, f"container 'signer' passes {name} as a plain environment")
      for name in ("JWT_SIGNING_KEY", "DATA_ENCRYPTION_KEY", "WEBHOOK_HMAC_KEY", "TLS_PRIVATE_KEY_PEM")],
    *[Finding("ecs-taskdef-no-ecs-sc-secret", "sc-key-task", M,
              f"container 'app' injects {name} from Service Connect's TLS secret ecs-sc!orders-AbCdEf")
      for name in ("TLS_KEY", "TLS_KEY_JSON")],
    # A daemon task definition's containers, written as the provider's blocks, and an Express service's one.
    *[Finding(policy, "bad-daemon-task", level, f"container 'agent' {text}") for policy, level, text in (
        ("ecs-taskdef-no-privileged", M, "runs privileged"),
        ("ecs-taskdef-readonly-rootfs", M, "does not set readonlyRootFilesystem = true"),
        ("ecs-taskdef-nonroot-user", M, "runs as root (user root)"),
        ("ecs-taskdef-log-configuration", M, "has no logConfiguration.logDriver"),
        ("ecs-taskdef-memory-limit", A, "sets no hard memory limit"),
        ("ecs-taskdef-no-secret-env", M, "passes DB_PASSWORD as a plain environment variable"),
        ("ecs-taskdef-no-ecs-sc-secret", M, "injects TLS_KEY from Service Connect's TLS secret ecs-sc!orders-AbCdEf"),
        (HOST, M, "adds SYS_ADMIN to its capabilities, beyond Kubernetes' baseline set"),
        (HOST, M, "mounts volume docker, the host's /var/run/docker.sock"),
        ("ecs-taskdef-image-pinned", A, "image public.ecr.aws/acme/agent:latest uses the latest tag"))],
    Finding("ecs-taskdef-no-secret-env", "bad-express", M,
            "primaryContainer passes DB_PASSWORD as a plain environment variable"),
    Finding("ecs-taskdef-no-ecs-sc-secret", "bad-express", M,
            "primaryContainer injects DB_URL from Service Connect's TLS secret ecs-sc!shop-AbCdEf"),
    Finding("ecs-taskdef-image-pinned", "bad-express", A, "primaryContainer image 111122223333.dkr.ecr.us-east-1."
                                                          "amazonaws.com/shop:latest uses the latest tag"),
    # Its image and one secret unknown in a first preview, which gives the known secret's finding alone.
    Finding("ecs-taskdef-image-pinned", "later-express", A, "primaryContainer image 111122223333.dkr.ecr.us-east-1."
                                                            "amazonaws.com/shop:latest uses the latest tag"),
    Finding("ecs-taskdef-no-ecs-sc-secret", "later-express", M,
            "primaryContainer injects TLS_KEY from Service Connect's TLS secret ecs-sc!shop-AbCdEf"),
    Finding("ecs-service-exec-disabled", "exec-daemon", M, "enableExecuteCommand is true"),
    # Envoy sidecar wiring under an APPMESH proxy configuration.
    Finding("ecs-taskdef-appmesh-envoy-essential", "miswired-mesh-task", M, "the Envoy container 'envoy' is not essential"),
    Finding("ecs-taskdef-appmesh-envoy-essential", "envoyless-mesh-task", M,
            "proxyConfiguration.containerName is 'proxy' but no container has that name"),
    Finding("ecs-taskdef-appmesh-envoy-user", "miswired-mesh-task", M,
            "runs as user '1000' but proxyConfiguration.properties.IgnoredUID is 1337"),
    Finding("ecs-taskdef-appmesh-envoy-user", "envoyless-mesh-task", M, "proxyConfiguration.properties sets no IgnoredUID"),
    Finding("ecs-taskdef-appmesh-envoy-resource-arn", "miswired-mesh-task", M,
            "does not set APPMESH_RESOURCE_ARN (APPMESH_VIRTUAL_NODE_NAME is deprecated)"),
    Finding("ecs-taskdef-appmesh-envoy-resource-arn", "gateway-task", M,
            "the Envoy container 'envoy' does not set APPMESH_RESOURCE_ARN"),
    Finding("ecs-taskdef-appmesh-envoy-image-pinned", "miswired-mesh-task", M, "aws-appmesh-envoy:latest uses the latest tag"),
    Finding("ecs-taskdef-appmesh-envoy-image-pinned", "gateway-task", M,
            "image public.ecr.aws/appmesh/aws-appmesh-envoy has no tag"),
    Finding("ecs-taskdef-appmesh-envoy-health-check", "miswired-mesh-task", M, "the Envoy container 'envoy' has no healthCheck"),
    Finding("ecs-taskdef-appmesh-envoy-health-check", "envoyless-mesh-task", M, "no container has that name"),
    Finding("ecs-taskdef-appmesh-app-depends-on-envoy", "miswired-mesh-task", M,
            "container 'app' does not dependsOn 'envoy' with condition HEALTHY"),
    Finding("ecs-taskdef-appmesh-app-depends-on-envoy", "envoyless-mesh-task", M, "no container has that name"),
    Finding("ecs-taskdef-appmesh-proxy-properties", "miswired-mesh-task", M, "sets no ProxyEgressPort"),
    Finding("ecs-taskdef-appmesh-proxy-properties", "miswired-mesh-task", M, "sets no AppPorts"),
    Finding("ecs-taskdef-appmesh-proxy-properties", "miswired-mesh-task", M,
            "EgressIgnoredIPs does not include 169.254.169.254"),
    Finding("ecs-taskdef-appmesh-proxy-properties", "envoyless-mesh-task", M, "sets no IgnoredUID"),
    # Services and clusters.
    Finding("ecs-service-no-public-ip", "public-service", M, "networkConfiguration.assignPublicIp is true"),
    Finding("ecs-service-no-public-ip", "public-task-set", M, "networkConfiguration.assignPublicIp is true"),
    Finding("ecs-service-security-groups", "default-group-service", M,
            "networkConfiguration.securityGroups is empty, so ECS puts the VPC's default security group on the tasks"),
    Finding("ecs-service-fargate-platform-version", "public-task-set", M, "platformVersion is 1.3.0"),
    Finding("ecs-service-fargate-platform-version", "public-service", M, "platformVersion is 1.3.0"),
    Finding("ecs-service-fargate-platform-version", "spot-service", M, "platformVersion is 1.2.0"),
    Finding("ecs-service-deployment-circuit-breaker", "public-service", A, "deploymentCircuitBreaker.enable is not true"),
    Finding("ecs-service-deployment-circuit-breaker", "spot-service", A, "deploymentCircuitBreaker.rollback is not true"),
    Finding("ecs-service-exec-disabled", "public-service", M, "enableExecuteCommand is true"),
    Finding("ecs-service-fargate-platform-version", "default-strategy-service", M,
            "platformVersion is 1.3.0; use LATEST or at least 1.4.0"),
    Finding("ecs-service-deployment-alarms", "canary-service", M,
            "deploymentConfiguration.strategy is CANARY but alarms names no alarmNames"),
    Finding("ecs-service-deployment-alarms", "blue-green-service", M,
            "alarms.rollback is not true; a BLUE_GREEN deployment that trips its alarms would not roll back"),
    Finding("ecs-service-container-health-check", "unchecked-service", A,
            "no load balancer checks this service's tasks and task definition unchecked-task has no container health "
            "check (healthCheck.command) on an essential app container (a sidecar's says nothing of the app)"),
    Finding("ecs-service-container-health-check", "sidecar-checked-service", A,
            "task definition sidecar-checked-task has no container health check (healthCheck.command) on an essential "
            "app container"),
    # What else starts tasks: EventBridge rules, Scheduler schedules and pipes (RunTask).
    Finding(RUN_TASK_IP, "public-rule-task", M,
            "ecsTarget.networkConfiguration.assignPublicIp gives the tasks it starts a public IP address"),
    Finding(RUN_TASK_IP, "public-schedule", M,
            "target.ecsParameters.networkConfiguration.assignPublicIp gives the tasks it starts a public IP address"),
    Finding(RUN_TASK_IP, "public-pipe", M, "targetParameters.ecsTaskParameters.networkConfiguration."
                                           "awsVpcConfiguration.assignPublicIp gives the tasks it starts a public IP"),
    Finding(RUN_TASK_ENV, "public-rule-task", M,
            "input gives container 'app' DB_PASSWORD as a plain environment variable; inject it from the task "
            "definition's `secrets` (valueFrom) instead"),
    Finding(RUN_TASK_ENV, "templated-rule-task", M,
            "inputTransformer.inputTemplate gives container 'app' API_TOKEN as a plain environment variable"),
    Finding(RUN_TASK_ENV, "unquoted-template-rule-task", M,
            "inputTransformer.inputTemplate gives container 'app' DB_PASSWORD as a plain environment variable"),
    Finding(RUN_TASK_ENV, "public-schedule", M,
            "target.input gives container 'app' AWS_SECRET_ACCESS_KEY as a plain environment variable"),
    Finding(RUN_TASK_IP, "public-universal-schedule", M,
            "target.input.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp gives the tasks it starts a public "
            "IP address"),
    Finding(RUN_TASK_ENV, "public-universal-schedule", M,
            "target.input gives container 'app' DB_PASSWORD as a plain environment variable"),
    Finding(RUN_TASK_ENV, "public-pipe", M, "targetParameters.ecsTaskParameters.overrides gives container 'app' "
                                            "DB_PASSWORD as a plain environment variable"),
    Finding(RUN_TASK_ENV, "later-rule-task", M, "input gives container 'app' DB_PASSWORD as a plain environment"),
    Finding(RUN_TASK_IP, "public-state-machine", M, "definition.States.Fan.Branches[0].States.Run.Parameters."
                                                    "NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp gives the "
                                                    "tasks it starts a public IP address"),
    Finding(RUN_TASK_ENV, "public-state-machine", M, "definition.States.Fan.Branches[0].States.Run.Parameters."
                                                     "Overrides gives container 'app' DB_PASSWORD as a plain "
                                                     "environment variable"),
    *[Finding(RUN_TASK_EXEC, name, M, f"{path} is true; ECS Exec gives interactive shells into the tasks it starts")
      for name, path in (("shell-rule-task", "ecsTarget.enableExecuteCommand"),
                         ("shell-schedule", "target.ecsParameters.enableExecuteCommand"),
                         ("shell-pipe", "targetParameters.ecsTaskParameters.enableExecuteCommand"),
                         ("shell-universal-schedule", "target.input.EnableExecuteCommand"),
                         ("shell-state-machine", "definition.States.Fan.Branches[0].States.Run.Parameters."
                                                 "EnableExecuteCommand"),
                         ("shell-start-state-machine", "definition.States.Fan.Branches[0].States.Run.Parameters."
                                                       "EnableExecuteCommand"))],
    *[Finding(RUN_TASK_GROUPS, name, M, f"{path} is empty, so ECS puts the VPC's default security group on the tasks "
                                        "it starts; name a group of their own")
      for name, path in (("open-rule-task", "ecsTarget.networkConfiguration.securityGroups"),
                         ("open-schedule", "target.ecsParameters.networkConfiguration.securityGroups"),
                         ("open-pipe", "targetParameters.ecsTaskParameters.networkConfiguration.awsVpcConfiguration."
                                       "securityGroups"),
                         ("open-universal-schedule", "target.input.NetworkConfiguration.AwsvpcConfiguration."
                                                     "SecurityGroups"),
                         *((name, "definition.States.Fan.Branches[0].States.Run.Parameters.NetworkConfiguration."
                                  "AwsvpcConfiguration.SecurityGroups")
                           for name in ("open-state-machine", "shell-start-state-machine")))],
    *[Finding(RUN_TASK_PLATFORM, name, M, f"{path}; use LATEST or at least 1.4.0")
      for name, path in (("old-rule-task", "ecsTarget.platformVersion is 1.3.0"),
                         ("old-schedule", "target.ecsParameters.platformVersion is 1.2.0"),
                         ("old-pipe", "targetParameters.ecsTaskParameters.platformVersion is 1.3.0"),
                         ("old-universal-schedule", "target.input.PlatformVersion is 1.3.0"),
                         ("old-state-machine", "definition.States.Fan.Branches[0].States.Run.Parameters."
                                               "PlatformVersion is 1.3.0"))],
    # AWS discontinued App Mesh on 2026-09-30: the finding recommends Service Connect alone.
    Finding("ecs-service-registry-mesh-tls", "registered-service", A,
            "the service registers its tasks in Cloud Map (serviceRegistries) and task definition good-task has "
            "neither Service Connect nor an App Mesh proxy: peers that discover it there call its tasks directly, "
            "in plaintext unless its containers terminate TLS; serve it through Service Connect with tls (list it in "
            "exemptServices if its containers terminate TLS)"),
    Finding("ecs-service-registry-mesh-tls", "registered-task-set", A,
            "the task set registers its tasks in Cloud Map (serviceRegistries) and task definition good-task has "
            "neither Service Connect nor an App Mesh proxy: peers that discover it there call its tasks directly, "
            "in plaintext unless its containers terminate TLS; a task set takes no Service Connect: serve its tasks "
            "from a service with Service Connect and tls instead (list it in exemptServices if its containers "
            "terminate TLS)"),
    Finding("ecs-cluster-container-insights", "dark-cluster", A, "settings has no containerInsights entry"),
    Finding("ecs-cluster-container-insights", "disabled-insights-cluster", A, "containerInsights is disabled"),
    Finding("ecs-capacity-provider-termination-protection", "unprotected-capacity", M,
            "autoScalingGroupProvider.managedTerminationProtection is unset (DISABLED)"),
]

TASK_POLICIES = ["ecs-taskdef-no-privileged", "ecs-taskdef-readonly-rootfs", "ecs-taskdef-nonroot-user",
                 "ecs-taskdef-log-configuration", "ecs-taskdef-no-secret-env", "ecs-taskdef-memory-limit",
                 "ecs-taskdef-awsvpc-network", "ecs-taskdef-no-host-namespaces", "ecs-taskdef-image-pinned",
                 "ecs-taskdef-no-ecs-sc-secret", "ecs-taskdef-awslogs-group-declared",
                 "ecs-taskdef-efs-transit-encryption", "ecs-taskdef-no-host-access"]
# What a daemon task definition has of a task definition: its containers and host volumes (no network or PID mode,
# no EFS); and what an Express service has of them: one container's image, environment and secrets.
DAEMON_TASK_POLICIES = [p for p in TASK_POLICIES if p not in (
    "ecs-taskdef-awsvpc-network", "ecs-taskdef-no-host-namespaces", "ecs-taskdef-efs-transit-encryption")]
EXPRESS_POLICIES = ["ecs-taskdef-no-secret-env", "ecs-taskdef-no-ecs-sc-secret", "ecs-taskdef-image-pinned"]
MESH_POLICIES = ["ecs-taskdef-appmesh-envoy-essential", "ecs-taskdef-appmesh-envoy-user",
                 "ecs-taskdef-appmesh-envoy-resource-arn", "ecs-taskdef-appmesh-envoy-image-pinned",
                 "ecs-taskdef-appmesh-envoy-health-check", "ecs-taskdef-appmesh-app-depends-on-envoy",
                 "ecs-taskdef-appmesh-proxy-properties"]
SERVICE_POLICIES = ["ecs-service-no-public-ip", "ecs-service-fargate-platform-version", "ecs-service-security-groups",
                    "ecs-service-deployment-circuit-breaker", "ecs-service-exec-disabled"]
ALARMED = ["ecs-service-no-public-ip", "ecs-service-fargate-platform-version", "ecs-service-exec-disabled",
           "ecs-service-deployment-alarms"]

PASSING = (
    # good-task's environment has TOKEN_TTL_SECONDS, S3_KEY_PREFIX, CACHE_KEY_TTL, KMS_ENCRYPTION_KEY_ARN,
    # DB_SECRET_ARN and SIGNING_KEY_ID: keys and references that are not secrets.
    [(p, "good-task") for p in TASK_POLICIES]
    + [(p, "pascal-good-task") for p in TASK_POLICIES]
    + [(p, "firelens-declared-task") for p in TASK_POLICIES]
    + [(p, "good-mesh-task") for p in TASK_POLICIES + MESH_POLICIES]
    # Envoy-only gateway tasks: only the image and APPMESH_RESOURCE_ARN rules apply without a proxy configuration.
    + [(p, "gateway-task") for p in MESH_POLICIES
       if p not in ("ecs-taskdef-appmesh-envoy-resource-arn", "ecs-taskdef-appmesh-envoy-image-pinned")]
    + [(p, "good-service") for p in SERVICE_POLICIES]
    + [(p, "good-daemon-task") for p in DAEMON_TASK_POLICIES]
    + [(p, "good-express") for p in EXPRESS_POLICIES] + [(p, "later-good-express") for p in EXPRESS_POLICIES]
    + [("ecs-taskdef-no-secret-env", "later-express")]
    + [("ecs-service-exec-disabled", "good-daemon")]
    + [(p, "good-task-set") for p in ("ecs-service-no-public-ip", "ecs-service-fargate-platform-version",
                                      "ecs-service-security-groups")]
    + [("ecs-service-deployment-circuit-breaker", "codedeploy-service"),
       ("ecs-service-fargate-platform-version", "ec2-service"),
       ("ecs-cluster-container-insights", "good-cluster"),
       ("ecs-capacity-provider-termination-protection", "protected-capacity"),
       ("ecs-service-container-health-check", "good-service"),
       ("ecs-service-container-health-check", "balanced-service"),
       ("ecs-service-container-health-check", "agent-service"),
       # Registered in Cloud Map from an App Mesh task (Envoy sidecar) and a virtual gateway's (Envoy alone).
       ("ecs-service-registry-mesh-tls", "meshed-registered-service"),
       ("ecs-service-registry-mesh-tls", "gateway-registered-service"),
       ("ecs-service-registry-mesh-tls", "meshed-registered-task-set"),
       ("ecs-service-registry-mesh-tls", "good-service")]
    + [(p, "linear-service") for p in ALARMED]
    # good-rule-task's override passes LOG_LEVEL and DB_SECRET_ARN; templated-rule-task keeps its tasks private.
    + [(p, r) for p in (RUN_TASK_IP, RUN_TASK_ENV)
       for r in ("good-rule-task", "good-schedule", "good-pipe", "good-universal-schedule", "good-state-machine",
                 "good-start-state-machine")]
    + [(RUN_TASK_IP, "templated-rule-task"), (RUN_TASK_IP, "later-rule-task")]
    # ECS Exec off, or left out (later-rule-task).
    + [(RUN_TASK_EXEC, r) for r in ("good-rule-task", "good-schedule", "good-pipe", "good-universal-schedule",
                                    "good-state-machine", "good-start-state-machine", "later-rule-task")]
    # Security groups named (one made in the program: later-group-*), or no awsvpc network (later-rule-task).
    + [(RUN_TASK_GROUPS, f"{kind}-{r}") for kind in ("good", "public", "shell")
       for r in ("rule-task", "schedule", "pipe", "universal-schedule", "state-machine")]
    + [(RUN_TASK_GROUPS, "good-start-state-machine")]
    + [(RUN_TASK_GROUPS, r) for r in ("later-group-rule-task", "later-group-pipe", "later-rule-task")]
    # Fargate at 1.4.0 or LATEST, no version pinned (good-*), or EC2, which has no platform versions.
    + [(RUN_TASK_PLATFORM, r) for r in ("recent-rule-task", "latest-pipe", "ec2-schedule", "good-rule-task",
                                        "good-schedule", "good-pipe", "good-universal-schedule", "good-state-machine")]
)


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def test_messages_never_echo_secret_values(result):
    # The program's DB_PASSWORD is "hunter2": findings name the variable, never its value.
    assert not [v for v in result.violations if "hunter2" in v.message]


def test_policy_config_knobs_change_the_verdict():
    knobs = {
        "ecs-taskdef-nonroot-user": {"exemptContainers": ["web", "worker", "sidecar"]},
        "ecs-taskdef-readonly-rootfs": {"exemptContainers": ["web"]},
        "ecs-taskdef-no-secret-env": {"allowedKeys": ["DB_PASSWORD"], "secretKeyPatterns": ["^AWS_", "_TTL_"]},
        "ecs-service-fargate-platform-version": {"minimumVersion": "1.3.0"},
        RUN_TASK_PLATFORM: {"minimumVersion": "1.3.0"},
    }
    tuned = program(PROGRAM, knobs)
    found = pairs(tuned)
    assert ("ecs-taskdef-nonroot-user", "hardening-task") not in found
    assert ("ecs-taskdef-readonly-rootfs", "hardening-task") not in found
    assert messages(tuned, "ecs-taskdef-no-secret-env", "hardening-task") == [
        "container 'worker' passes AWS_SECRET_ACCESS_KEY as a plain environment variable; "
        "inject it from `secrets` (valueFrom)"]
    assert ("ecs-taskdef-no-secret-env", "good-task") in found  # TOKEN_TTL_SECONDS matches the custom pattern
    assert ("ecs-service-fargate-platform-version", "public-service") not in found
    assert ("ecs-service-fargate-platform-version", "spot-service") in found
    assert (RUN_TASK_PLATFORM, "old-rule-task") not in found
    assert (RUN_TASK_PLATFORM, "old-schedule") in found


def test_container_definitions_known_only_after_the_update_are_not_violations(result, first_preview):
    # later-task's JSON embeds another resource's ARN: the whole string is unknown in a first preview.
    assert {"ecs-taskdef-no-privileged", "ecs-taskdef-nonroot-user"} <= not_run(first_preview, "later-task")
    assert not [v for v in first_preview.violations if v.name == "later-task"]
    assert ("ecs-taskdef-no-privileged", "later-task") in pairs(result)




def test_an_express_service_judges_what_a_first_preview_knows_of_its_container(result, first_preview):
    """Its image and a secret's valueFrom unknown until the update: no verdict on them, and the other checks run (a
    review found the service in notRun, its known Service Connect secret unreported)."""
    for name in ("later-express", "later-good-express"):
        assert not not_run(first_preview, name) & set(EXPRESS_POLICIES), name
    assert {p for p, name in pairs(first_preview) if name == "later-express"} == {"ecs-taskdef-no-ecs-sc-secret"}
    assert ("ecs-taskdef-image-pinned", "later-express") in pairs(result)


def test_a_rule_input_known_only_after_the_update_is_not_a_violation(result, first_preview):
    # later-rule-task's input embeds a task definition's ARN: unknown in a first preview, a finding once known.
    assert RUN_TASK_ENV in not_run(first_preview, "later-rule-task")
    assert not [v for v in first_preview.violations if v.name == "later-rule-task"]
    assert (RUN_TASK_ENV, "later-rule-task") in pairs(result)


def test_a_launchers_security_group_known_only_after_the_update_is_a_group(first_preview):
    for name in ("later-group-rule-task", "later-group-pipe"):
        assert RUN_TASK_GROUPS not in not_run(first_preview, name) | {v.policy for v in first_preview.violations
                                                                      if v.name == name}


def test_a_rule_that_starts_no_ecs_task_is_not_judged(result):
    # lambda-rule-target's input has the same overrides shape, but a Lambda function gets it as its event.
    assert not [v for v in result.violations + result.not_run if v.name == "lambda-rule-target"]


def test_the_member_names_are_the_ecs_apis_own():
    # Read through every structure a ContainerDefinition holds in botocore's ecs model: a member the table lacks
    # would be matched only as written, where the provider matches it in any case.
    import botocore.session

    from guardrails.ecs.containers import _MAPS, _MEMBERS

    model = botocore.session.get_session().get_service_model("ecs")
    members, maps, seen = set(), set(), set()

    def walk(shape):
        if shape.name in seen:
            return
        seen.add(shape.name)
        if shape.type_name == "structure":
            for name, member in shape.members.items():
                members.add(name)
                if member.type_name == "map":
                    maps.add(name)
                walk(member)
        elif shape.type_name == "list":
            walk(shape.member)
        elif shape.type_name == "map":
            walk(shape.value)

    walk(model.shape_for("ContainerDefinition"))
    assert set(_MEMBERS) == members and set(_MAPS) == maps


def test_the_pack_and_the_program_state_the_same_ecs_facts():
    """The pack imports nothing from components (it guards any program), so each states these facts about ECS
    itself: the name prefix of Service Connect's TLS key secrets, and the addresses an App Mesh proxy must not
    redirect (the task metadata and credentials endpoint, the instance metadata service)."""
    from components import naming
    from components.dataplane.appmesh import EGRESS_IGNORED_IPS
    from guardrails.ecs import SC_SECRET_PREFIX
    from guardrails.ecs.appmesh_sidecar import REQUIRED_EGRESS_IGNORED_IPS

    assert SC_SECRET_PREFIX == naming.SC_TLS_SECRET_PREFIX
    assert set(REQUIRED_EGRESS_IGNORED_IPS) == set(EGRESS_IGNORED_IPS)


# --- secrets told by their values ------------------------------------------------------------------------------

TASKDEF_ENV = "ecs-taskdef-no-secret-env"


def _env_findings(environment: dict, knobs: Optional[dict] = None, definitions=None) -> set[str]:
    """The task definition policy's messages on one container 'app' passing `environment` ({name: value})."""
    containers = json.dumps([{"name": "app", "image": "app:1.0",
                              "environment": [{"name": k, "value": v} for k, v in environment.items()]}])
    task = Res("aws:ecs/taskDefinition:TaskDefinition", "app-task",
               {"family": "app", "containerDefinitions": containers if definitions is None else definitions})
    config = {"all": "disabled", TASKDEF_ENV: {"enforcementLevel": "mandatory", **(knobs or {})}}
    return {message for _, _, message in findings(analyze([task], config))}


def _by_value(name: str, kind: str) -> str:
    return (f"container 'app' passes {name} as a plain environment variable whose value holds {kind}; inject it "
            "from `secrets` (valueFrom)")


def test_a_secret_under_an_innocuous_name_is_told_by_its_value_which_is_never_echoed():
    for name, (value, kind) in SECRET_VALUES.items():
        found = _env_findings({name: value, "LOG_LEVEL": "info"})
        assert found == {_by_value(name, kind)}, name
        assert not [m for m in found if value in m or "hunter2" in m or "ghp_" in m or "BEGIN" in m]


def test_urls_without_a_password_placeholders_and_paths_are_not_secrets():
    assert _env_findings(CLEAN_VALUES) == set()
    # ...and next to them, a URL with a password is.
    found = _env_findings({**CLEAN_VALUES, "ORDERS_DB_URL": SECRET_VALUES["DATABASE_URL"][0]})
    assert found == {_by_value("ORDERS_DB_URL", "Basic Auth Credentials (detect-secrets)")}


def test_a_variable_both_rules_flag_is_one_finding_and_allowed_keys_exempt_values_too():
    url, _ = SECRET_VALUES["DATABASE_URL"]
    token, kind = SECRET_VALUES["BUILD_INFO"]
    assert _env_findings({"DB_PASSWORD": url, "BUILD_INFO": token}) == {
        "container 'app' passes DB_PASSWORD as a plain environment variable; inject it from `secrets` (valueFrom)",
        _by_value("BUILD_INFO", kind)}
    # allowedKeys takes a variable out of both, as written or as words.
    assert _env_findings({"DATABASE_URL": url, "BUILD_INFO": token}, {"allowedKeys": ["databaseUrl"]}) == {
        _by_value("BUILD_INFO", kind)}
    assert _env_findings({"DATABASE_URL": url}, {"allowedKeys": ["DATABASE_URL"]}) == set()


def test_container_definitions_unknown_until_the_update_add_no_value_finding():
    value, kind = SECRET_VALUES["TLS_KEY"]
    assert _env_findings({"TLS_KEY": value}) == {_by_value("TLS_KEY", kind)}
    assert _env_findings({"TLS_KEY": value}, definitions=UNKNOWN) == set()


def _pipe_report(environments: list, container="app"):
    pipe = Res("aws:pipes/pipe:Pipe", "nightly-pipe", {"targetParameters": {"ecsTaskParameters": {
        "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/app:1",
        "overrides": {"containerOverrides": [{"name": container, "environments": environments}]}}}})
    return analyze([pipe], {"all": "disabled", RUN_TASK_ENV: "mandatory"})


def _pipe_findings(environments: list) -> set[str]:
    return {message for _, _, message in findings(_pipe_report(environments))}


def _universal_findings(arn, request) -> set[tuple[str, str]]:
    schedule = Res("aws:scheduler/schedule:Schedule", "nightly", {"target": {"arn": arn, "input": request}})
    levels = {"all": "disabled", RUN_TASK_IP: "mandatory", RUN_TASK_ENV: "mandatory"}
    return {(policy, message.split(" gives ")[0]) for policy, _, message in findings(analyze([schedule], levels))}


def test_a_universal_run_task_target_is_read_in_any_partition_and_case_and_only_for_starting_tasks():
    request = json.dumps({"networkConfiguration": {"awsvpcConfiguration": {"assignPublicIp": "ENABLED"}},
                          "overrides": {"containerOverrides": [
                              {"name": "app", "environment": [{"name": "DB_PASSWORD", "value": "hunter2"}]}]}})
    both = {(RUN_TASK_IP, "target.input.networkConfiguration.awsvpcConfiguration.assignPublicIp"),
            (RUN_TASK_ENV, "target.input")}
    for arn in ("arn:aws-us-gov:scheduler:::aws-sdk:ecs:runTask", "arn:aws-cn:scheduler:::aws-sdk:ECS:RunTask",
                "arn:aws:scheduler:::aws-sdk:ecs:startTask"):  # StartTask takes the same overrides
        assert _universal_findings(arn, request) == both, arn
    # Another action, another service's RunTask-like call, an ARN not known yet, an input not known yet.
    for arn in ("arn:aws:scheduler:::aws-sdk:ecs:stopTask", "arn:aws:scheduler:::aws-sdk:ecs:runTaskX",
                "arn:aws:scheduler:::aws-sdk:sqs:sendMessage", UNKNOWN):
        assert _universal_findings(arn, request) == set(), arn
    assert _universal_findings("arn:aws:scheduler:::aws-sdk:ecs:runTask", UNKNOWN) == set()


def test_a_universal_start_task_target_is_read_as_written_and_never_runs_on_fargate():
    """StartTask places tasks on the container instances it names: a platform version pinned in it is not judged."""
    request = json.dumps({"containerInstances": ["ci-1"], "enableExecuteCommand": True, "launchType": "FARGATE",
                          "platformVersion": "1.3.0", "networkConfiguration": {"awsvpcConfiguration": {}}})
    schedule = Res("aws:scheduler/schedule:Schedule", "nightly", {
        "target": {"arn": "arn:aws:scheduler:::aws-sdk:ecs:startTask", "input": request}})
    report = analyze([schedule], {"all": "disabled", **{p: "mandatory" for p in (RUN_TASK_EXEC, RUN_TASK_GROUPS,
                                                                                  RUN_TASK_PLATFORM)}})
    assert {message.split(" is ")[0] for _, _, message in findings(report)} == {
        "target.input.enableExecuteCommand", "target.input.networkConfiguration.awsvpcConfiguration.securityGroups"}


def test_the_universal_run_task_members_are_the_apis_own():
    # The RunTask request members read (in any case) are botocore's ecs model's: a misspelt one would never match.
    import botocore.session

    from guardrails.ecs.run_task import _REQUEST_PUBLIC_IP

    def walk(shape, *path):
        for name in path:
            shape = {m.lower(): s for m, s in shape.members.items()}[name.lower()]
            shape = getattr(shape, "member", shape)  # a list's items
        return shape

    for operation in ("RunTask", "StartTask"):
        request = botocore.session.get_session().get_service_model("ecs").operation_model(operation).input_shape
        assert walk(request, *_REQUEST_PUBLIC_IP).enum == ["ENABLED", "DISABLED"]
        assert {"name", "value"} <= set(walk(request, "Overrides", "ContainerOverrides", "Environment").members)
        assert "name" in walk(request, "Overrides", "ContainerOverrides").members


def test_a_run_task_override_is_read_by_its_values_too_and_an_unknown_one_is_skipped():
    value, kind = SECRET_VALUES["DATABASE_URL"]
    assert _pipe_findings([{"name": "DATABASE_URL", "value": value}, {"name": "REPLICA_URL", "value": UNKNOWN},
                           {"name": "DB_PASSWORD", "value": UNKNOWN}]) == {
        "targetParameters.ecsTaskParameters.overrides gives container 'app' DATABASE_URL as a plain environment "
        f"variable whose value holds {kind}; inject it from the task definition's `secrets` "
        "(valueFrom) instead",
        "targetParameters.ecsTaskParameters.overrides gives container 'app' DB_PASSWORD as a plain environment "
        "variable; inject it from the task definition's `secrets` (valueFrom) instead"}


def test_a_pipe_override_whose_container_name_is_unknown_is_judged_by_its_variables():
    # The name only labels the message: a first preview (a name made from another resource) judges the variables.
    secure = _pipe_report([{"name": "QUEUE_URL", "value": UNKNOWN}], container=UNKNOWN)
    assert (findings(secure), secure.not_run) == (set(), [])
    leaky = _pipe_report([{"name": "DB_PASSWORD", "value": "x"}], container=UNKNOWN)
    assert {message for _, _, message in findings(leaky)} == {
        "targetParameters.ecsTaskParameters.overrides gives containerOverrides[0] DB_PASSWORD as a plain environment "
        "variable; inject it from the task definition's `secrets` (valueFrom) instead"}


def test_the_stacks_plain_values_are_scanned_and_hold_no_secret(iot_preview, prod_appmesh_preview):
    # The plain values our stacks pass (iot's functions and command service; on App Mesh, each Envoy's), all read
    # by detect-secrets, hold none. The stacks' verdicts are checked whole in tests/test_policies_compliant.py.
    from guardrails.core.secret_names import secret_kinds

    values = []
    for result in (iot_preview, prod_appmesh_preview):
        for r in result.resources:
            if r.type == "aws:ecs/taskDefinition:TaskDefinition":
                values += [e.get("value") for c in json.loads(r.inputs["containerDefinitions"])
                           for e in c.get("environment") or []]
            elif r.type == "aws:lambda/function:Function":
                values += list(((r.inputs.get("environment") or {}).get("variables") or {}).values())
    values = [v for v in values if isinstance(v, str) and v]
    assert len(values) > 10
    assert secret_kinds(values) == [[] for _ in values]


# --- Cloud Map discovery without a mesh ------------------------------------------------------------

REGISTRY_ONLY = {"all": "disabled", "ecs-service-registry-mesh-tls": "mandatory"}
REGISTRY_ARN = "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-orders"


def _registered(service_props: dict, task_props: Optional[dict] = None, config: Optional[dict] = None) -> set:
    """The registry policy's (resource, message) on a registered service `orders` running task definition `orders`."""
    task = Res("aws:ecs/taskDefinition:TaskDefinition", "orders-task", {
        "family": "orders", "containerDefinitions": json.dumps([{"name": "app", "image": "orders:1.0"}]),
        **(task_props or {})})
    service = Res("aws:ecs/service:Service", "orders", {
        "name": "orders", "taskDefinition": "orders", "serviceRegistries": {"registryArn": REGISTRY_ARN},
        **service_props})
    return {(name, message) for _, name, message in findings(analyze([task, service], config or REGISTRY_ONLY))}


def test_a_registered_service_is_judged_by_its_service_connect_endpoints_and_its_task_definition():
    reported = _registered({})
    assert [name for name, _ in reported] == ["orders"]
    # Service Connect serving an endpoint: ecs-service-connect-tls judges its TLS, not this policy.
    serving = {"serviceConnectConfiguration": {"enabled": True, "services": [{"portName": "http"}]}}
    assert _registered(serving) == set()
    # A client-only Service Connect serves nothing: peers still reach the tasks through the registry.
    assert _registered({"serviceConnectConfiguration": {"enabled": True}}) == reported
    assert _registered({"serviceConnectConfiguration": {"enabled": UNKNOWN}}) == set()
    # In App Mesh (the proxy configuration's type defaults to APPMESH), or unknown until the update.
    assert _registered({}, {"proxyConfiguration": {"containerName": "envoy"}}) == set()
    assert _registered({}, {"proxyConfiguration": UNKNOWN}) == set()
    assert _registered({}, {"containerDefinitions": UNKNOWN}) == set()
    # A task definition outside the stack: nothing to judge.
    assert _registered({"taskDefinition": "payments"}) == set()
    # Not registered: nothing to discover.
    assert _registered({"serviceRegistries": None}) == set()


def test_a_service_whose_containers_terminate_tls_can_be_exempted_by_name():
    def exempting(*patterns: str) -> dict:
        return {**REGISTRY_ONLY, "ecs-service-registry-mesh-tls": {"enforcementLevel": "mandatory",
                                                                    "exemptServices": list(patterns)}}

    assert _registered({}, config=exempting("ord*")) == set()  # by its resource name
    assert _registered({"name": "orders-v2"}, config=exempting("*-v2")) == set()  # by its ECS name
    assert [name for name, _ in _registered({}, config=exempting("payments"))] == ["orders"]


def test_a_task_set_is_exempted_by_its_own_name_or_its_services():
    task = Res("aws:ecs/taskDefinition:TaskDefinition", "orders-task", {
        "family": "orders", "containerDefinitions": json.dumps([{"name": "app", "image": "orders:1.0"}])})
    task_set = Res("aws:ecs/taskSet:TaskSet", "orders-blue", {
        "service": "arn:aws:ecs:us-east-1:123456789012:service/shop/orders", "cluster": "shop",
        "taskDefinition": "orders", "serviceRegistries": {"registryArn": REGISTRY_ARN}})

    def reported(*patterns: str) -> set:
        config = {**REGISTRY_ONLY, "ecs-service-registry-mesh-tls": {"enforcementLevel": "mandatory",
                                                                      "exemptServices": list(patterns)}}
        return {name for _, name, _ in findings(analyze([task, task_set], config))}

    assert reported() == {"orders-blue"}
    assert reported("orders") == reported("*-blue") == set()
    assert reported("payments") == {"orders-blue"}


@pytest.mark.parametrize("service, refs, reported", [
    # Made from the stack's service `orders` (svc.id, its ARN): known once the service exists, not in a first preview.
    ("arn:aws:ecs:us-east-1:123456789012:service/shop/orders-7f3a", ["orders"], False),
    (UNKNOWN, ["orders"], False),
    # Unknown and made from no service of the stack's: it may be the exempt one; another known one is not.
    (UNKNOWN, [], False),
    ("payments", [], True)])
def test_a_task_set_is_exempted_by_the_stack_service_it_is_made_from(service, refs, reported):
    """exemptServices names the service `orders` (its resource name); the task set names it by the service's id."""
    task = Res("aws:ecs/taskDefinition:TaskDefinition", "orders-task", {
        "family": "orders", "containerDefinitions": json.dumps([{"name": "app", "image": "orders:1.0"}])})
    arn = UNKNOWN if service is UNKNOWN else "arn:aws:ecs:us-east-1:123456789012:service/shop/orders-7f3a"
    ecs_service = Res("aws:ecs/service:Service", "orders", {"id": arn, "cluster": "shop"})
    task_set = Res("aws:ecs/taskSet:TaskSet", "orders-blue", {
        "service": service, "cluster": "shop", "taskDefinition": "orders",
        "serviceRegistries": {"registryArn": REGISTRY_ARN}}, {"service": refs})
    config = {**REGISTRY_ONLY, "ecs-service-registry-mesh-tls": {"enforcementLevel": "mandatory",
                                                                  "exemptServices": ["orders"]}}
    found = {name for _, name, _ in findings(analyze([task, ecs_service, task_set], config))}
    assert found == ({"orders-blue"} if reported else set())


def test_the_stack_configs_make_the_registry_policy_mandatory():
    # Advisory by its own level (another team's containers may terminate TLS, which the pack cannot see); our stacks
    # promise encrypted service traffic, so their configs' "all" makes it mandatory.
    from tests.test_policies_support import BY_NAME, stack_level

    assert BY_NAME["ecs-service-registry-mesh-tls"].enforcement_level.value == "advisory"
    assert {stack_level(stack, "ecs-service-registry-mesh-tls") for stack in ("dev", "prod", "iot")} == {"mandatory"}


def _host_access(container: dict, volumes: Optional[list] = None, knobs: Optional[dict] = None) -> set[str]:
    """The findings on a task of one container, which mounts every volume given unless it says what it mounts."""
    mounts = [{"sourceVolume": v["name"], "containerPath": f"/mnt/{v['name']}"} for v in volumes or []]
    task = Res("aws:ecs/taskDefinition:TaskDefinition", "task", {
        "family": "task", "containerDefinitions": json.dumps([{"name": "app", "image": "app:1",
                                                               "mountPoints": mounts, **container}]),
        **({"volumes": volumes} if volumes is not None else {})})
    return {message for _, _, message in findings(analyze([task], {"all": "disabled",
                                                                   HOST: {"enforcementLevel": "mandatory",
                                                                          **(knobs or {})}}))}


@pytest.mark.parametrize("container,volumes,found", [
    ({"linuxParameters": {"capabilities": {"add": ["ALL"]}}}, None, "adds ALL to its capabilities"),
    ({"linuxParameters": {"capabilities": {"add": ["net_admin"]}}}, None, "adds net_admin"),
    ({"dockerSecurityOptions": ["label:disable"]}, None, "sets dockerSecurityOptions label:disable"),
    ({"dockerSecurityOptions": ["apparmor:unconfined"]}, None, "apparmor:unconfined"),
    # SELinux: the super-privileged type, and a user of the container's choosing.
    ({"dockerSecurityOptions": ["label:type:spc_t"]}, None, "label:type:spc_t"),
    ({"dockerSecurityOptions": ["label=user:system_u"]}, None, "label=user:system_u"),
    ({}, [{"name": "root", "hostPath": "/"}], "mounts volume root, the host's /"),
    ({}, [{"name": "run", "hostPath": "/var/run/"}], "mounts volume run, the host's /var/run/"),
    ({}, [{"name": "etc", "hostPath": "/etc"}], "mounts volume etc, the host's /etc"),
    ({}, [{"name": "agent", "hostPath": "/etc/ecs"}], "mounts volume agent, the host's /etc/ecs"),
    # Inside the baseline, a confinement of its own, a file of /etc, a directory of the host's logs, a Docker volume.
    ({"linuxParameters": {"capabilities": {"add": ["CHOWN", "NET_BIND_SERVICE"], "drop": ["ALL"]}}}, None, None),
    ({"dockerSecurityOptions": ["apparmor:docker-default", "no-new-privileges", "label:type:container_t"]}, None,
     None),
    ({}, [{"name": "certs", "hostPath": "/etc/ssl/certs"}, {"name": "logs", "hostPath": "/var/log/app"},
          {"name": "scratch"}], None),
    # A host path no container mounts reaches nothing.
    ({"mountPoints": []}, [{"name": "docker", "hostPath": "/var/run/docker.sock"}], None),
    # Capabilities as Docker also takes them: with CAP_, in lower case; options in any case.
    ({"linuxParameters": {"capabilities": {"add": ["CAP_CHOWN", "net_bind_service"]}}}, None, None),
    ({"dockerSecurityOptions": ["SECCOMP:unconfined"]}, None, "SECCOMP:unconfined"),
    ({"dockerSecurityOptions": ["AppArmor=Unconfined"]}, None, "AppArmor=Unconfined"),
    ({"dockerSecurityOptions": ["label:role:system_r"]}, None, "label:role:system_r"),
    ({"dockerSecurityOptions": ["label:type:container_init_t"]}, None, None),
    # The socket's other place, a path written with a doubled slash; names that only begin like a host path.
    ({}, [{"name": "sock", "hostPath": "/run/docker.sock"}], "the host's /run/docker.sock"),
    ({}, [{"name": "proc", "hostPath": "//proc"}], "the host's //proc"),
    ({}, [{"name": n, "hostPath": f"/{n}"} for n in ("devops", "rootfs", "sysroot", "proc-data")], None),
    # `.` and `..` resolve as the kernel resolves a bind mount's source.
    ({}, [{"name": "etc", "hostPath": "/etc/."}], "mounts volume etc, the host's /etc/."),
    ({}, [{"name": "proc", "hostPath": "/tmp/../proc"}], "the host's /tmp/../proc"),
    ({}, [{"name": "logs", "hostPath": "/proc/../var/log/app"}], None),
    # Docker's local driver bound to a host path (o=bind, device) is a bind mount of it; its own volume is not.
    ({}, [{"name": "sock", "dockerVolumeConfiguration": {"scope": "task", "driver": "local", "driverOpts": {
        "type": "none", "o": "bind", "device": "/var/run"}}}], "mounts volume sock, the host's /var/run"),
    ({}, [{"name": "proc", "dockerVolumeConfiguration": {"scope": "shared", "autoprovision": True, "driverOpts": {
        "type": "none", "o": "ro,rbind", "device": "/proc"}}}], "the host's /proc"),
    ({}, [{"name": "data", "dockerVolumeConfiguration": {"scope": "task", "driver": "local", "driverOpts": {
        "type": "tmpfs", "device": "tmpfs", "o": "size=100m"}}},
          {"name": "plugin", "dockerVolumeConfiguration": {"scope": "shared", "driver": "rexray/ebs", "driverOpts": {
              "o": "bind", "device": "/dev/xvdf"}}}], None),
])
def test_host_access_is_each_piece_of_what_privileged_grants(container, volumes, found):
    messages = _host_access(container, volumes)
    assert [m for m in messages if found in m] if found else messages == set(), messages


def test_an_exempt_agents_host_mounts_given_to_another_container_are_that_ones():
    """volumesFrom gives a container every volume of its source, the exempt agent's host paths too (and theirs)."""
    definitions = [{"name": "agent", "image": "agent:1", "mountPoints": [{"sourceVolume": "root"}]},
                   {"name": "relay", "image": "relay:1", "volumesFrom": [{"sourceContainer": "agent"}]},
                   {"name": "app", "image": "app:1", "volumesFrom": [{"sourceContainer": "relay"}],
                    # A malformed mount names no volume; it does not stop the policy.
                    "mountPoints": [{"sourceVolume": ["root"]}, None]}]
    task = Res("aws:ecs/taskDefinition:TaskDefinition", "task", {
        "family": "task", "containerDefinitions": json.dumps(definitions),
        "volumes": [{"name": "root", "hostPath": "/"}]})
    config = {"all": "disabled", HOST: {"enforcementLevel": "mandatory", "exemptContainers": ["agent"]}}
    report = analyze([task], config)
    assert {message.split(" mounts ")[0] for _, _, message in findings(report)} == {"container 'relay'",
                                                                                  "container 'app'"}
    assert report.not_run == []


def test_a_container_exempted_from_host_access_keeps_its_capabilities_devices_and_mounts():
    """A log or metrics agent on EC2 that must (the CloudWatch agent mounts / and the Docker socket)."""
    container = {"linuxParameters": {"capabilities": {"add": ["SYS_PTRACE"]}, "devices": [{"hostPath": "/dev/fuse"}]}}
    volumes = [{"name": "docker", "hostPath": "/var/run/docker.sock"}]
    assert len(_host_access(container, volumes)) == 3
    assert _host_access(container, volumes, knobs={"exemptContainers": ["app"]}) == set()


def _state_machine_findings(states: dict) -> set[tuple[str, str]]:
    machine = Res("aws:sfn/stateMachine:StateMachine", "machine", {
        "definition": json.dumps({"StartAt": next(iter(states)), "States": states})})
    levels = {"all": "disabled", RUN_TASK_IP: "mandatory", RUN_TASK_ENV: "mandatory"}
    return {(policy, message.split(" ")[0]) for policy, _, message in findings(analyze([machine], levels))}


IP_PATH = ".NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp"
PUBLIC_RUN = {"NetworkConfiguration": {"AwsvpcConfiguration": {"AssignPublicIp": "ENABLED"}},
              "Overrides": {"ContainerOverrides": [{"Name": "app",
                                                    "Environment": [{"Name": "DB_PASSWORD", "Value": "x"}]}]}}


@pytest.mark.parametrize("states,found", [
    # A Map's processor (and its older Iterator), the SDK integration, JSONata's Arguments.
    ({"M": {"Type": "Map", "End": True, "ItemProcessor": {"StartAt": "R", "States": {"R": {
        "Type": "Task", "Resource": "arn:aws:states:::ecs:runTask", "Parameters": PUBLIC_RUN, "End": True}}}}},
     {(RUN_TASK_IP, "definition.States.M.ItemProcessor.States.R.Parameters" + IP_PATH),
      (RUN_TASK_ENV, "definition.States.M.ItemProcessor.States.R.Parameters.Overrides")}),
    ({"M": {"Type": "Map", "End": True, "Iterator": {"StartAt": "R", "States": {"R": {
        "Type": "Task", "Resource": "arn:aws-us-gov:states:::aws-sdk:ecs:runTask", "Parameters": PUBLIC_RUN,
        "End": True}}}}},
     {(RUN_TASK_IP, "definition.States.M.Iterator.States.R.Parameters" + IP_PATH),
      (RUN_TASK_ENV, "definition.States.M.Iterator.States.R.Parameters.Overrides")}),
    ({"R": {"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::ecs:runTask.waitForTaskToken",
            "Arguments": PUBLIC_RUN, "End": True}},
     {(RUN_TASK_IP, "definition.States.R.Arguments" + IP_PATH),
      (RUN_TASK_ENV, "definition.States.R.Arguments.Overrides")}),
    # StartTask through the SDK integration takes the same network configuration and overrides.
    ({"R": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:ecs:startTask", "Parameters": PUBLIC_RUN,
            "End": True}},
     {(RUN_TASK_IP, "definition.States.R.Parameters" + IP_PATH),
      (RUN_TASK_ENV, "definition.States.R.Parameters.Overrides")}),
    # Filled at run time (JSONPath `.$`, a JSONata expression), another service's task, or no task at all.
    ({"R": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask", "End": True, "Parameters": {
        "NetworkConfiguration": {"AwsvpcConfiguration": {"AssignPublicIp.$": "$.ip"}}}}}, set()),
    ({"R": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask", "Arguments": "{% $states.input %}",
            "End": True}}, set()),
    ({"R": {"Type": "Task", "Resource": "arn:aws:states:::batch:submitJob.sync", "Parameters": PUBLIC_RUN,
            "End": True}}, set()),
    ({"W": {"Type": "Wait", "Seconds": 1, "End": True}}, set()),
    # The request's members in any case, as ECS reads them (and named as written); a secret told by its value.
    ({"R": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask", "End": True, "Parameters": {
        "networkConfiguration": {"awsvpcConfiguration": {"assignPublicIp": "enabled"}},
        "overrides": {"containerOverrides": [
            {"name": "app", "environment": [{"name": "DB_PASSWORD", "value": "x"}]}]}}}},
     {(RUN_TASK_IP, "definition.States.R.Parameters.networkConfiguration.awsvpcConfiguration.assignPublicIp"),
      (RUN_TASK_ENV, "definition.States.R.Parameters.overrides")}),
    ({"R": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask", "End": True, "Parameters": {
        "Overrides": {"ContainerOverrides": [{"Name": "app", "Environment": [
            {"Name": "APP_CONFIG", "Value": SECRET_VALUES["DATABASE_URL"][0]}]}]}}}},
     {(RUN_TASK_ENV, "definition.States.R.Parameters.Overrides")}),
])
def test_a_state_machine_starts_tasks_as_a_rule_would(states, found):
    assert _state_machine_findings(states) == found


def test_a_state_machines_override_filled_at_run_time_is_never_read_as_written():
    """A JSONata expression is no variable's or container's name: it is evaluated when the state runs."""
    def overridden(container: str, variable: str) -> set[str]:
        run = {"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::ecs:runTask", "End": True,
               "Arguments": {"Overrides": {"ContainerOverrides": [
                   {"Name": container, "Environment": [{"Name": variable, "Value": "x"}]}]}}}
        machine = Res("aws:sfn/stateMachine:StateMachine", "machine", {
            "definition": json.dumps({"StartAt": "Run", "States": {"Run": run}})})
        return {message.split(" as ")[0] for _, _, message in findings(
            analyze([machine], {"all": "disabled", RUN_TASK_ENV: "mandatory"}))}

    assert overridden("app", "{% $states.input.password %}") == set()
    assert overridden("{% $states.input.container %}", "DB_PASSWORD") == {
        "definition.States.Run.Arguments.Overrides gives ContainerOverrides[0] DB_PASSWORD"}
    assert overridden("app", "DB_PASSWORD") == {
        "definition.States.Run.Arguments.Overrides gives container 'app' DB_PASSWORD"}


def _run_task_findings(parameters: dict, *policies: str, resource: str = "arn:aws:states:::ecs:runTask.sync"
                       ) -> set[str]:
    """The messages of `policies` on a state machine whose one Task state calls `resource` with `parameters`."""
    run = {"Type": "Task", "Resource": resource, "Parameters": parameters, "End": True}
    machine = Res("aws:sfn/stateMachine:StateMachine", "machine", {
        "definition": json.dumps({"StartAt": "Run", "States": {"Run": run}})})
    report = analyze([machine], {"all": "disabled", **{policy: "mandatory" for policy in policies}})
    return {message for _, _, message in findings(report)}


@pytest.mark.parametrize("parameters, found", [
    ({"EnableExecuteCommand": True}, "definition.States.Run.Parameters.EnableExecuteCommand is true"),
    ({"enableExecuteCommand": "true"}, "definition.States.Run.Parameters.enableExecuteCommand is true"),
    # Filled at run time: a JSONPath `.$` member, a JSONata expression.
    ({"EnableExecuteCommand.$": "$.debug"}, None),
    ({"EnableExecuteCommand": "{% $states.input.debug %}"}, None),
    ({"EnableExecuteCommand": False}, None),
])
def test_ecs_exec_on_a_state_machines_task_is_read_as_ecs_reads_it(parameters, found):
    messages = _run_task_findings(parameters, RUN_TASK_EXEC)
    assert [m.split(";")[0] for m in messages] == ([found] if found else [])


def test_a_state_machines_start_task_is_read_as_run_task_but_never_runs_on_fargate():
    """StartTask (SDK integration) takes ECS Exec and a network configuration as RunTask does, but no launch type or
    platform version: it places the tasks on the container instances it names."""
    action = "arn:aws:states:::aws-sdk:ecs:startTask"
    start = {"ContainerInstances": ["ci-1"], "EnableExecuteCommand": True, "LaunchType": "FARGATE",
             "PlatformVersion": "1.3.0", "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": ["subnet-a"]}}}
    messages = _run_task_findings(start, RUN_TASK_EXEC, RUN_TASK_GROUPS, RUN_TASK_PLATFORM, resource=action)
    assert {m.split(" is ")[0] for m in messages} == {
        "definition.States.Run.Parameters.EnableExecuteCommand", GROUPS_PATH}
    assert _run_task_findings({"ContainerInstances": ["ci-1"], "EnableExecuteCommand": False,
                               "NetworkConfiguration": {"AwsvpcConfiguration": {"SecurityGroups": ["sg-1"]}}},
                              RUN_TASK_EXEC, RUN_TASK_GROUPS, resource=action) == set()


GROUPS_PATH = "definition.States.Run.Parameters.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups"


@pytest.mark.parametrize("network, reported", [
    ({"AwsvpcConfiguration": {"Subnets": ["subnet-a"]}}, True),
    ({"awsvpcConfiguration": {"subnets": ["subnet-a"], "securityGroups": []}},
     "definition.States.Run.Parameters.NetworkConfiguration.awsvpcConfiguration.securityGroups"),
    ({"AwsvpcConfiguration": {"Subnets": ["subnet-a"], "SecurityGroups": ["sg-0123456789abcdef0"]}}, False),
    # Filled at run time, at any level: a JSONPath `.$` member, a JSONata expression.
    ({"AwsvpcConfiguration": {"Subnets": ["subnet-a"], "SecurityGroups.$": "$.groups"}}, False),
    ({"AwsvpcConfiguration.$": "$.network"}, False),
    ({"AwsvpcConfiguration": "{% $states.input.network %}"}, False),
    ({"AwsvpcConfiguration": {"Subnets": ["subnet-a"], "SecurityGroups": "{% $states.input.groups %}"}}, False),
    # No awsvpc network configuration: a task in bridge or host mode takes none.
    ({}, False),
])
def test_a_state_machines_task_names_security_groups_unless_filled_at_run_time(network, reported):
    messages = _run_task_findings({"NetworkConfiguration": network} if network else {}, RUN_TASK_GROUPS)
    path = reported if isinstance(reported, str) else GROUPS_PATH
    assert {m.split(" is empty")[0] for m in messages} == ({path} if reported else set())


@pytest.mark.parametrize("named, revision, judged", [
    ("web", 4, True), ("web:4", 4, True), ("arn:aws:ecs:us-east-1:111111111111:task-definition/web:4", 4, True),
    # Another revision of the family may differ in every setting; one not known yet may be it.
    ("web:3", 4, False), ("web:4", UNKNOWN, False), ("web:4", None, False)])
def test_a_service_naming_a_family_revision_runs_the_stacks_task_definition_only_at_that_revision(named, revision,
                                                                                                  judged):
    task = Res("aws:ecs/taskDefinition:TaskDefinition", "web", {
        "family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256",
        "memory": "512", "containerDefinitions": json.dumps([{"name": "web", "image": "web:1", "essential": True}]),
        **({} if revision is None else {"revision": revision})})
    service = Res("aws:ecs/service:Service", "web-svc", {
        "name": "web", "cluster": "arn:aws:ecs:us-east-1:111111111111:cluster/main", "taskDefinition": named,
        "launchType": "FARGATE", "desiredCount": 2})
    report = analyze([task, service], {"all": "disabled", "ecs-service-container-health-check": "mandatory"})
    assert {name for _, name, _ in findings(report)} == ({"web-svc"} if judged else set())


@pytest.mark.parametrize("compatibilities, reported", [
    (["EXTERNAL"], False), (["EC2"], True), (["EC2", "EXTERNAL"], True), (None, True),
    # Unknown until the update: it may be ECS Anywhere's alone.
    (UNKNOWN, False), ([UNKNOWN], False)])
def test_only_a_task_definition_for_ecs_anywhere_alone_may_leave_awsvpc(compatibilities, reported):
    """External instances take no awsvpc (AWS CDK refuses it for external tasks): a task definition for them alone
    is not held to it; one EC2 may run too is."""
    task = Res("aws:ecs/taskDefinition:TaskDefinition", "agent", {
        "family": "agent", "networkMode": "bridge", "containerDefinitions": json.dumps([
            {"name": "agent", "image": "agent:1", "essential": True}]),
        **({} if compatibilities is None else {"requiresCompatibilities": compatibilities})})
    report = analyze([task], {"all": "disabled", "ecs-taskdef-awsvpc-network": "mandatory"})
    assert bool(findings(report)) == reported


def test_a_task_set_no_load_balancer_checks_runs_a_container_health_check():
    """Under an EXTERNAL deployment controller a task set runs the service's tasks: held to the check as a service
    is, and one a load balancer checks is not."""
    task = Res("aws:ecs/taskDefinition:TaskDefinition", "web", {
        "family": "web", "containerDefinitions": json.dumps([{"name": "web", "image": "web:1", "essential": True}])})
    task_set = Res("aws:ecs/taskSet:TaskSet", "web-blue", {
        "service": "web", "cluster": "main",
        "taskDefinition": "arn:aws:ecs:us-east-1:111111111111:task-definition/web:1"}, {"taskDefinition": ["web"]})
    config = {"all": "disabled", "ecs-service-container-health-check": "mandatory"}
    assert {name for _, name, _ in findings(analyze([task, task_set], config))} == {"web-blue"}
    task_set.props["loadBalancers"] = [{"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:111111111111:"
                                                          "targetgroup/web/0123456789abcdef", "containerName": "web",
                                        "containerPort": 8080}]
    assert findings(analyze([task, task_set], config)) == set()


@pytest.mark.parametrize("command, checked", [
    (["CMD-SHELL", "curl -f http://localhost:9901/ready || exit 1"], True), (["CMD", "/bin/healthy"], True),
    # Docker's NONE turns the image's check off, and the API takes only CMD and CMD-SHELL; CMD alone runs nothing.
    (["NONE"], False), (["CMD"], False), ([], False), (None, False)])
def test_a_health_check_is_a_command_ecs_runs(command, checked):
    """A container health check counts where its command starts with CMD or CMD-SHELL and names something to run:
    for the App Mesh Envoy, and for the app of a service no load balancer checks."""
    check = {} if command is None else {"healthCheck": {"command": command}}
    envoy = {"name": "envoy", "image": "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.12.1-prod", "user": "1337",
             "essential": True, **check}
    mesh_task = Res("aws:ecs/taskDefinition:TaskDefinition", "mesh", {
        "family": "mesh", "proxyConfiguration": {"type": "APPMESH", "containerName": "envoy"},
        "containerDefinitions": json.dumps([envoy])})
    task = Res("aws:ecs/taskDefinition:TaskDefinition", "web", {
        "family": "web", "containerDefinitions": json.dumps([{"name": "web", "image": "web:1", **check}])})
    service = Res("aws:ecs/service:Service", "web-service", {"name": "web", "taskDefinition": "web:1"},
                  {"taskDefinition": ["web"]})
    config = {"all": "disabled", "ecs-service-container-health-check": "mandatory",
              "ecs-taskdef-appmesh-envoy-health-check": "mandatory"}
    found = {(policy, name) for policy, name, _ in findings(analyze([mesh_task, task, service], config))}
    assert found == (set() if checked else {("ecs-taskdef-appmesh-envoy-health-check", "mesh"),
                                            ("ecs-service-container-health-check", "web-service")})


@pytest.mark.parametrize("family, version, reported", [
    # Windows platform versions are numbered apart: 1.0.0 is its latest.
    ("WINDOWS_SERVER_2019_CORE", "1.0.0", False), ("WINDOWS_SERVER_2022_FULL", "1.0.0", False),
    ("LINUX", "1.0.0", True), (None, "1.0.0", True), (None, "1.4.0", False), (UNKNOWN, "1.0.0", False),
    # A task definition elsewhere is held to Linux's versions.
    ("elsewhere", "1.0.0", True)])
def test_a_windows_fargate_service_is_held_to_windows_platform_versions(family, version, reported):
    task = Res("aws:ecs/taskDefinition:TaskDefinition", "app", {
        "family": "app", "revision": 1, "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
        "containerDefinitions": json.dumps([{"name": "app", "image": "app:1", "essential": True}]),
        **({"runtimePlatform": {"operatingSystemFamily": family}} if family not in (None, "elsewhere") else {})})
    service = Res("aws:ecs/service:Service", "svc", {
        "name": "svc", "cluster": "main", "launchType": "FARGATE", "platformVersion": version,
        "taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/other:1" if family == "elsewhere"
        else UNKNOWN}, {} if family == "elsewhere" else {"taskDefinition": ["app"]})
    report = analyze([task, service], {"all": "disabled", "ecs-service-fargate-platform-version": "mandatory"})
    assert bool(findings(report)) == reported, findings(report)


@pytest.mark.parametrize("family, version, reported", [
    # Windows platform versions are numbered apart: 1.0.0 is its latest.
    ("WINDOWS_SERVER_2022_CORE", "1.0.0", False), (None, "1.0.0", True), (None, "1.4.0", False),
    (UNKNOWN, "1.0.0", False)])
def test_a_launcher_starting_a_windows_task_is_held_to_windows_platform_versions(family, version, reported):
    """A rule's target names its task definition as the stack links it; a state machine's request names it in JSON,
    judged only where no task definition of the stack may run Windows."""
    task = Res("aws:ecs/taskDefinition:TaskDefinition", "job", {
        "family": "job", "revision": 1, "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
        "arn": "arn:aws:ecs:us-east-1:123456789012:task-definition/job:1",
        "containerDefinitions": json.dumps([{"name": "job", "image": "job:1", "essential": True}]),
        **({"runtimePlatform": {"operatingSystemFamily": family}} if family is not None else {})})
    target = Res("aws:cloudwatch/eventTarget:EventTarget", "nightly", {
        "rule": "nightly", "arn": "arn:aws:ecs:us-east-1:123456789012:cluster/shop", "ecsTarget": {
            "taskDefinitionArn": UNKNOWN, "launchType": "FARGATE", "platformVersion": version}},
        {"ecsTarget": ["job"]})
    run = {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask", "End": True, "Parameters": {
        "TaskDefinition": "job", "PlatformVersion": version}}
    machine = Res("aws:sfn/stateMachine:StateMachine", "machine", {
        "definition": json.dumps({"StartAt": "Run", "States": {"Run": run}})})
    report = analyze([task, target, machine], {"all": "disabled", RUN_TASK_PLATFORM: "mandatory"})
    assert {name for _, name, _ in findings(report)} == ({"nightly", "machine"} if reported else set())


def test_a_holder_that_may_run_a_windows_or_a_linux_task_definition_is_not_held_to_either_platform():
    """A service and a rule's target whose task definition is an unknown choice between a Windows one and a Linux one:
    1.0.0 is Windows' latest and too old for Linux, so the verdict waits for the update."""
    tasks = [Res("aws:ecs/taskDefinition:TaskDefinition", name, {
        "family": name, "revision": 1, "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
        "containerDefinitions": json.dumps([{"name": "app", "image": "app:1", "essential": True}]),
        **({"runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}} if name == "win" else {})})
        for name in ("win", "lin")]
    service = Res("aws:ecs/service:Service", "svc", {
        "name": "svc", "cluster": "main", "launchType": "FARGATE", "platformVersion": "1.0.0",
        "taskDefinition": UNKNOWN}, {"taskDefinition": ["win", "lin"]})
    target = Res("aws:cloudwatch/eventTarget:EventTarget", "nightly", {
        "rule": "nightly", "arn": "arn:aws:ecs:us-east-1:123456789012:cluster/shop", "ecsTarget": {
            "taskDefinitionArn": UNKNOWN, "launchType": "FARGATE", "platformVersion": "1.0.0"}},
        {"ecsTarget": ["win", "lin"]})
    report = analyze([*tasks, service, target], {"all": "disabled", RUN_TASK_PLATFORM: "mandatory",
                                                 "ecs-service-fargate-platform-version": "mandatory"})
    assert not findings(report)
    assert not report.not_run


@pytest.mark.parametrize("parameters, reported", [
    ({"LaunchType": "FARGATE", "PlatformVersion": "1.3.0"}, True),
    ({"platformVersion": "1.3.0"}, True),  # no launch type: the cluster's default strategy may be Fargate's
    ({"CapacityProviderStrategy": [{"CapacityProvider": "FARGATE_SPOT"}], "PlatformVersion": "1.3.0"}, True),
    ({"CapacityProviderStrategy": [{"CapacityProvider": "ec2-capacity"}], "PlatformVersion": "1.3.0"}, False),
    ({"LaunchType": "EC2", "PlatformVersion": "1.3.0"}, False),
    ({"LaunchType": "FARGATE", "PlatformVersion": "LATEST"}, False),
    # Filled at run time.
    ({"LaunchType": "FARGATE", "PlatformVersion.$": "$.platform"}, False),
    ({"LaunchType.$": "$.launchType", "PlatformVersion": "1.3.0"}, False),
    ({"LaunchType": "FARGATE", "PlatformVersion": "{% $states.input.platform %}"}, False),
])
def test_a_state_machines_fargate_task_runs_a_recent_platform(parameters, reported):
    assert bool(_run_task_findings(parameters, RUN_TASK_PLATFORM)) == reported


@pytest.mark.parametrize("sidecars, app_checked, reported", [
    # A sidecar's check says it runs, nothing of the app: a FireLens log router (any image), AWS's agents and Envoy.
    ([{"name": "router", "image": "fluent/fluent-bit:3.0", "firelensConfiguration": {"type": "fluentbit"}}], False,
     True),
    ([{"name": "otel", "image": "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0"}], False, True),
    ([{"name": "agent", "image": "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300051.0b992"}], False, True),
    ([{"name": "xray", "image": "amazon/aws-xray-daemon:3.3.14"}], True, False),
    # Sidecars alone (an agent's own service, a virtual gateway's Envoy) are the task's app.
    ([{"name": "agent", "image": "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300051.0b992"},
      {"name": "router", "image": "fluent/fluent-bit:3.0", "firelensConfiguration": {"type": "fluentbit"}}], None,
     False),
    ([{"name": "envoy", "image": "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.12.1-prod"}], None, False),
])
def test_a_sidecars_health_check_is_not_the_apps(sidecars, app_checked, reported):
    check = {"healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost:8000/health || exit 1"]}}
    app = [] if app_checked is None else [{"name": "app", "image": "app:1", **(check if app_checked else {})}]
    task = Res("aws:ecs/taskDefinition:TaskDefinition", "web", {
        "family": "web", "containerDefinitions": json.dumps([{**sidecar, **check} for sidecar in sidecars] + app)})
    service = Res("aws:ecs/service:Service", "web-service", {"name": "web", "taskDefinition": "web:1"},
                  {"taskDefinition": ["web"]})
    report = analyze([task, service], {"all": "disabled", "ecs-service-container-health-check": "mandatory"})
    assert bool(findings(report)) == reported


@pytest.mark.parametrize("options, found", [
    # Fluent Bit reads its keys in any case, and takes on and yes as true; AWS's older Go plugin only "true".
    ({"NAME": "CloudWatch_Logs", "Auto_Create_Group": "On"}, "kept forever"),
    ({"Name": "cloudwatch_logs", "auto_create_group": "yes"}, "kept forever"),
    ({"Name": "cloudwatch", "auto_create_group": "TRUE"}, "kept forever"),
    ({"Name": "cloudwatch", "auto_create_group": "on"}, None),
    # A retention the output gives the group it makes.
    ({"Name": "cloudwatch_logs", "auto_create_group": "true", "log_retention_days": "30"}, "key, and outside"),
    ({"Name": "cloudwatch_logs", "auto_create_group": "off"}, None),
    ({"Name": "s3", "auto_create_group": "true"}, None),
])
def test_a_firelens_cloudwatch_output_that_creates_its_group_is_found(options, found):
    definitions = json.dumps([{"name": "app", "image": "app:1", "logConfiguration": {
        "logDriver": "awsfirelens", "options": {"log_group_name": "/app", **options}}}])
    task = Res("aws:ecs/taskDefinition:TaskDefinition", "app", {"family": "app", "containerDefinitions": definitions})
    messages = {m for _, _, m in findings(analyze([task], {"all": "disabled",
                                                           "ecs-taskdef-awslogs-group-declared": "mandatory"}))}
    assert [found in m for m in messages] == ([True] if found else [])


@pytest.mark.parametrize("odd", [{"name": "app"}, ["app"]])
def test_a_container_or_volume_name_of_another_shape_names_nothing_and_breaks_nothing(odd):
    """A container's or a volume's name given as a map (ECS takes a string) could not be looked up in the exempt set
    or the mounts: TypeError. It names nothing now: the container is judged under its place, the volume not at all."""
    container = {"name": odd, "image": "app:1", "user": "0",
                 "mountPoints": [{"sourceVolume": "proc", "containerPath": "/p"}]}
    task = Res("aws:ecs/taskDefinition:TaskDefinition", "task", {"family": "task", "containerDefinitions": json.dumps(
        [container]), "volumes": [{"name": odd, "hostPath": "/proc"}]})
    policies = ("ecs-taskdef-readonly-rootfs", "ecs-taskdef-nonroot-user", HOST)
    config = {"all": "disabled",
              **{policy: {"enforcementLevel": "mandatory", "exemptContainers": ["app"]} for policy in policies}}
    assert {(policy, message.split(" ", 2)[1]) for policy, _, message in findings(analyze([task], config))} == {
        ("ecs-taskdef-readonly-rootfs", "does"), ("ecs-taskdef-nonroot-user", "runs")}


@pytest.mark.parametrize("odd", [["IgnoredUID=1337"], 7, True])
def test_mesh_proxy_properties_not_given_as_a_map_are_not_judged(odd):
    """pulumi-aws 7 types proxyConfiguration.properties as a map; given as a list (the API's name/value pairs) or a
    scalar it is not read as setting nothing, nor does it break the checks that read it."""
    from tests.test_policies_mutations import ENVOY
    app = {"name": "app", "image": "app:1", "essential": True, "user": "1000"}
    task = Res("aws:ecs/taskDefinition:TaskDefinition", "task", {
        "family": "task", "containerDefinitions": json.dumps([ENVOY, app]),
        "proxyConfiguration": {"type": "APPMESH", "containerName": "envoy", "properties": odd}})
    readers = ("ecs-taskdef-appmesh-envoy-user", "ecs-taskdef-appmesh-app-depends-on-envoy",
               "ecs-taskdef-appmesh-proxy-properties")
    assert findings(analyze([task], {"all": "disabled", **{p: "mandatory" for p in readers}})) == set()
