"""`syft-conformance`: check a deployment against the contract.

Exit 0: it conforms. 1: a rule failed. 2: the kit could not run (unreachable target,
rejected key, invalid contract, bad options, interrupted).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from conformance import reports
from conformance.contract import DEFAULT_CONTRACT
from conformance.errors import BadOption, KitError
from conformance.options import DEFAULT_EXAMPLES, DEFAULT_MAX_TIME, DEFAULT_TIMEOUT, KitOptions
from conformance.runner import run
from conformance.scrubbing import scrub_text


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="syft-conformance", description=__doc__.split("\n\n")[0])
    p.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8080/api/v1")
    p.add_argument("--token", required=True, help="the admin key")
    p.add_argument("--tenant", help="tenant to act in (default: no X-Tenant-Name header)")
    p.add_argument("--other-tenant", help="a second tenant: enables tenant_isolation")
    p.add_argument("--read-only", action="store_true", help="send GET requests only")
    p.add_argument("--seed", type=int, help="seed for reproducible data")
    p.add_argument("--examples", type=int, default=DEFAULT_EXAMPLES, help="examples per property rule")
    p.add_argument("--max-time", type=float, default=DEFAULT_MAX_TIME, help="total time budget in seconds")
    p.add_argument("--rules", help="comma-separated subset of rules")
    p.add_argument("--no-schema", action="store_true", help="skip the Schemathesis phase")
    p.add_argument("--dtype", help="model type to create models with (with --configuration)")
    p.add_argument("--configuration", help="JSON configuration for --dtype")
    p.add_argument("--contract", type=Path, default=DEFAULT_CONTRACT, help="path to openapi.yaml")
    p.add_argument("--junit-xml", type=Path, help="write a JUnit XML report")
    p.add_argument("--json", type=Path, dest="json_path", help="write a JSON report")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="per-request timeout in seconds")
    return p


def options_from(args: argparse.Namespace) -> KitOptions:
    """Check the options against each other; contradictions are `BadOption`."""
    configuration = None
    if args.configuration is not None:
        try:
            configuration = json.loads(args.configuration)
        except ValueError as exc:
            raise BadOption(f"--configuration is not JSON: {exc}") from exc
        if not isinstance(configuration, dict):
            raise BadOption("--configuration must be a JSON object")
        if args.dtype is None:
            raise BadOption("--configuration needs --dtype")
    if args.examples < 1 or args.max_time <= 0 or args.timeout <= 0:
        raise BadOption("--examples, --max-time and --timeout must be positive")
    if args.other_tenant is not None and args.other_tenant == args.tenant:
        raise BadOption("--other-tenant must differ from --tenant")
    if not args.base_url.startswith(("http://", "https://")):
        raise BadOption(f"--base-url must be an http(s) URL, not {args.base_url!r}")
    return KitOptions(
        base_url=args.base_url,
        token=args.token,
        tenant=args.tenant,
        other_tenant=args.other_tenant,
        read_only=args.read_only,
        seed=args.seed,
        examples=args.examples,
        max_time=args.max_time,
        rules=[name.strip() for name in args.rules.split(",") if name.strip()] if args.rules else None,
        schema=not args.no_schema,
        dtype=args.dtype,
        configuration=configuration,
        contract=args.contract,
        timeout=args.timeout,
    )


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage and 0 on --help: keep both
        return int(exc.code or 0)
    try:
        report = run(options_from(args))
    except KitError as exc:
        print(f"syft-conformance: cannot run: {scrub_text(str(exc), args.token)}", file=sys.stderr)
        return 2
    print(reports.text_report(report))
    if args.junit_xml:
        reports.write(args.junit_xml, reports.junit_report(report))
    if args.json_path:
        reports.write(args.json_path, reports.json_report(report))
    return report.exit_code
