"""The fake SMSC (`notifier.fake_sms`) on a real local socket, served by uvicorn in a thread.

Tests that need real socket timeouts (a provider that answers after the notifier gave up) use
it; an in-process ASGI transport never times out.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from notifier.fake_sms import FakeSmsc, create_fake_sms_app


@contextmanager
def running_fake_smsc(fake: FakeSmsc) -> Iterator[str]:
    """Serve `fake` on a free local port; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        create_fake_sms_app(fake), host="127.0.0.1", port=port, log_config=None, access_log=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="fake-smsc", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the fake SMSC did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
