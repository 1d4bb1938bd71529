"""The guardrail policies, importable without starting a policy pack server.

One module per family; `ALL_POLICIES` is the single list the pack (`policies/__main__.py`), the offline
preview and the tests use.
"""
from . import apigateway, appmesh, cloudmap, ecs, tags

ALL_POLICIES = [
    *appmesh.POLICIES,
    *ecs.POLICIES,
    *apigateway.POLICIES,
    *cloudmap.POLICIES,
    *tags.POLICIES,
]
