"""Tests for reworkd_platform."""
