"""``make serve``: run the mock on the fixtures and say how to reach it.

The port is bound before anything is printed, so a port in use is one clear line, not a
banner followed by a traceback; bad fixtures or rules are one line naming the file, the entry
and the problem. Then one console line per request unless ``--quiet``.
"""

from __future__ import annotations

import argparse
import gc
import logging
import shlex
import socket
import sys
import warnings

import uvicorn

# Connexion imports Starlette's test client, which warns about httpx; nothing here uses it.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from handlers.app import CONTROL_PLANE, create_app  # noqa: E402  (after the warning filter, on purpose)
from handlers.connections import DEFAULT_LIMITS, ConnectionLimits, server_config  # noqa: E402
from handlers.datafile import DataFileError  # noqa: E402
from handlers.errors import ApiError  # noqa: E402
from handlers.fixtures import DEFAULT_FIXTURES, FixtureError, admin_keys  # noqa: E402
from handlers.mock_admin.controls import CONTROLS_KEY, ruleset_schema  # noqa: E402
from handlers.mock_admin.scenarios import load_rules_file  # noqa: E402
from handlers.mock_admin.watch import DATA_FILE_NOTE, Watcher  # noqa: E402
from handlers.secrets import MODES, OMITTED  # noqa: E402
from handlers.wire import DEFAULT_MAX_BODY_BYTES  # noqa: E402

SEED_PATCH_BODY = '{"summary": "GPT-4 model optimized for customer support", "tags": "openai,gpt-4,support,production"}'
PROG = "syft-models-mock"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--data", help="keep state in this TinyDB file across restarts (the fixtures seed only a new file)")
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
    parser.add_argument("--fixtures", default=str(DEFAULT_FIXTURES), help="seed data folder (default: the shipped fixtures)")
    parser.add_argument("--strict-tenancy", action="store_true", help="require X-Tenant-Name (multi-tenant mode)")
    parser.add_argument("--cors-origin", action="append", dest="cors_origins", help="allowed origin (repeatable; default any)")
    parser.add_argument("--quiet", action="store_true", help="no console line per request")
    parser.add_argument("--rules", metavar="FILE", help="scenario rules in force at start (a JSON list)")
    parser.add_argument("--watch", action="store_true", help="apply edits to the fixtures and the rules file without a restart")
    parser.add_argument("--control-key", help=f"the key of the control plane ({CONTROL_PLANE}/); default: the admin keys")
    parser.add_argument("--journal-size", type=int, default=1000, help="requests kept in the journal (0: none)")
    parser.add_argument("--sandbox-limit", type=int, default=1000, help="live sandboxes kept (least recently used go first)")
    parser.add_argument("--sandbox-idle", type=float, default=3600, help="seconds after which an unused sandbox goes")
    args = parser.parse_args(argv)
    for name in ("journal_size", "sandbox_limit", "sandbox_idle"):
        if getattr(args, name) < (0 if name == "journal_size" else 1):
            parser.error(f"--{name.replace('_', '-')} is too small")
    return args


def banner(root_url: str, token: str, strict_tenancy: bool = False) -> str:
    base_url = f"{root_url}/api/v1"
    tenant = "-H 'X-Tenant-Name: root' " if strict_tenancy else ""  # strict mode needs the header
    curl = (
        f"curl -X PATCH {base_url}/models/gpt-4-assistant "
        f"-H {shlex.quote('Authorization: Bearer ' + token)} {tenant}"
        f"-H 'Content-Type: application/json' -d {shlex.quote(SEED_PATCH_BODY)}"
    )
    return "\n".join([
        f"Mock Models API:  {base_url}",
        f"Swagger UI:       {base_url}/ui/",
        f"Control plane:    {root_url}{CONTROL_PLANE}/ui/  (reset, request journal, scenario rules, state)",
        f"Demo admin key:   {token}",
        "Try the documentation's example:",
        f"  {curl}",
    ])


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before the banner is printed."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise SystemExit(f"{PROG}: cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def configure_console(quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", datefmt="%H:%M:%S"))
    logger = logging.getLogger("syft_models_mock")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logging.getLogger("syft_models_mock.requests").setLevel(logging.WARNING if quiet else logging.INFO)
    # No line of this process names its source line, thread or process: logging need not look them
    # up for every request (the logging HOWTO's "Optimization"; the caller's frame is the costly one).
    logging._srcfile = None
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    gc.disable()  # loading allocates a few objects per model: collections then only rescan them
    try:
        rules = load_rules_file(args.rules, ruleset_schema()) if args.rules else []
    except ValueError as exc:
        raise SystemExit(f"{PROG}: {exc}") from None
    try:
        app = create_app(
            args.fixtures,
            data_path=args.data,
            repair=args.repair,
            strict_tenancy=args.strict_tenancy,
            secrets=args.secrets,
            cors_origins=args.cors_origins or ("*",),
            control_key=args.control_key,
            journal_size=args.journal_size,
            rules=rules,
            sandbox_limit=args.sandbox_limit,
            sandbox_idle_seconds=args.sandbox_idle,
            max_body_bytes=args.max_body_bytes,
        )
    except (DataFileError, FixtureError) as exc:
        raise SystemExit(f"{PROG}: {exc}") from None
    except ApiError as exc:  # a rule the schema allows but that makes no sense
        raise SystemExit(f"{PROG}: {args.rules}: {exc.detail}") from None
    sock = bind(args.host, args.port)
    configure_console(args.quiet)
    token = admin_keys(args.fixtures)[0]
    print(banner(f"http://{args.host}:{args.port}", token, args.strict_tenancy), flush=True)
    if args.watch:
        if args.data:
            print(DATA_FILE_NOTE, flush=True)
        Watcher(app.app.extensions[CONTROLS_KEY], None if args.data else args.fixtures, args.rules).start()
    gc.freeze()  # the loaded state is never collected: keeps it out of every collection (p99 spikes)
    gc.enable()
    limits = ConnectionLimits(max_connections=args.max_connections, max_header_bytes=args.max_header_bytes,
                              max_headers=args.max_headers, request_timeout=args.request_timeout)
    # the socket is already bound (before the banner); uvicorn serves on it
    uvicorn.Server(server_config(app, args.host, args.port, limits, log_level="warning")).run(sockets=[sock])


if __name__ == "__main__":
    main()
