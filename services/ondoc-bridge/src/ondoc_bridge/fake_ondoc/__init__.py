"""A fake ONDOC implementing services/ondoc-bridge/docs/ondoc-contract.md, with its state in memory (OND-9).

In-process in embedded mode and tests (`CLINIC_ONDOC_FAKE=1`, mounted at `/fake-ondoc` of the
bridge), or standalone: `python -m ondoc_bridge.fake_ondoc --port 8090`.
"""

from ondoc_bridge.fake_ondoc.app import create_fake_app
from ondoc_bridge.fake_ondoc.state import FakeConfig, FakeOndoc

__all__ = ["FakeConfig", "FakeOndoc", "create_fake_app"]
