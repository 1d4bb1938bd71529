"""Cognito guardrails against tests/programs/policy_cognito (raw pulumi_aws user pools)."""
from __future__ import annotations

from tests.test_policies_support import (UNKNOWN, Finding, InsecureProgramSuite, Res, analyze, findings, messages,
                                        program_fixtures)

PROGRAM = "policy_cognito"
M = "mandatory"
SES = "cognito-user-pool-email-through-ses"
VERIFY = "cognito-user-pool-verify-before-update"
PASSWORDS, MFA = "cognito-user-pool-password-policy", "cognito-user-pool-mfa"
SRP, IMPLICIT = "cognito-user-pool-client-srp-auth", "cognito-user-pool-client-no-implicit-grant"
GUESTS = "cognito-identity-pool-no-guest-access"
DELETION = "cognito-user-pool-deletion-protection"
THREATS, CUSTOM = "cognito-user-pool-threat-protection", "cognito-user-pool-custom-auth-threat-protection"
CONFIG = {"all": "mandatory", THREATS: {"exemptPools": ["legacy-*"]}}

FAILING = [
    Finding(SES, "bare-pool", M, "lets users sign up and mails them with COGNITO_DEFAULT: Cognito's own sender "
                                 "allows only a few messages a day"),
    Finding(SES, "default-sender-pool", M, "lets users sign up and mails them with COGNITO_DEFAULT"),
    Finding(VERIFY, "bare-pool", M, "verifies email but applies a change to it before the user verifies the new "
                                    "value"),
    Finding(VERIFY, "phone-pool", M, "verifies phone_number but applies a change to it before the user verifies"),
    Finding(PASSWORDS, "weak-password-pool", M, "passwordPolicy.minimumLength is 6: set it to at least 8"),
    Finding(PASSWORDS, "weak-password-pool", M, "passwordPolicy does not require requireUppercase, requireNumbers, "
                                                "requireSymbols"),
    Finding(PASSWORDS, "fed-weak-pool", M, "passwordPolicy.minimumLength is 6: set it to at least 8"),
    Finding(MFA, "bare-pool", M, "mfaConfiguration is OFF (the default): a password alone signs users in"),
    Finding(SRP, "password-client", M, "explicitAuthFlows includes ALLOW_USER_PASSWORD_AUTH"),
    Finding(SRP, "choice-client", M, "explicitAuthFlows includes ALLOW_USER_AUTH: choice-based sign-in always offers "
                                     "the PASSWORD challenge"),
    Finding(IMPLICIT, "password-client", M, "allowedOauthFlows includes implicit"),
    Finding(GUESTS, "guest-identities", M, "allowUnauthenticatedIdentities is true"),
    Finding(DELETION, "bare-pool", M, "deletionProtection is unset (INACTIVE): a destroy or a replacement deletes the "
                                      "pool and every user in it; set it to ACTIVE"),
    Finding(DELETION, "unprotected-pool", M, "deletionProtection is INACTIVE"),
    Finding(THREATS, "bare-pool", M, "userPoolAddOns.advancedSecurityMode is unset (OFF): threat protection is off, "
                                     "so sign-ins with leaked passwords or from risky sources are neither blocked nor "
                                     "challenged; set it to ENFORCED (with userPoolTier PLUS)"),
    Finding(THREATS, "admin-only-pool", M, "userPoolAddOns.advancedSecurityMode is AUDIT: threat protection only logs "
                                           "risky sign-ins"),
    Finding(CUSTOM, "custom-auth-pool", M, "runs custom authentication (lambdaConfig.defineAuthChallenge) and "
                                           "userPoolAddOns.advancedSecurityAdditionalFlows.customAuthMode is unset "
                                           "(AUDIT): threat protection only logs its risky sign-ins; set "
                                           "customAuthMode (and advancedSecurityMode) to ENFORCED, with userPoolTier "
                                           "PLUS"),
]
PASSING = [(SES, "ses-pool"), (SES, "admin-only-pool"), (SES, "phone-pool"), (VERIFY, "ses-pool"),
           (VERIFY, "admin-only-pool"), (PASSWORDS, "bare-pool"), (PASSWORDS, "ses-pool"), (MFA, "ses-pool"),
           (MFA, "weak-password-pool"), (SRP, "srp-client"), (IMPLICIT, "srp-client"),
           (IMPLICIT, "choice-client"),
           (GUESTS, "signed-in-identities"), (PASSWORDS, "fed-pool"), (MFA, "fed-pool"), (MFA, "fed-weak-pool"),
           (DELETION, "ses-pool"), (DELETION, "fed-pool"), (THREATS, "ses-pool"), (THREATS, "fed-pool"),
           (THREATS, "legacy-pool"), (THREATS, "custom-auth-pool"), (CUSTOM, "custom-auth-enforced-pool"),
           (CUSTOM, "bare-pool"), (CUSTOM, "ses-pool")]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING




def test_a_first_preview_judges_the_known_settings_and_skips_the_unknown_ones(result, first_preview):
    """Pool settings fed by another resource's output are unknown in a first preview: the known ones are judged as
    in a full preview (fed-weak-pool's length of 6), an unknown one is skipped, neither a violation nor a check the
    analyzer could not run (an unknown value is never a violation)."""
    for policy in (PASSWORDS, MFA):
        for pool in ("fed-pool", "fed-weak-pool"):
            assert messages(first_preview, policy, pool) == messages(result, policy, pool), (policy, pool)
            assert (policy, pool) not in {(v.policy, v.name) for v in first_preview.not_run}, (policy, pool)


POOL = "aws:cognito/userPool:UserPool"
STRONG = {"minimumLength": 12, "requireLowercase": True, "requireUppercase": True, "requireNumbers": True,
          "requireSymbols": True, "temporaryPasswordValidityDays": 7}


def _verdict(policy: str, props: dict) -> tuple[set[str], set[str]]:
    """The policy's messages on one pool with `props`, and whether the analyzer left it unrun."""
    report = analyze([Res(POOL, "pool", props)], {"all": "disabled", policy: "mandatory"})
    return {message for _, _, message in findings(report)}, {v.policy for v in report.not_run}


def test_an_unknown_password_setting_is_skipped_and_the_known_ones_still_judged():
    assert _verdict(PASSWORDS, {"passwordPolicy": UNKNOWN}) == (set(), set())
    for key in STRONG:
        assert _verdict(PASSWORDS, {"passwordPolicy": {**STRONG, key: UNKNOWN}}) == (set(), set()), key
    found, not_run = _verdict(PASSWORDS, {"passwordPolicy": {**STRONG, "minimumLength": 6, "requireSymbols": UNKNOWN}})
    assert not not_run and [m.split(":")[0] for m in found] == ["passwordPolicy.minimumLength is 6"]
    found, not_run = _verdict(PASSWORDS, {"passwordPolicy": {
        **STRONG, "requireNumbers": False, "minimumLength": UNKNOWN, "temporaryPasswordValidityDays": 30}})
    assert not not_run and sorted(m.split(":")[0] for m in found) == [
        "passwordPolicy does not require requireNumbers", "passwordPolicy.temporaryPasswordValidityDays is 30"]


def test_an_unknown_mfa_setting_or_sign_in_factor_is_no_violation():
    # An unknown first factor may be a passwordless one, to which Cognito.5 does not apply.
    for props in ({"mfaConfiguration": UNKNOWN}, {"signInPolicy": UNKNOWN, "mfaConfiguration": "OFF"},
                  {"signInPolicy": {"allowedFirstAuthFactors": UNKNOWN}},
                  {"signInPolicy": {"allowedFirstAuthFactors": ["PASSWORD", UNKNOWN]}, "mfaConfiguration": "OFF"},
                  {"signInPolicy": {"allowedFirstAuthFactors": ["EMAIL_OTP", UNKNOWN]}, "mfaConfiguration": UNKNOWN}):
        assert _verdict(MFA, props) == (set(), set()), props
    found, _ = _verdict(MFA, {"signInPolicy": {"allowedFirstAuthFactors": ["PASSWORD"]}, "mfaConfiguration": "OFF"})
    assert [m.split(":")[0] for m in found] == ["mfaConfiguration is OFF"]


def test_threat_protection_exemptions_name_the_pool_and_are_read_only_for_a_finding(monkeypatch):
    # `_exempt` peeks at the name, so reading it first would change no verdict: a spy tells whether it was read.
    from guardrails.cognito import user_pool
    reads = []
    real = user_pool._exempt
    monkeypatch.setattr(user_pool, "_exempt", lambda args: reads.append(args.name) or real(args))

    def verdict(props: dict, exempt: list[str], policy: str = THREATS) -> tuple[int, set[str]]:
        config = {"all": "disabled", policy: {"enforcementLevel": "mandatory", "exemptPools": exempt}}
        report = analyze([Res(POOL, "pool", props)], config)
        return len(findings(report)), {v.policy for v in report.not_run}

    assert verdict({"name": "shop-users"}, ["shop-*"]) == (0, set())  # by its name
    assert verdict({"name": "shop-users"}, ["POOL"]) == (0, set())  # by its resource name, in any case
    assert verdict({"name": "shop-users"}, ["other-*"]) == (1, set())
    # A name unknown until the update may be one the knob names; without a knob it decides nothing.
    assert verdict({"name": UNKNOWN}, ["other-*"]) == (0, set())
    assert verdict({"name": UNKNOWN}, []) == (1, set())
    assert reads == ["pool"] * 5
    # A compliant pool, or one whose mode is unknown, is passed without a look at the knob.
    enforced = {"advancedSecurityMode": "ENFORCED"}
    assert verdict({"name": UNKNOWN, "userPoolAddOns": enforced}, ["other-*"]) == (0, set())
    assert verdict({"name": "shop-users", "userPoolAddOns": {"advancedSecurityMode": UNKNOWN}}, ["x"]) == (0, set())
    custom = {"name": UNKNOWN, "lambdaConfig": {"defineAuthChallenge": "arn:aws:lambda:us-east-1:1:function:f"},
              "userPoolAddOns": {**enforced, "advancedSecurityAdditionalFlows": {"customAuthMode": "ENFORCED"}}}
    assert verdict(custom, ["other-*"], CUSTOM) == (0, set())
    assert verdict({"name": "shop-users"}, ["other-*"], CUSTOM) == (0, set())  # no custom authentication
    assert reads == ["pool"] * 5


def test_an_auth_flow_of_another_shape_is_not_judged_and_breaks_nothing():
    """A flow given as a map (not an ExplicitAuthFlowsType string) names no flow and could not be looked up: the
    client's text flows are still judged."""
    client = "aws:cognito/userPoolClient:UserPoolClient"
    flows = [{"flow": "ALLOW_USER_PASSWORD_AUTH"}, ["ALLOW_USER_AUTH"], 7, "ALLOW_USER_PASSWORD_AUTH"]
    found = findings(analyze([Res(client, "c", {"userPoolId": "pool", "name": "c", "explicitAuthFlows": flows})],
                             {"all": "disabled", SRP: "mandatory"}))
    assert [message.split(":")[0] for _, _, message in found] == ["explicitAuthFlows includes ALLOW_USER_PASSWORD_AUTH"]
