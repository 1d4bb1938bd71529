"""Who may call the public API: the one authorizer every non-OPTIONS method uses, chosen by `api.auth.type`.

- cognito: a COGNITO_USER_POOLS authorizer on the configured user pool, or on a pool created here (with an
  app client per API consumer);
- jwt: a Lambda TOKEN authorizer that API Gateway invokes through a role of its own;
- iam: SigV4-signed requests (AWS_IAM), no authorizer resource.

Every method also requires an API key (usage plans meter by key), so no method is open; the one exception
is the CORS preflight (OPTIONS), which API Gateway answers itself and never reaches the mesh.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import pulumi
import pulumi_aws as aws

from . import naming
from .config import AuthConfig, EmailSender
from .iam import policy_json, service_trust_policy, statement

# A TOKEN authorizer is only invoked for headers of this shape; anything else is a 401 without a Lambda call.
BEARER_TOKEN_PATTERN = r"^Bearer [-0-9A-Za-z._~+/]+=*$"
# API Gateway reuses a token's cached policy for every method the token calls for this long: the function's
# policy must allow the whole API (arn:...:<api>/<stage>/*/*), not only the methodArn it was asked for.
AUTHORIZER_CACHE_SECONDS = 300


@dataclass(frozen=True)
class ApiAuthorizerArgs:
    environment: str
    region: str
    api_name: str  # the REST API's (a user pool created here is named after it)
    auth: AuthConfig
    rest_api_id: pulumi.Input[str]
    # API consumers (apps): each gets a Cognito app client when the pool is created here.
    consumers: tuple[str, ...]
    protect: bool


class ApiAuthorizer(pulumi.ComponentResource):
    """The method-level auth settings plus a fingerprint of the authorizer for deployment triggers."""

    authorization: str
    authorizer_id: Optional[pulumi.Output[str]]
    # The user pool made here (None where auth is not cognito or names another stack's pool with userPoolArn).
    user_pool_arn: Optional[pulumi.Output[str]]
    # The authorizer's identity and settings: an authorizer changed in place still needs a redeployment.
    fingerprint: pulumi.Output[dict]

    def __init__(self, name: str, args: ApiAuthorizerArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:api:ApiAuthorizer", name, None, opts)
        self.authorizer_id = self.user_pool_arn = None
        auth = args.auth
        if auth.type == "cognito":
            self._cognito(name, args)
        elif auth.type == "jwt":
            self._lambda_token(name, args)
        else:
            self.authorization = "AWS_IAM"
            self.fingerprint = pulumi.Output.from_input({"authorization": "AWS_IAM"})
        self.register_outputs({"authorization": self.authorization, "authorizerId": self.authorizer_id})

    def _cognito(self, name: str, args: ApiAuthorizerArgs) -> None:
        child = pulumi.ResourceOptions(parent=self)
        pool_arn: pulumi.Input[str]
        if args.auth.user_pool_arn:
            pool_arn = args.auth.user_pool_arn
        else:
            pool = self._user_pool(name, args)
            pool_arn = self.user_pool_arn = pool.arn
        authorizer = aws.apigateway.Authorizer(
            f"{name}-cognito", name=f"{args.environment}-cognito", rest_api=args.rest_api_id,
            type="COGNITO_USER_POOLS", provider_arns=[pool_arn], identity_source=args.auth.identity_source,
            opts=child)
        self.authorization = "COGNITO_USER_POOLS"
        self.authorizer_id = authorizer.id
        self.fingerprint = pulumi.Output.all(authorizer.id, pool_arn).apply(lambda v: {
            "authorization": "COGNITO_USER_POOLS", "authorizer": v[0], "providerArns": [v[1]],
            "identitySource": args.auth.identity_source})

    def _user_pool(self, name: str, args: ApiAuthorizerArgs) -> aws.cognito.UserPool:
        # An identity store: protected (and deletion-protected by AWS too) where the stack protects state.
        pool = aws.cognito.UserPool(
            f"{name}-users", name=naming.user_pool_name(args.api_name),
            username_attributes=["email"], auto_verified_attributes=["email"],
            # A changed address stays pending until verified: the verified one (the sign-in name) keeps working.
            user_attribute_update_settings=aws.cognito.UserPoolUserAttributeUpdateSettingsArgs(
                attributes_require_verification_before_updates=["email"]),
            password_policy=aws.cognito.UserPoolPasswordPolicyArgs(
                minimum_length=12, require_lowercase=True, require_uppercase=True, require_numbers=True,
                require_symbols=True, temporary_password_validity_days=3),
            # Shoppers may enrol a TOTP app; forcing MFA on every customer is a product decision, not ours.
            mfa_configuration="OPTIONAL",
            software_token_mfa_configuration=aws.cognito.UserPoolSoftwareTokenMfaConfigurationArgs(enabled=True),
            account_recovery_setting=aws.cognito.UserPoolAccountRecoverySettingArgs(recovery_mechanisms=[
                aws.cognito.UserPoolAccountRecoverySettingRecoveryMechanismArgs(name="verified_email", priority=1)]),
            deletion_protection="ACTIVE" if args.protect else "INACTIVE",
            # Without it, anyone holding a public client id may call SignUp and get tokens the API accepts.
            admin_create_user_config=aws.cognito.UserPoolAdminCreateUserConfigArgs(
                allow_admin_create_user_only=not args.auth.self_sign_up),
            email_configuration=_email_configuration(args.auth.email_sender),
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect))
        for consumer in args.consumers:
            # Public clients (browser, mobile): no secret, SRP sign-in, no user enumeration.
            aws.cognito.UserPoolClient(
                f"{name}-{consumer}", name=f"{args.environment}-{consumer}", user_pool_id=pool.id,
                generate_secret=False, explicit_auth_flows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                prevent_user_existence_errors="ENABLED", enable_token_revocation=True,
                access_token_validity=60, id_token_validity=60, refresh_token_validity=30,
                token_validity_units=aws.cognito.UserPoolClientTokenValidityUnitsArgs(
                    access_token="minutes", id_token="minutes", refresh_token="days"),
                opts=pulumi.ResourceOptions(parent=self))
        return pool

    def _lambda_token(self, name: str, args: ApiAuthorizerArgs) -> None:
        child = pulumi.ResourceOptions(parent=self)
        function_arn = args.auth.authorizer_lambda_arn
        # The URI names the function's own region ("the same as the region hosting the Lambda function",
        # CreateAuthorizer), which another stack's function need not share with the API.
        _, partition, _, function_region = function_arn.split(":")[:4]
        # API Gateway invokes the function through this role, so the function's own resource policy (which
        # another stack may own) is left alone.
        account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        role = aws.iam.Role(f"{name}-invoke", assume_role_policy=service_trust_policy(
            "apigateway.amazonaws.com", account_id, if_exists=True), opts=child)
        aws.iam.RolePolicy(f"{name}-invoke", role=role.id,
                           policy=policy_json([statement(["lambda:InvokeFunction"], [function_arn])]), opts=child)
        uri = (f"arn:{partition}:apigateway:{function_region}:lambda:path/2015-03-31/functions/{function_arn}"
               "/invocations")
        authorizer = aws.apigateway.Authorizer(
            f"{name}-token", name=f"{args.environment}-jwt", rest_api=args.rest_api_id, type="TOKEN",
            authorizer_uri=uri, authorizer_credentials=role.arn, identity_source=args.auth.identity_source,
            identity_validation_expression=BEARER_TOKEN_PATTERN,
            authorizer_result_ttl_in_seconds=AUTHORIZER_CACHE_SECONDS, opts=child)
        self.authorization = "CUSTOM"
        self.authorizer_id = authorizer.id
        self.fingerprint = pulumi.Output.all(authorizer.id, role.arn).apply(lambda v: {
            "authorization": "CUSTOM", "authorizer": v[0], "uri": uri, "credentials": v[1],
            "identitySource": args.auth.identity_source, "validation": BEARER_TOKEN_PATTERN,
            "ttl": AUTHORIZER_CACHE_SECONDS})


def _email_configuration(sender: Optional[EmailSender]) -> Optional[aws.cognito.UserPoolEmailConfigurationArgs]:
    """Mail through the SES identity (DEVELOPER: Cognito creates the service-linked role it sends with), or
    none: Cognito's own sender, whose daily allowance the API reference calls below typical production volume."""
    if sender is None:
        return None
    return aws.cognito.UserPoolEmailConfigurationArgs(
        email_sending_account="DEVELOPER", source_arn=sender.identity_arn, from_email_address=sender.from_address,
        reply_to_email_address=sender.reply_to)
