"""Cognito guardrails: user pools (sign-up mail, password policy, MFA, threat protection), their app clients (sign-in
flows) and identity pools (guest access)."""

USER_POOL = "aws:cognito/userPool:UserPool"
USER_POOL_CLIENTS = ("aws:cognito/userPoolClient:UserPoolClient",
                     "aws:cognito/managedUserPoolClient:ManagedUserPoolClient")
IDENTITY_POOL = "aws:cognito/identityPool:IdentityPool"
