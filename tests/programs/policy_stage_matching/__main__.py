"""Two REST APIs with a stage of the same name, covered only for api-a by literal ids (no dependency
links), and a third stage whose name is known only after the update; their methods require API keys. A fourth
API's method takes no key, so its stage needs no usage plan."""
import pulumi_aws as aws


def rest_api(name: str, stage_name, api_key_required: bool = True):
    api = aws.apigateway.RestApi(name, name=name, security_policy="TLS_1_2")
    aws.apigateway.Method(f"{name}-get", rest_api=api.id, resource_id=api.root_resource_id, http_method="GET",
                          authorization="AWS_IAM", api_key_required=api_key_required)
    deployment = aws.apigateway.Deployment(f"{name}-deployment", rest_api=api.id)
    return api, aws.apigateway.Stage(f"{name}-stage", rest_api=api.id, deployment=deployment.id,
                                     stage_name=stage_name, xray_tracing_enabled=True)


api_a, _ = rest_api("api-a", "prod")
api_b, _ = rest_api("api-b", "prod")
# The name depends on api-b's id: unknown in a first preview.
rest_api("api-c", api_b.id.apply(lambda _: "beta"))
rest_api("api-d", "prod", api_key_required=False)

# Literal ids, as another team's program might write them: nothing links these to a stage.
aws.apigateway.MethodSettings("api-a-settings", rest_api="api-a-id", stage_name="prod", method_path="*/*",
                              settings=aws.apigateway.MethodSettingsSettingsArgs(
                                  logging_level="ERROR", metrics_enabled=True, data_trace_enabled=False,
                                  throttling_rate_limit=100, throttling_burst_limit=200))
aws.apigateway.UsagePlan("api-a-plan", api_stages=[aws.apigateway.UsagePlanApiStageArgs(api_id="api-a-id",
                                                                                      stage="prod")],
                         throttle_settings=aws.apigateway.UsagePlanThrottleSettingsArgs(rate_limit=10, burst_limit=20),
                         quota_settings=aws.apigateway.UsagePlanQuotaSettingsArgs(limit=1000, period="DAY"))
