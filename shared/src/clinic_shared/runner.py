"""Distributed mode: `python -m clinic_shared.runner <package> --port N` serves one service."""

from __future__ import annotations

import argparse
import gc
import importlib

import uvicorn

from clinic_shared.logging import configure_logging


def freeze_startup_objects() -> None:
    """Keep what the import made (modules, classes, routes, schemas) out of later collections.

    Full garbage collections walk every tracked object; a service process holds ~10^5 of
    them from its imports alone, and a collection during a request costs 100+ ms (seen at
    the p95 of free-slot search). Frozen objects are skipped; collect first so no garbage
    gets frozen with them.
    """
    gc.collect()
    gc.freeze()


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve one clinic service over HTTP.")
    parser.add_argument("package", help="the service's Python package, e.g. patients")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    module = importlib.import_module(f"{args.package}.app")
    settings = module.SETTINGS_CLASS()
    configure_logging(settings.log_level, settings.log_format)
    app = module.create_app(settings)
    freeze_startup_objects()
    uvicorn.run(app, host=args.host, port=args.port, log_config=None, access_log=False)


if __name__ == "__main__":
    main()
