"""Step Functions guardrails: a state machine logs its executions."""

STATE_MACHINE = "aws:sfn/stateMachine:StateMachine"
