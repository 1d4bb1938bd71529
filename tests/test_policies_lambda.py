"""Lambda guardrails against tests/programs/policy_lambda (raw pulumi_aws resources)."""
from __future__ import annotations

from tests.test_policies_support import Finding, InsecureProgramSuite, pairs, program, program_fixtures

PROGRAM = "policy_lambda"
M = "mandatory"
TRACING, CONCURRENCY, RETENTION = ("lambda-function-tracing", "lambda-function-reserved-concurrency",
                                   "lambda-function-log-retention")
URL = "lambda-function-url-auth"
SECRETS = "lambda-function-no-secret-env"
INVOKE = "lambda-permission-no-public-invoke"
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
]
PASSING = [(SECRETS, "good-fn"), (SECRETS, "zero-fn"),
           (TRACING, "good-fn"), (TRACING, "batch-fn"), (CONCURRENCY, "good-fn"), (CONCURRENCY, "batch-fn"),
           (RETENTION, "good-fn"), (RETENTION, "batch-fn"),
           (URL, "good-url"), (URL, "good-url-caller"), (URL, "good-api-invoke"), (URL, "batch-url"),
           (URL, "batch-url-public"),
           (INVOKE, "good-org-invoke"), (INVOKE, "good-api-invoke"), (INVOKE, "bare-url-invoke")]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def test_the_exemption_is_what_lets_batch_fn_pass():
    found = pairs(program(PROGRAM, {"all": "mandatory"}))
    assert {(CONCURRENCY, "batch-fn"), (URL, "batch-url"), (URL, "batch-url-public")} <= found


