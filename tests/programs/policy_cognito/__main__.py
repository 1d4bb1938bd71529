"""Raw Cognito user pools: two that let users sign up and mail them with Cognito's own sender (one by default, one
by name), one that mails through SES, and one where only administrators create users (Cognito's sender is fine
for the invitations they send). All but two keep a changed address pending until it is verified; the bare pool
and one that verifies phone numbers but holds back only email changes do not. All but the bare pool offer TOTP MFA;
all but one keep AWS's default password policy (no passwordPolicy: 8 characters, all four classes, 7 days), and
that one asks for 6 characters and lower-case letters only. App clients: one signing in with SRP and the OAuth code
flow, one sending passwords (ALLOW_USER_PASSWORD_AUTH) and allowing the implicit grant, one signing in by choice
(ALLOW_USER_AUTH, which offers the password challenge). Identity pools: one with guest access, one without. Two
more pools take settings from another resource's output, unknown in a first preview: one's password length and MFA
setting (strong once known), the other's symbol requirement (its known length, 6, is weak either way). Every pool
but the bare one (which leaves it at the API's default) and one that says so has deletion protection ACTIVE.
Threat protection (the Plus plan): the pools with TOTP MFA enforce it, but the admin-only pool, which only audits;
the bare pool has none, the fed pool's mode is an output, and a legacy pool without it is exempted by the test
config. Two pools run custom authentication (challenge triggers): one enforces threat protection for it, the other
(its define trigger an output) leaves it at the provider's default, AUDIT."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
SES_IDENTITY = "arn:aws:ses:us-east-1:123456789012:identity/shop.example.com"
MFA = {"mfa_configuration": "OPTIONAL", "software_token_mfa_configuration": {"enabled": True},
       "deletion_protection": "ACTIVE", "user_pool_tier": "PLUS",
       "user_pool_add_ons": {"advanced_security_mode": "ENFORCED"}}

aws.cognito.UserPool("bare-pool", name="bare-pool", auto_verified_attributes=["email"], tags=TAGS)
aws.cognito.UserPool("unprotected-pool", name="unprotected-pool", auto_verified_attributes=["email"],
                     admin_create_user_config={"allow_admin_create_user_only": True},
                     user_attribute_update_settings={"attributes_require_verification_before_updates": ["email"]},
                     tags=TAGS, **{**MFA, "deletion_protection": "INACTIVE"})
aws.cognito.UserPool("default-sender-pool", name="default-sender-pool", auto_verified_attributes=["email"],
                     email_configuration={"email_sending_account": "COGNITO_DEFAULT"},
                     user_attribute_update_settings={"attributes_require_verification_before_updates": ["email"]},
                     tags=TAGS, **MFA)
aws.cognito.UserPool("ses-pool", name="ses-pool", auto_verified_attributes=["email"],
                     user_attribute_update_settings={"attributes_require_verification_before_updates": ["email"]},
                     email_configuration={"email_sending_account": "DEVELOPER", "source_arn": SES_IDENTITY,
                                          "from_email_address": "Shop <no-reply@shop.example.com>"}, tags=TAGS, **MFA)
ADMIN_ONLY = {"auto_verified_attributes": ["email"], "admin_create_user_config": {"allow_admin_create_user_only": True},
              "user_attribute_update_settings": {"attributes_require_verification_before_updates": ["email"]}}
aws.cognito.UserPool("admin-only-pool", name="admin-only-pool", tags=TAGS,
                     **ADMIN_ONLY, **{**MFA, "user_pool_add_ons": {"advanced_security_mode": "AUDIT"}})
aws.cognito.UserPool("legacy-pool", name="legacy-pool", tags=TAGS,
                     **ADMIN_ONLY, **{**MFA, "user_pool_tier": "ESSENTIALS", "user_pool_add_ons": None})
aws.cognito.UserPool("phone-pool", name="phone-pool", auto_verified_attributes=["email", "phone_number"],
                     admin_create_user_config={"allow_admin_create_user_only": True},
                     user_attribute_update_settings={"attributes_require_verification_before_updates": ["email"]},
                     tags=TAGS, **MFA)
weak = aws.cognito.UserPool(
    "weak-password-pool", name="weak-password-pool", auto_verified_attributes=["email"],
    admin_create_user_config={"allow_admin_create_user_only": True},
    user_attribute_update_settings={"attributes_require_verification_before_updates": ["email"]},
    password_policy={"minimum_length": 6, "require_lowercase": True}, tags=TAGS, **MFA)
# Another resource's output (the weak pool's id): unknown in a first preview, a fixed value once known.
fed = weak.id.apply
STRONG_CLASSES = {"require_lowercase": True, "require_uppercase": True, "require_numbers": True}
aws.cognito.UserPool(
    "fed-pool", name="fed-pool", auto_verified_attributes=["email"],
    admin_create_user_config={"allow_admin_create_user_only": True},
    user_attribute_update_settings={"attributes_require_verification_before_updates": ["email"]},
    password_policy={"minimum_length": fed(lambda _: 12), "require_symbols": True, **STRONG_CLASSES},
    mfa_configuration=fed(lambda _: "OPTIONAL"), software_token_mfa_configuration={"enabled": True},
    deletion_protection=fed(lambda _: "ACTIVE"), user_pool_tier="PLUS",
    user_pool_add_ons={"advanced_security_mode": fed(lambda _: "ENFORCED")}, tags=TAGS)
aws.cognito.UserPool(
    "fed-weak-pool", name="fed-weak-pool", auto_verified_attributes=["email"],
    admin_create_user_config={"allow_admin_create_user_only": True},
    user_attribute_update_settings={"attributes_require_verification_before_updates": ["email"]},
    password_policy={"minimum_length": 6, "require_symbols": fed(lambda _: True), **STRONG_CLASSES},
    tags=TAGS, **MFA)
# Custom authentication: Cognito starts it with the define auth challenge trigger.
CHALLENGE = "arn:aws:lambda:us-east-1:123456789012:function:{}-challenge"
aws.cognito.UserPool(
    "custom-auth-pool", name="custom-auth-pool", tags=TAGS, **ADMIN_ONLY, **MFA,
    lambda_config={"define_auth_challenge": fed(lambda _: CHALLENGE.format("define")),
                   "create_auth_challenge": CHALLENGE.format("create"),
                   "verify_auth_challenge_response": CHALLENGE.format("verify")})
aws.cognito.UserPool(
    "custom-auth-enforced-pool", name="custom-auth-enforced-pool", tags=TAGS, **ADMIN_ONLY,
    **{**MFA, "user_pool_add_ons": {"advanced_security_mode": "ENFORCED",
                                    "advanced_security_additional_flows": {"custom_auth_mode": "ENFORCED"}}},
    lambda_config={"define_auth_challenge": CHALLENGE.format("define"),
                   "create_auth_challenge": CHALLENGE.format("create"),
                   "verify_auth_challenge_response": CHALLENGE.format("verify")})
aws.cognito.UserPoolClient("srp-client", name="srp-client", user_pool_id=weak.id, generate_secret=False,
                           explicit_auth_flows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                           allowed_oauth_flows_user_pool_client=True, allowed_oauth_flows=["code"],
                           allowed_oauth_scopes=["openid"], callback_urls=["https://shop.example.com/callback"],
                           supported_identity_providers=["COGNITO"])
aws.cognito.UserPoolClient("password-client", name="password-client", user_pool_id=weak.id, generate_secret=False,
                           explicit_auth_flows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                           allowed_oauth_flows_user_pool_client=True, allowed_oauth_flows=["implicit"],
                           allowed_oauth_scopes=["openid"], callback_urls=["https://shop.example.com/callback"],
                           supported_identity_providers=["COGNITO"])
# Choice-based sign-in: the PASSWORD challenge sends the password itself.
aws.cognito.UserPoolClient("choice-client", name="choice-client", user_pool_id=weak.id, generate_secret=False,
                           explicit_auth_flows=["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
aws.cognito.IdentityPool("guest-identities", identity_pool_name="guest_identities",
                         allow_unauthenticated_identities=True, tags=TAGS)
aws.cognito.IdentityPool("signed-in-identities", identity_pool_name="signed_in_identities",
                         allow_unauthenticated_identities=False, tags=TAGS)
