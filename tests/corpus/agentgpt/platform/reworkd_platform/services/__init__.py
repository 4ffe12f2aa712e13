"""Services for reworkd_platform."""
