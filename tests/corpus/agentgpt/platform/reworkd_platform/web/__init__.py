"""WEB API for reworkd_platform."""
