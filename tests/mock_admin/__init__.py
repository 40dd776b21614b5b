"""Tests of the mock's own controls (handlers.mock_admin): control plane, sandboxes, Prefer, console, packaging."""
