"""Raw SSM Command documents: one kept to the account, one shared with two named accounts, and ones shared with every
AWS account (All, in any case, alone or among account ids). A share list another resource gives, known only after the
update, is not judged."""
import json

import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
CONTENT = json.dumps({"schemaVersion": "2.2", "description": "Restart the agent.", "mainSteps": [
    {"action": "aws:runShellScript", "name": "restart", "inputs": {"runCommand": ["systemctl restart agent"]}}]})


def document(name, **settings):
    return aws.ssm.Document(name, name=name, document_type="Command", content=CONTENT, tags=TAGS, **settings)


own = document("restart-agent")
document("shared-restart", permissions={"type": "Share", "account_ids": "111122223333,444455556666"})
document("public-restart", permissions={"type": "Share", "account_ids": "All"})
document("mixed-restart", permissions={"type": "Share", "account_ids": "111122223333, all"})
# A share list known only after the update.
document("later-restart", permissions={"type": "Share", "account_ids": own.arn.apply(lambda _: "111122223333")})
