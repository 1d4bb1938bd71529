"""Lambda guardrails against tests/programs/policy_lambda (raw pulumi_aws resources)."""
from __future__ import annotations

from typing import Optional

from tests.test_policies_support import (
    CLEAN_VALUES,
    SECRET_VALUES,
    UNKNOWN,
    Finding,
    InsecureProgramSuite,
    Res,
    analyze,
    findings,
    pairs,
    program,
    program_fixtures,
)

PROGRAM = "policy_lambda"
M = "mandatory"
TRACING, CONCURRENCY, RETENTION = ("lambda-function-tracing", "lambda-function-reserved-concurrency",
                                   "lambda-function-log-retention")
URL = "lambda-function-url-auth"
SECRETS = "lambda-function-no-secret-env"
INVOKE = "lambda-permission-no-public-invoke"
RUNTIME = "lambda-function-supported-runtime"
# batch-fn runs on the unreserved pool on purpose and its URL is public on purpose (a webhook that checks its own
# signature); the exceptions are named, not a lowered level.
CONFIG = {"all": "mandatory", CONCURRENCY: {"exemptFunctions": ["batch-fn"]}, URL: {"exemptFunctions": ["batch-fn"]}}

FAILING = [
    Finding(SECRETS, "bare-fn", M, "environment.variables passes DB_PASSWORD as a plain variable"),
    Finding(SECRETS, "bare-fn", M, "environment.variables passes PAYMENTS_API_KEY as a plain variable"),
    Finding(TRACING, "bare-fn", M, "tracingConfig.mode is unset; set Active"),
    Finding(TRACING, "zero-fn", M, "tracingConfig.mode is PassThrough; set Active"),
    Finding(CONCURRENCY, "bare-fn", M,
            "reservedConcurrentExecutions is not set; reserve a cap or name the function in exemptFunctions"),
    Finding(CONCURRENCY, "zero-fn", M, "reservedConcurrentExecutions is 0, which stops every invocation"),
    Finding(RETENTION, "bare-fn", M,
            "no log group /aws/lambda/bare-fn in the stack; Lambda would create it with logs kept forever"),
    Finding(RETENTION, "zero-fn", M, "log group /aws/lambda/zero-fn has no retentionInDays"),
    Finding(URL, "bare-url", M, "authorizationType is NONE: the URL answers unauthenticated calls from anywhere"),
    Finding(URL, "bare-url-public", M,
            "grants lambda:InvokeFunctionUrl to principal * for function URLs without IAM: anyone can call"),
    Finding(URL, "bare-url-invoke", M, "grants lambda:InvokeFunction to principal * for function URLs without IAM"),
    Finding(INVOKE, "bare-invoke-public", M, "grants lambda:InvokeFunction to principal * with no sourceAccount, "
                                              "principalOrgId or sourceArn of one account: any AWS account can"),
    Finding(RUNTIME, "old-runtime-fn", M, "runtime python3.8 was deprecated on 2024-10-14 by AWS's Lambda runtimes "
                                          "page as of 2025-11: AWS no longer patches it"),
]
PASSING = [(SECRETS, "good-fn"), (SECRETS, "zero-fn"),
           (TRACING, "good-fn"), (TRACING, "batch-fn"), (CONCURRENCY, "good-fn"), (CONCURRENCY, "batch-fn"),
           (RETENTION, "good-fn"), (RETENTION, "batch-fn"),
           (URL, "good-url"), (URL, "good-url-caller"), (URL, "good-api-invoke"), (URL, "batch-url"),
           (URL, "batch-url-public"),
           (INVOKE, "good-org-invoke"), (INVOKE, "good-api-invoke"), (INVOKE, "bare-url-invoke"),
           (RUNTIME, "good-fn"), (RUNTIME, "bare-fn")]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def test_the_exemption_is_what_lets_batch_fn_pass():
    found = pairs(program(PROGRAM, {"all": "mandatory"}))
    assert {(CONCURRENCY, "batch-fn"), (URL, "batch-url"), (URL, "batch-url-public")} <= found




# --- secrets told by their values ------------------------------------------------------------------------------


def _variable_findings(variables, knobs: Optional[dict] = None) -> set[str]:
    """The secret policy's messages on one function with `environment.variables`."""
    fn = Res("aws:lambda/function:Function", "app-fn", {"name": "app-fn", "environment": {"variables": variables}})
    config = {"all": "disabled", SECRETS: {"enforcementLevel": "mandatory", **(knobs or {})}}
    return {message for _, _, message in findings(analyze([fn], config))}


def _by_value(name: str, kind: str) -> str:
    return (f"environment.variables passes {name} as a plain variable whose value holds {kind}; "
            f"keep the secret in Secrets Manager or SSM and pass its ARN ({name}_ARN, say)")


def test_a_secret_under_an_innocuous_name_is_told_by_its_value_which_is_never_echoed():
    for name, (value, kind) in SECRET_VALUES.items():
        found = _variable_findings({name: value, "LOG_LEVEL": "info"})
        assert found == {_by_value(name, kind)}, name
        assert not [m for m in found if value in m or "hunter2" in m or "ghp_" in m or "BEGIN" in m]


def test_urls_without_a_password_placeholders_and_paths_are_not_secrets():
    assert _variable_findings(CLEAN_VALUES) == set()
    found = _variable_findings({**CLEAN_VALUES, "ORDERS_DB_URL": SECRET_VALUES["DATABASE_URL"][0]})
    assert found == {_by_value("ORDERS_DB_URL", "Basic Auth Credentials (detect-secrets)")}


def test_a_variable_both_rules_flag_is_one_finding_and_allowed_keys_exempt_values_too():
    url, _ = SECRET_VALUES["DATABASE_URL"]
    token, kind = SECRET_VALUES["BUILD_INFO"]
    assert _variable_findings({"DB_PASSWORD": url, "BUILD_INFO": token}) == {
        "environment.variables passes DB_PASSWORD as a plain variable; keep the secret in Secrets Manager or SSM "
        "and pass its ARN (DB_PASSWORD_ARN, say)",
        _by_value("BUILD_INFO", kind)}
    assert _variable_findings({"DATABASE_URL": url, "BUILD_INFO": token}, {"allowedKeys": ["databaseUrl"]}) == {
        _by_value("BUILD_INFO", kind)}
    assert _variable_findings({"DATABASE_URL": url}, {"allowedKeys": ["DATABASE_URL"]}) == set()


def test_a_value_unknown_until_the_update_is_skipped_and_the_others_still_judged():
    value, kind = SECRET_VALUES["TLS_KEY"]
    assert _variable_findings({"TLS_KEY": value, "DATABASE_URL": UNKNOWN, "API_TOKEN": UNKNOWN}) == {
        _by_value("TLS_KEY", kind),
        "environment.variables passes API_TOKEN as a plain variable; keep the secret in Secrets Manager or SSM and "
        "pass its ARN (API_TOKEN_ARN, say)"}
    assert _variable_findings({"TLS_KEY": UNKNOWN}) == set()
    assert _variable_findings(UNKNOWN) == set()
