"""App Runner guardrails against tests/programs/policy_apprunner (raw pulumi_aws resources)."""
from __future__ import annotations

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
    program_fixtures,
)

PROGRAM = "policy_apprunner"
M = "mandatory"
SECRETS = "apprunner-service-no-secret-env"
IMAGE = "sourceConfiguration.imageRepository.imageConfiguration.runtimeEnvironmentVariables"
CODE = "sourceConfiguration.codeRepository.codeConfiguration.codeConfigurationValues.runtimeEnvironmentVariables"

FAILING = [
    Finding(SECRETS, "image-service", M, f"{IMAGE} passes DB_PASSWORD as a plain variable; keep it in Secrets "
                                         "Manager or SSM and name it in runtimeEnvironmentSecrets"),
    Finding(SECRETS, "image-service", M, f"{IMAGE} passes STRIPE_API_KEY as a plain variable"),
    Finding(SECRETS, "code-service", M, f"{CODE} passes SESSION_SECRET as a plain variable"),
    Finding(SECRETS, "later-service", M, f"{IMAGE} passes API_TOKEN as a plain variable"),
]
PASSING = [(SECRETS, "good-image-service"), (SECRETS, "good-code-service")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def test_names_are_judged_while_the_values_are_unknown(first_preview):
    # later-service's values are a queue's outputs, unknown in a first preview; its variable names are not.
    assert (SECRETS, "later-service") in pairs(first_preview)
    assert not [v for v in first_preview.violations if "hunter2" in v.message]


def test_values_are_read_too_and_an_unknown_one_is_skipped():
    token, kind = SECRET_VALUES["BUILD_INFO"]
    service = Res("aws:apprunner/service:Service", "app-service", {"serviceName": "app", "sourceConfiguration": {
        "imageRepository": {"imageIdentifier": "public.ecr.aws/app:1.0", "imageRepositoryType": "ECR_PUBLIC",
                            "imageConfiguration": {"runtimeEnvironmentVariables": {
                                "BUILD_INFO": token, "QUEUE_URL": UNKNOWN, "LOG_LEVEL": "info"}}}}})
    assert {message for _, _, message in findings(analyze([service], {"all": "disabled", SECRETS: "mandatory"}))} == {
        f"{IMAGE} passes BUILD_INFO as a plain variable whose value holds {kind}; keep it in "
        "Secrets Manager or SSM and name it in runtimeEnvironmentSecrets"}


def _image_findings(variables: dict) -> set[str]:
    service = Res("aws:apprunner/service:Service", "app-service", {"serviceName": "app", "sourceConfiguration": {
        "imageRepository": {"imageIdentifier": "public.ecr.aws/app:1.0", "imageRepositoryType": "ECR_PUBLIC",
                            "imageConfiguration": {"runtimeEnvironmentVariables": variables}}}})
    return {message for _, _, message in findings(analyze([service], {"all": "disabled", SECRETS: "mandatory"}))}


def test_each_secret_shape_is_found_under_an_innocuous_name_and_ordinary_values_are_not():
    for name, (value, kind) in SECRET_VALUES.items():
        assert _image_findings({name: value, "LOG_LEVEL": "info"}) == {
            f"{IMAGE} passes {name} as a plain variable whose value holds {kind}; keep it in Secrets Manager or SSM "
            "and name it in runtimeEnvironmentSecrets"}, name
    assert _image_findings(CLEAN_VALUES) == set()
