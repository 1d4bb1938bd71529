"""Raw Cognito user pools: two that let users sign up and mail them with Cognito's own sender (one by default, one
by name), one that mails through SES, and one where only administrators create users (Cognito's sender is fine
for the invitations they send). All but two keep a changed address pending until it is verified; the bare pool
and one that verifies phone numbers but holds back only email changes do not."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
SES_IDENTITY = "arn:aws:ses:us-east-1:123456789012:identity/shop.example.com"

aws.cognito.UserPool("bare-pool", name="bare-pool", auto_verified_attributes=["email"], tags=TAGS)
aws.cognito.UserPool("default-sender-pool", name="default-sender-pool", auto_verified_attributes=["email"],
                     email_configuration={"email_sending_account": "COGNITO_DEFAULT"},
                     user_attribute_update_settings={"attributes_require_verification_before_updates": ["email"]},
                     tags=TAGS)
aws.cognito.UserPool("ses-pool", name="ses-pool", auto_verified_attributes=["email"],
                     user_attribute_update_settings={"attributes_require_verification_before_updates": ["email"]},
                     email_configuration={"email_sending_account": "DEVELOPER", "source_arn": SES_IDENTITY,
                                          "from_email_address": "Shop <no-reply@shop.example.com>"}, tags=TAGS)
aws.cognito.UserPool("admin-only-pool", name="admin-only-pool", auto_verified_attributes=["email"],
                     admin_create_user_config={"allow_admin_create_user_only": True},
                     user_attribute_update_settings={"attributes_require_verification_before_updates": ["email"]},
                     tags=TAGS)
aws.cognito.UserPool("phone-pool", name="phone-pool", auto_verified_attributes=["email", "phone_number"],
                     admin_create_user_config={"allow_admin_create_user_only": True},
                     user_attribute_update_settings={"attributes_require_verification_before_updates": ["email"]},
                     tags=TAGS)
