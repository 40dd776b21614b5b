"""``make serve``: run the mock on the fixtures and say how to reach it."""

from __future__ import annotations

import argparse
import gc
import shlex
import warnings

import uvicorn

# Connexion imports Starlette's test client, which warns about httpx; nothing here uses it.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from handlers.app import create_app  # noqa: E402  (after the warning filter, on purpose)
from handlers.connections import DEFAULT_LIMITS, ConnectionLimits, server_config  # noqa: E402
from handlers.datafile import DataFileError  # noqa: E402
from handlers.fixtures import DEFAULT_FIXTURES, admin_keys  # noqa: E402
from handlers.secrets import MODES, OMITTED  # noqa: E402
from handlers.wire import DEFAULT_MAX_BODY_BYTES  # noqa: E402

SEED_PATCH_BODY = '{"summary": "GPT-4 model optimized for customer support", "tags": "openai,gpt-4,support,production"}'


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="syft-models-mock", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--data", help="keep state in this TinyDB file across restarts")
    parser.add_argument("--repair", action="store_true",
                        help="start even when the data file's journal has corrupt lines: copy both files aside, keep every readable line")
    defaults = DEFAULT_LIMITS
    parser.add_argument("--max-body-bytes", type=int, default=DEFAULT_MAX_BODY_BYTES,
                        help="larger request bodies are 413 (default 1 MiB)")
    parser.add_argument("--max-header-bytes", type=int, default=defaults.max_header_bytes,
                        help="a larger request line and headers are 431 (default %(default)s)")
    parser.add_argument("--max-headers", type=int, default=defaults.max_headers,
                        help="more headers are 431 (default %(default)s)")
    parser.add_argument("--max-connections", type=int, default=defaults.max_connections,
                        help="connections beyond are answered 503 and closed (default %(default)s)")
    parser.add_argument("--request-timeout", type=float, default=defaults.request_timeout,
                        help="seconds a connection has to send a complete request (default %(default)s)")
    parser.add_argument("--secrets", choices=MODES, default=OMITTED,
                        help="secrets in configurations: left out of answers (default, as the real server does) "
                             "or masked as the documentation shows (sk-...)")
    parser.add_argument("--fixtures", default=str(DEFAULT_FIXTURES), help="seed data folder")
    parser.add_argument("--strict-tenancy", action="store_true", help="require X-Tenant-Name (multi-tenant mode)")
    parser.add_argument("--cors-origin", action="append", dest="cors_origins", help="allowed origin (repeatable; default any)")
    return parser.parse_args(argv)


def banner(base_url: str, token: str, strict_tenancy: bool = False) -> str:
    tenant = "-H 'X-Tenant-Name: root' " if strict_tenancy else ""  # strict mode needs the header
    curl = (
        f"curl -X PATCH {base_url}/models/gpt-4-assistant "
        f"-H {shlex.quote('Authorization: Bearer ' + token)} {tenant}"
        f"-H 'Content-Type: application/json' -d {shlex.quote(SEED_PATCH_BODY)}"
    )
    return "\n".join([
        f"Mock Models API:  {base_url}",
        f"Swagger UI:       {base_url}/ui/",
        f"Demo admin key:   {token}",
        "Try the documentation's example:",
        f"  {curl}",
    ])


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    gc.disable()  # loading allocates a few objects per model: collections then only rescan them
    try:
        app = create_app(
            args.fixtures,
            data_path=args.data,
            repair=args.repair,
            strict_tenancy=args.strict_tenancy,
            secrets=args.secrets,
            cors_origins=args.cors_origins or ("*",),
            max_body_bytes=args.max_body_bytes,
        )
    except DataFileError as exc:
        raise SystemExit(f"syft-models-mock: {exc}") from None
    token = admin_keys(args.fixtures)[0]
    print(banner(f"http://{args.host}:{args.port}/api/v1", token, args.strict_tenancy), flush=True)
    gc.freeze()  # the loaded state is never collected: keeps it out of every collection (p99 spikes)
    gc.enable()
    limits = ConnectionLimits(max_connections=args.max_connections, max_header_bytes=args.max_header_bytes,
                              max_headers=args.max_headers, request_timeout=args.request_timeout)
    uvicorn.Server(server_config(app, args.host, args.port, limits, log_level="warning")).run()


if __name__ == "__main__":
    main()
