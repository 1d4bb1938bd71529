"""Cognito guardrails: user pools that take sign-ups can mail their users."""

USER_POOL = "aws:cognito/userPool:UserPool"
