"""API Gateway guardrails: logging, tracing, auth, validation, usage plans, TLS and WAF.

Stage-level settings that live on other resources (MethodSettings, UsagePlan, WebAclAssociation) are
checked by stack policies in `stage_coverage`.
"""

REST_API = "aws:apigateway/restApi:RestApi"
# Puts an OpenAPI body on a REST API made elsewhere: the same methods a RestApi body would define.
REST_API_PUT = "aws:apigateway/restApiPut:RestApiPut"
STAGE = "aws:apigateway/stage:Stage"
STAGE_V2 = "aws:apigatewayv2/stage:Stage"
API_V2 = "aws:apigatewayv2/api:Api"
ROUTE_V2 = "aws:apigatewayv2/route:Route"
METHOD = "aws:apigateway/method:Method"
RESOURCE = "aws:apigateway/resource:Resource"
# What a Method's `requestValidatorId` names: its `validateRequestBody` and `validateRequestParameters`.
REQUEST_VALIDATOR = "aws:apigateway/requestValidator:RequestValidator"
METHOD_SETTINGS = "aws:apigateway/methodSettings:MethodSettings"
INTEGRATION = "aws:apigateway/integration:Integration"
# An HTTP or WebSocket API's integration (`integrationUri`, and for an HTTP API's private one `tlsConfig`).
INTEGRATION_V2 = "aws:apigatewayv2/integration:Integration"
USAGE_PLAN = "aws:apigateway/usagePlan:UsagePlan"
# aws-native's plan lists stages alike, in `apiStages` (stage_coverage reads both types itself).
NATIVE_USAGE_PLAN = "aws-native:apigateway:UsagePlan"
DOMAIN_NAME = "aws:apigateway/domainName:DomainName"
DOMAIN_NAME_V2 = "aws:apigatewayv2/domainName:DomainName"
VPC_LINK = "aws:apigateway/vpcLink:VpcLink"
VPC_LINK_V2 = "aws:apigatewayv2/vpcLink:VpcLink"
