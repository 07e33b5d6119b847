"""`vnproof keys add TENANT [--read-only]` / `list` / `revoke DIGEST_PREFIX`: API keys kept in the store.

A new key is printed once; only its sha256 digest is stored. Every node reading the same store
(VNPROOF_DATABASE_URL, or VNPROOF_DB_PATH on one machine) accepts it within a second.
"""
from __future__ import annotations

import argparse
import re
import secrets
import sys

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def check_digest(digest: str) -> str:
    """The lower-case sha256 hex digest; ValueError for anything else (a key itself, say)."""
    d = digest.strip().lower()
    if not _SHA256.match(d):
        raise ValueError("an API key is stored as its sha256 hex digest (64 hex characters), never as the key itself")
    return d


def new_key() -> str:
    """A fresh random key (256 bits, URL-safe)."""
    return "vnp_" + secrets.token_urlsafe(32)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="vnproof keys", description="API keys kept in the service's store "
                                 "(VNPROOF_DATABASE_URL, else the SQLite file VNPROOF_DB_PATH).")
    sub = ap.add_subparsers(dest="cmd", required=True)
    add = sub.add_parser("add", help="make a key for TENANT, print it once, store its digest")
    add.add_argument("tenant")
    add.add_argument("--read-only", action="store_true", help="the key may read the dictionary but not change it")
    sub.add_parser("list", help="tenants, digest prefixes and rights of the stored keys")
    rev = sub.add_parser("revoke", help="forget the stored key whose digest starts with PREFIX (as listed)")
    rev.add_argument("prefix")
    args = ap.parse_args(argv)

    from .auth import hash_key
    from .store import open_store_for_cli

    store = open_store_for_cli("vnproof keys")
    if store is None:
        return 2
    try:
        if args.cmd == "add":
            if not args.tenant.strip():
                print("vnproof keys: the tenant must not be empty", file=sys.stderr)
                return 2
            key = new_key()
            store.add_key(args.tenant, hash_key(key), read_only=args.read_only)
            print(key)
            print(f"(key for tenant {args.tenant!r}{', read-only' if args.read_only else ''}: shown once, "
                  "only its digest is stored)", file=sys.stderr)
        elif args.cmd == "list":
            for tenant, digest, read_only in store.key_digests():
                print(f"{tenant}\t{digest[:12]}…\t{'read-only' if read_only else 'read-write'}")
        else:
            prefix = args.prefix.strip().lower().rstrip("…")
            found = [d for _, d, _ in store.key_digests() if d.startswith(prefix)] if len(prefix) >= 8 else []
            if len(found) != 1:
                print(f"vnproof keys: {len(found)} stored keys match {args.prefix!r}; give at least 8 characters "
                      "of one digest, as `vnproof keys list` shows them", file=sys.stderr)
                return 1
            store.remove_key(found[0])
            print(f"revoked {found[0][:12]}… (every node stops accepting it within a second)", file=sys.stderr)
    finally:
        store.close()
    return 0
