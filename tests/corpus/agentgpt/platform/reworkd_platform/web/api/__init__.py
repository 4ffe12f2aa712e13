"""reworkd_platform API package."""
