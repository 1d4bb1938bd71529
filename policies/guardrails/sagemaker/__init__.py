"""Amazon SageMaker AI guardrails: notebook instances and endpoint configurations, each judged by what pulumi-aws sends
for it."""

NOTEBOOK_INSTANCE = "aws:sagemaker/notebookInstance:NotebookInstance"
ENDPOINT_CONFIGURATION = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
