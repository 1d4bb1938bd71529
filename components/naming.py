"""Physical names shared by more than one layer, defined once."""
from __future__ import annotations


def task_family(environment: str, service: str, version: str) -> str:
    """ECS registers each task in Cloud Map with ECS_TASK_DEFINITION_FAMILY; a version's virtual node
    selects its own tasks by this value, so the mesh and ECS layers must agree on it."""
    return f"{environment}-{service}-{version}"


def api_name(environment: str) -> str:
    """The REST API's name; CloudWatch's AWS/ApiGateway metrics are keyed by it."""
    return f"{environment}-ecommerce-api"
