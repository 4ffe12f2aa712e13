"""Metrics (Prometheus) and traces (OpenTelemetry): above core, below every feature package."""
