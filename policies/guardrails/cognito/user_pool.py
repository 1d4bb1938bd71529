"""User pools: a pool that verifies its users' addresses keeps a changed address pending until it is verified; a
pool anyone may sign up to sends each new user a verification code by email. With Cognito's own
sender (`COGNITO_DEFAULT`, what a pool without `emailConfiguration` gets) "Amazon Cognito allows only a limited
number of emails each day for your user pool. For typical production environments, the default email limit is
below the required delivery volume" (Cognito API reference, EmailConfigurationType): past it, sign-ups and
password resets fail until the next day. `DEVELOPER` sends through the account's SES identity at its limits.
A pool where only administrators create users (`adminCreateUserConfig.allowAdminCreateUserOnly`) mails only the
invitations they send, and passes; so does one that does not verify email addresses (`autoVerifiedAttributes`
without `email`: no code is mailed at sign-up) or hands its mail to a Lambda (`lambdaConfig.customEmailSender`).

Sign-in: a pool's password policy meets Security Hub Cognito.3's (at least 8 characters, all four character classes,
temporary passwords valid at most 7 days), and a pool whose users sign in with a password offers MFA (Cognito.5).
Threat protection (Cognito.1, and Cognito.4 where the pool runs custom authentication) blocks or challenges risky
sign-ins; it needs the Plus feature plan, a cost a stack may decline for a pool (knob `exemptPools`).
"""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, as_list, dig, is_set, is_true, num, number, peek, peek_items
from ..core.registry import ADVISORY, config_value, knob_names, resource_policy, string_list
from . import USER_POOL


@resource_policy(
    "cognito-user-pool-email-through-ses", USER_POOL,
    description="A Cognito user pool that lets users sign themselves up sends its mail through Amazon SES: "
                "Cognito's own sender allows only a few messages a day, and sign-ups past them fail.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Cognito API reference: EmailConfigurationType.EmailSendingAccount",),
    remediation="Set emailConfiguration with emailSendingAccount DEVELOPER and the sourceArn of a verified SES "
                "identity (this program: api.auth.emailSender), or let only administrators create users.",
)
def email_through_ses(args: ResourceValidationArgs) -> Iterator[str]:
    """a pool that lets users sign up (`adminCreateUserConfig.allowAdminCreateUserOnly` not true) and verifies their
    email addresses (`autoVerifiedAttributes`) sets `emailConfiguration.emailSendingAccount` to `DEVELOPER`, unless a
    `lambdaConfig.customEmailSender` sends its mail"""
    props = args.props
    if is_true(dig(props, "adminCreateUserConfig", "allowAdminCreateUserOnly")):
        return
    if "email" not in as_list(props.get("autoVerifiedAttributes")) or dig(props, "lambdaConfig", "customEmailSender"):
        return
    account = dig(props, "emailConfiguration", "emailSendingAccount")
    if account != "DEVELOPER":
        yield (f"lets users sign up and mails them with {account or 'COGNITO_DEFAULT'}: Cognito's own sender allows "
               "only a few messages a day, after which sign-ups fail; send through SES (emailSendingAccount "
               "DEVELOPER with a verified identity's sourceArn)")


# The attributes Cognito can verify (UserAttributeUpdateSettingsType.AttributesRequireVerificationBeforeUpdate).
_VERIFIABLE = ("email", "phone_number")


@resource_policy(
    "cognito-user-pool-verify-before-update", USER_POOL,
    description="A Cognito user pool that verifies email addresses or phone numbers keeps a changed one pending until "
                "the user verifies it: otherwise the new, unverified value replaces the verified one at once.",
    severity=Severity.MEDIUM,
    anchors=("Cognito API reference: UserAttributeUpdateSettingsType.AttributesRequireVerificationBeforeUpdate",),
    remediation="Set userAttributeUpdateSettings.attributesRequireVerificationBeforeUpdates to the attributes in "
                "autoVerifiedAttributes.",
)
def verify_before_update(args: ResourceValidationArgs) -> Iterator[str]:
    """each attribute in `autoVerifiedAttributes` (email, phone_number) is in
    `userAttributeUpdateSettings.attributesRequireVerificationBeforeUpdates`"""
    props = args.props
    verified = [a for a in _VERIFIABLE if a in as_list(props.get("autoVerifiedAttributes"))]
    pending = as_list(dig(props, "userAttributeUpdateSettings", "attributesRequireVerificationBeforeUpdates"))
    for attribute in verified:
        if attribute not in pending:
            yield (f"verifies {attribute} but applies a change to it before the user verifies the new value: an "
                   f"address or number the user does not own replaces the verified one at once (and, where users "
                   f"sign in with it, becomes their sign-in name); list {attribute} in "
                   f"userAttributeUpdateSettings.attributesRequireVerificationBeforeUpdates")


# The character classes Security Hub Cognito.3 requires by default, as passwordPolicy names them.
_CLASSES = ("requireLowercase", "requireUppercase", "requireNumbers", "requireSymbols")


@resource_policy(
    "cognito-user-pool-password-policy", USER_POOL,
    description="A Cognito user pool's password policy asks for strong passwords: at least 8 characters with "
                "lower- and upper-case letters, numbers and symbols, and temporary passwords that expire within "
                "7 days (Security Hub Cognito.3's defaults). A pool without passwordPolicy gets exactly that from AWS.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub Cognito.3", "Config cognito-user-pool-password-policy-check", "cdk-nag COG1"),
    remediation="Set passwordPolicy with minimumLength of at least 8 (12 or more is better), requireLowercase, "
                "requireUppercase, requireNumbers and requireSymbols true, and temporaryPasswordValidityDays of at "
                "most 7; or leave passwordPolicy out for AWS's default (8 characters, all four classes, 7 days).",
    config={"minimumLength": {"type": "integer", "minimum": 6, "default": 8,
                              "description": "Shortest acceptable passwordPolicy.minimumLength (Cognito.3: 8)."},
            "maxTemporaryPasswordValidityDays": {"type": "integer", "minimum": 1, "default": 7,
                                                 "description": "Longest acceptable temporaryPasswordValidityDays "
                                                                "(Cognito.3: 7)."}},
)
def password_policy(args: ResourceValidationArgs) -> Iterator[str]:
    """`passwordPolicy`, where set, has `minimumLength` ≥ 8, requireLowercase, requireUppercase, requireNumbers and
    requireSymbols true, and `temporaryPasswordValidityDays` ≤ 7 (knobs `minimumLength`,
    `maxTemporaryPasswordValidityDays`); no `passwordPolicy` passes (AWS's default is 8 characters, all four classes,
    7 days), and so does a validity of 0 or none (Cognito applies 7). A setting unknown until the update is skipped,
    the known ones judged"""
    policy = peek(args.props, "passwordPolicy")
    if policy is None or policy is UNKNOWN:
        return
    # The provider sends the whole block: a class left out of it is sent as false, not AWS's default (true).
    classes = {name: peek(policy, name) for name in _CLASSES}
    missing = [name for name, value in classes.items() if value is not UNKNOWN and not is_true(value)]
    if missing:
        yield (f"passwordPolicy does not require {', '.join(missing)}: users may choose passwords without those "
               f"character classes; set {' and '.join(f'{name} = true' for name in missing)} (a passwordPolicy "
               "block sends false for each one it leaves out)")
    # An absent minimumLength is sent as 0, which CreateUserPool refuses (6 at least): nothing weak is created.
    shortest, length = config_value(args, "minimumLength"), number(peek(policy, "minimumLength"))
    if length not in (None, UNKNOWN) and 0 < length < shortest:
        yield (f"passwordPolicy.minimumLength is {num(length)}: set it to at least {num(shortest)} so passwords "
               "resist guessing")
    longest, days = config_value(args, "maxTemporaryPasswordValidityDays"), number(
        peek(policy, "temporaryPasswordValidityDays"))
    if days not in (None, UNKNOWN) and days > longest:
        yield (f"passwordPolicy.temporaryPasswordValidityDays is {num(days)}: an administrator's temporary password "
               f"stays usable that long; set it to at most {num(longest)}")


# First sign-in factors other than a password (choice-based sign-in): Cognito.5 does not apply to such pools.
_PASSWORDLESS = ("EMAIL_OTP", "SMS_OTP", "WEB_AUTHN")


@resource_policy(
    "cognito-user-pool-mfa", USER_POOL,
    description="A Cognito user pool whose users sign in with a password offers multi-factor authentication "
                "(mfaConfiguration OPTIONAL or ON), so a guessed or phished password alone does not open an account.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub Cognito.5", "Config cognito-user-pool-mfa-enabled", "cdk-nag COG2"),
    remediation="Set mfaConfiguration to OPTIONAL (users may enrol) or ON (every user must), with a second factor: "
                "softwareTokenMfaConfiguration.enabled = true (TOTP apps), smsConfiguration or "
                "emailMfaConfiguration.",
)
def mfa(args: ResourceValidationArgs) -> Iterator[str]:
    """`mfaConfiguration` is OPTIONAL or ON (the provider's default is OFF), unless
    `signInPolicy.allowedFirstAuthFactors` offers a passwordless first factor (EMAIL_OTP, SMS_OTP, WEB_AUTHN), to
    which Security Hub Cognito.5 does not apply; an unknown factor may be one, and an unknown setting is skipped"""
    factors = peek_items(args.props, "signInPolicy", "allowedFirstAuthFactors")
    if UNKNOWN in factors or any(factor in _PASSWORDLESS for factor in factors):
        return
    setting = peek(args.props, "mfaConfiguration")
    if setting is not UNKNOWN and setting not in ("OPTIONAL", "ON"):
        yield (f"mfaConfiguration is {setting or 'OFF (the default)'}: a password alone signs users in; set it to "
               "OPTIONAL (users may enrol) or ON, with softwareTokenMfaConfiguration.enabled = true")


@resource_policy(
    "cognito-user-pool-deletion-protection", USER_POOL,
    description="A Cognito user pool has deletion protection ACTIVE: deleting a pool deletes its users, whose "
                "passwords and MFA enrolments cannot be restored, so a destroy or a replacement must be asked twice.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub Cognito.6", "Config cognito-user-pool-deletion-protection-enabled"),
    remediation="Set deletionProtection to ACTIVE (CreateUserPool's default is INACTIVE); to delete the pool on "
                "purpose, set it INACTIVE in one update first.",
)
def deletion_protection(args: ResourceValidationArgs) -> Iterator[str]:
    """`deletionProtection` is ACTIVE (the API's default is INACTIVE); an unknown value is not judged"""
    setting = peek(args.props, "deletionProtection")
    if setting is not UNKNOWN and setting != "ACTIVE":
        yield (f"deletionProtection is {setting or 'unset (INACTIVE)'}: a destroy or a replacement deletes the pool "
               "and every user in it; set it to ACTIVE")


# Threat protection is billed as the Plus feature plan: a stack that declines that cost for a pool names it here.
EXEMPT_POOLS = {"exemptPools": string_list(
    "User pools (name or resource name; shell-style wildcards) left without threat protection: it needs the Plus "
    "feature plan.")}


def _exempt(args: ResourceValidationArgs) -> bool:
    """Whether the knob names the pool (`knob_names`: a pool whose name is unknown until the update may be one)."""
    return knob_names(args, "exemptPools", peek(args.props, "name"))


@resource_policy(
    "cognito-user-pool-threat-protection", USER_POOL,
    description="A Cognito user pool runs threat protection in full-function mode (advancedSecurityMode ENFORCED), "
                "so sign-ins with leaked passwords or from risky sources are blocked or challenged, not only logged.",
    severity=Severity.MEDIUM, level=ADVISORY, config=EXEMPT_POOLS,
    anchors=("Security Hub Cognito.1", "Config cognito-user-pool-advanced-security-enabled"),
    remediation="Set userPoolTier to PLUS (new pools get ESSENTIALS, where Cognito refuses threat protection) and "
                "userPoolAddOns.advancedSecurityMode to ENFORCED, after a few weeks in AUDIT to tune the risk "
                "responses (aws.cognito.RiskConfiguration); or name the pool in exemptPools.",
)
def threat_protection(args: ResourceValidationArgs) -> Iterator[str]:
    """`userPoolAddOns.advancedSecurityMode` is ENFORCED (without `userPoolAddOns` the API's mode is OFF; AUDIT only
    logs); an unknown mode is not judged (knob `exemptPools`, by the pool's name or resource name)"""
    mode = peek(args.props, "userPoolAddOns", "advancedSecurityMode")
    if mode is UNKNOWN or mode == "ENFORCED" or _exempt(args):
        return
    effect = "only logs risky sign-ins" if mode == "AUDIT" else "is off"
    yield (f"userPoolAddOns.advancedSecurityMode is {mode or 'unset (OFF)'}: threat protection {effect}, so "
           "sign-ins with leaked passwords or from risky sources are neither blocked nor challenged; set it to "
           "ENFORCED (with userPoolTier PLUS)")


@resource_policy(
    "cognito-user-pool-custom-auth-threat-protection", USER_POOL,
    description="A Cognito user pool that runs custom authentication (a define auth challenge trigger) runs threat "
                "protection in full-function mode for it too (advancedSecurityAdditionalFlows.customAuthMode "
                "ENFORCED).",
    severity=Severity.MEDIUM, level=ADVISORY, config=EXEMPT_POOLS,
    anchors=("Security Hub Cognito.4", "Config cognito-userpool-cust-auth-threat-full-check"),
    anchor_note="Cognito.4 reports every pool; a pool without a define auth challenge trigger has no custom "
                "authentication to protect",
    remediation="Set userPoolAddOns.advancedSecurityMode and userPoolAddOns.advancedSecurityAdditionalFlows."
                "customAuthMode to ENFORCED (with userPoolTier PLUS); or name the pool in exemptPools.",
)
def custom_auth_threat_protection(args: ResourceValidationArgs) -> Iterator[str]:
    """a pool with `lambdaConfig.defineAuthChallenge` (custom authentication) has `userPoolAddOns.advancedSecurityMode`
    not OFF and `userPoolAddOns.advancedSecurityAdditionalFlows.customAuthMode` ENFORCED (the provider's default is
    AUDIT); an unknown setting is not judged (knob `exemptPools`)"""
    if not is_set(peek(args.props, "lambdaConfig"), "defineAuthChallenge"):
        return
    mode = peek(args.props, "userPoolAddOns", "advancedSecurityMode")
    if mode is UNKNOWN:
        return
    if mode in (None, "OFF"):  # threat protection off: the custom mode protects nothing
        problem = f"userPoolAddOns.advancedSecurityMode is {mode or 'unset (OFF)'}: threat protection is off"
    else:
        custom = peek(args.props, "userPoolAddOns", "advancedSecurityAdditionalFlows", "customAuthMode")
        if custom is UNKNOWN or custom == "ENFORCED":
            return
        problem = (f"userPoolAddOns.advancedSecurityAdditionalFlows.customAuthMode is {custom or 'unset (AUDIT)'}: "
                   "threat protection only logs its risky sign-ins")
    if _exempt(args):
        return
    yield (f"runs custom authentication (lambdaConfig.defineAuthChallenge) and {problem}; set customAuthMode (and "
           "advancedSecurityMode) to ENFORCED, with userPoolTier PLUS")
