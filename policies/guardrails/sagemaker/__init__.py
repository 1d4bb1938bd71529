"""Amazon SageMaker AI guardrails: notebook instances, endpoint configurations and models, each judged by what pulumi-
aws sends for it."""

NOTEBOOK_INSTANCE = "aws:sagemaker/notebookInstance:NotebookInstance"
ENDPOINT_CONFIGURATION = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
MODEL = "aws:sagemaker/model:Model"
