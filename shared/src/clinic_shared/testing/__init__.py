"""Test support shared by every service: isolated backends, tokens, the embedded platform."""
