"""Test support that needs the gateway: the pytest plugin every test run loads
(`-p testsupport.plugin`, pyproject.toml), with the embedded platform behind the gateway.

Neither a library nor a service: it depends on clinic_shared, the gateway and pytest, and
nothing depends on it (the import contracts in `.importlinter` keep it so). clinic_shared's own
test helpers (`clinic_shared.testing`) stay free of the gateway. Not an installed package: the
repository root is on pytest's `pythonpath`.
"""
