"""Amazon SageMaker AI guardrails: notebook instances, each judged by what pulumi-aws sends for it."""

NOTEBOOK_INSTANCE = "aws:sagemaker/notebookInstance:NotebookInstance"
