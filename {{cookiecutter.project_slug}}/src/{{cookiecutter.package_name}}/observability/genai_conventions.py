"""The OpenTelemetry GenAI semantic convention names we use, in one module.

The GenAI conventions are still in development and their names move between releases
(`gen_ai.system` became `gen_ai.provider.name`; time to first token became
`time_to_first_chunk`): a rename is one change here, and the metrics, spans, dashboard and
alert rules follow (`tests/observability/test_genai_conventions.py` checks that they do).
"""

from __future__ import annotations

SEMCONV_VERSION = "1.37.0"

# Metrics (https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-metrics/).
OPERATION_DURATION = "gen_ai.client.operation.duration"  # seconds, histogram
TOKEN_USAGE = "gen_ai.client.token.usage"  # tokens, histogram
TIME_TO_FIRST_CHUNK = "gen_ai.client.operation.time_to_first_chunk"  # seconds, histogram

# Span and metric attributes.
OPERATION_NAME = "gen_ai.operation.name"
PROVIDER_NAME = "gen_ai.provider.name"
REQUEST_MODEL = "gen_ai.request.model"
RESPONSE_MODEL = "gen_ai.response.model"
TOKEN_TYPE = "gen_ai.token.type"
USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens"
USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens"
INPUT_MESSAGES = "gen_ai.input.messages"  # opt-in only: prompt text
OUTPUT_MESSAGES = "gen_ai.output.messages"  # opt-in only: answer text
ERROR_TYPE = "error.type"

# Values.
OPERATION_CHAT = "chat"
TOKEN_TYPE_INPUT = "input"
TOKEN_TYPE_OUTPUT = "output"


def prometheus_name(otel_name: str, unit: str = "") -> str:
    """The name Prometheus shows for an OTel instrument: dots become underscores, plus the unit.

    The same translation the OpenTelemetry Prometheus exporter applies, so the dashboard works
    whichever exporter a team later chooses.
    """
    name = otel_name.replace(".", "_")
    return f"{name}_{unit}" if unit else name


def prometheus_label(otel_attribute: str) -> str:
    return otel_attribute.replace(".", "_")
