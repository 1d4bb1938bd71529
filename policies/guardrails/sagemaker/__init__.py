"""Amazon SageMaker AI guardrails: notebook instances, endpoint configurations, models and Model Monitor jobs, each
judged by what pulumi-aws sends for it."""

NOTEBOOK_INSTANCE = "aws:sagemaker/notebookInstance:NotebookInstance"
ENDPOINT_CONFIGURATION = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
MODEL = "aws:sagemaker/model:Model"
DATA_QUALITY_JOB_DEFINITION = "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition"
MONITORING_SCHEDULE = "aws:sagemaker/monitoringSchedule:MonitoringSchedule"
