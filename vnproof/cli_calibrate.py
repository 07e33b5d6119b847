"""`vnproof calibrate --tenant T`: choose a tenant's threshold from its editors' recorded decisions."""
from __future__ import annotations

import argparse
import json
import sys


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="vnproof calibrate", description="Set a service tenant's confidence "
                                 "threshold from its editors' decisions (applied = real, ignored/added = false alarm): "
                                 "the lowest threshold whose precision reaches the target.")
    ap.add_argument("--tenant", required=True)
    ap.add_argument("--db", help="the service's SQLite file (default: VNPROOF_DATABASE_URL, else VNPROOF_DB_PATH)")
    ap.add_argument("--target", type=float, default=None, help="precision to reach (default 0.9)")
    ap.add_argument("--min-count", type=int, default=None, help="fewest decisions to choose from (default 30)")
    ap.add_argument("--dry-run", action="store_true", help="report only; keep the stored threshold")
    args = ap.parse_args(argv)

    from service.feedback import MIN_DECISIONS, TARGET_PRECISION
    from service.tenants import calibrate_tenant

    target = TARGET_PRECISION if args.target is None else args.target
    min_count = MIN_DECISIONS if args.min_count is None else args.min_count
    if not 0 < target <= 1 or min_count < 1:
        ap.error("--target must be in (0, 1] and --min-count at least 1")
    from service.store import open_store_for_cli

    store = open_store_for_cli("vnproof calibrate", **({"db_path": args.db, "database_url": ""} if args.db else {}))
    if store is None:
        return 2
    try:
        result = calibrate_tenant(store, args.tenant, target, min_count, apply=not args.dry_run)
    finally:
        store.close()
    print(json.dumps(result, ensure_ascii=False))
    if result["decisions"] == 0:
        print(f"vnproof calibrate: tenant {args.tenant!r} has no recorded decisions", file=sys.stderr)
    return 0
