"""User pools: a pool that verifies its users' addresses keeps a changed address pending until it is verified; a
pool anyone may sign up to sends each new user a verification code by email. With Cognito's own
sender (`COGNITO_DEFAULT`, what a pool without `emailConfiguration` gets) "Amazon Cognito allows only a limited
number of emails each day for your user pool. For typical production environments, the default email limit is
below the required delivery volume" (Cognito API reference, EmailConfigurationType): past it, sign-ups and
password resets fail until the next day. `DEVELOPER` sends through the account's SES identity at its limits.
A pool where only administrators create users (`adminCreateUserConfig.allowAdminCreateUserOnly`) mails only the
invitations they send, and passes; so does one that does not verify email addresses (`autoVerifiedAttributes`
without `email`: no code is mailed at sign-up) or hands its mail to a Lambda (`lambdaConfig.customEmailSender`).
"""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import as_list, dig, is_true
from ..core.registry import ADVISORY, resource_policy
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
