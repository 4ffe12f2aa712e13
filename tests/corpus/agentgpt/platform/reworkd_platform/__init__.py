"""reworkd_platform package."""
