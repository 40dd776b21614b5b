"""`syft-conformance`: check a deployment against the contract.

exit codes:
  0  CONFORMS: every selected rule ran to the end and passed (rules the run's own options
     exclude, --read-only, no --other-tenant, --no-schema, --rules, do not count)
  1  DOES NOT CONFORM: a rule failed, whatever else happened
  2  INCOMPLETE: nothing failed but something was not judged (a rule cut short by the
     --max-time budget, or not run for a reason of the target's; the run interrupted),
     or the kit could not run at all (target unreachable, key rejected, unknown tenant,
     invalid contract or options); the output says which
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from conformance import baseline, reports
from conformance.contract import DEFAULT_CONTRACT
from conformance.errors import BadOption, KitError
from conformance.options import (
    DEFAULT_EXAMPLES,
    DEFAULT_MAX_TIME,
    DEFAULT_TIMEOUT,
    TOKEN_VARIABLE,
    KitOptions,
)
from conformance.runner import run
from conformance.scrubbing import scrub_text


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="syft-conformance",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8080/api/v1")
    p.add_argument(
        "--token", help=f"the admin key; better from the environment variable {TOKEN_VARIABLE}, "
                        "so it shows neither in the process list nor in CI logs",
    )
    p.add_argument("--tenant", help="tenant to act in (default: no X-Tenant-Name header)")
    p.add_argument("--other-tenant", help="a second tenant: enables tenant_isolation")
    p.add_argument("--read-only", action="store_true", help="send GET requests only")
    p.add_argument("--seed", type=int, help="seed for reproducible data")
    p.add_argument("--examples", type=int, default=DEFAULT_EXAMPLES, help="examples per property rule")
    p.add_argument(
        "--max-time", type=float, default=DEFAULT_MAX_TIME,
        help="time budget in seconds for generated examples (explicit cases always run); "
             "a rule it cuts short makes the verdict INCOMPLETE",
    )
    p.add_argument("--rules", help="comma-separated subset of rules")
    p.add_argument("--no-schema", action="store_true", help="skip the Schemathesis phase")
    p.add_argument("--dtype", help="model type to create models with (with --configuration)")
    p.add_argument("--configuration", help="JSON configuration for --dtype")
    p.add_argument("--contract", type=Path, default=DEFAULT_CONTRACT, help="path to openapi.yaml")
    p.add_argument("--junit-xml", type=Path, help="write a JUnit XML report")
    p.add_argument("--json", type=Path, dest="json_path", help="write a JSON report")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="per-request timeout in seconds")
    p.add_argument(
        "--baseline", metavar="FILE",
        help="YAML of known discrepancies: failures it lists are KNOWN, not failing "
             f"(a path, or a baseline shipped with the kit: {', '.join(baseline.shipped_names())})",
    )
    p.add_argument("--strict-baseline", action="store_true", help="a baseline entry that no longer fails (FIXED) fails the run")
    p.add_argument("--write-baseline", type=Path, metavar="FILE", help="write this run's failures as a starting baseline")
    return p


def options_from(args: argparse.Namespace, environ: dict[str, str]) -> KitOptions:
    """Check the options against each other; contradictions are `BadOption`."""
    token = args.token if args.token is not None else environ.get(TOKEN_VARIABLE)
    if not token:
        raise BadOption(f"give the admin key in the environment variable {TOKEN_VARIABLE} (or with --token)")
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
        token=token,
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
        if args.strict_baseline and not args.baseline:
            raise BadOption("--strict-baseline needs --baseline")
        known = baseline.load(args.baseline) if args.baseline else None
        report = run(options_from(args, dict(os.environ)))
    except KitError as exc:
        print(f"syft-conformance: cannot run: {scrub_text(str(exc), args.token)}", file=sys.stderr)
        return 2
    if known is not None:
        baseline.apply(report, known)
        report.strict_baseline = args.strict_baseline
    if args.write_baseline:
        baseline.write(args.write_baseline, report)
    print(reports.text_report(report))
    if args.junit_xml:
        reports.write(args.junit_xml, reports.junit_report(report))
    if args.json_path:
        reports.write(args.json_path, reports.json_report(report))
    return report.exit_code
