"""Run the fake ONDOC on its own: `python -m ondoc_bridge.fake_ondoc --port 8090`.

Point the bridge at it (PUT /api/ondoc/settings with server_url http://127.0.0.1:8090, the
tokens and callback secret below); its callbacks go to --callback-url (the gateway).
"""

from __future__ import annotations

import argparse

import uvicorn

from ondoc_bridge.fake_ondoc.app import create_fake_app
from ondoc_bridge.fake_ondoc.state import FakeConfig


def argument_parser() -> argparse.ArgumentParser:
    """The fake's command line (`gateway.devcluster` builds commands for it)."""
    defaults = FakeConfig()
    parser = argparse.ArgumentParser(
        description="A fake ONDOC implementing services/ondoc-bridge/docs/ondoc-contract.md."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--callback-url", default=defaults.callback_url, help="the bridge's callbacks, via the gateway")
    parser.add_argument("--company-token", default=defaults.company_token, help='accepted "old API" token')
    parser.add_argument("--branch-token", default=defaults.branch_token, help='accepted "new API" token')
    parser.add_argument("--callback-secret", default=defaults.callback_secret, help="signs the callbacks")
    return parser


def main() -> None:
    """Parse the command line and serve the fake."""
    args = argument_parser().parse_args()
    config = FakeConfig(
        company_token=args.company_token,
        branch_token=args.branch_token,
        callback_url=args.callback_url,
        callback_secret=args.callback_secret,
    )
    print(
        f"\n  Fake ONDOC on http://{args.host}:{args.port}  (state: GET /_control/state, docs: /docs)\n"
        f"  Callbacks go to {config.callback_url}\n",
        flush=True,
    )
    uvicorn.run(create_fake_app(config), host=args.host, port=args.port, log_level="info")


if __name__ == "__main__":
    main()
