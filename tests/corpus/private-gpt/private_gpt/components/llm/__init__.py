"""LLM implementations."""
