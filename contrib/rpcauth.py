#!/usr/bin/env python3
"""Makes an --rpcauth credential for cairnd, so cairn.conf need not hold the password.

    contrib/rpcauth.py USER [PASSWORD]

Prints the `rpcauth=user:salt$hash` line for cairn.conf (hash = hex(HMAC-SHA256(key=salt,
msg=password))) and, if no password was given, the generated password for the client.
"""
import hashlib
import hmac
import secrets
import sys


def make(user: str, password: str) -> str:
    salt = secrets.token_hex(16)
    digest = hmac.new(salt.encode(), password.encode(), hashlib.sha256).hexdigest()
    return f"{user}:{salt}${digest}"


def main() -> int:
    if len(sys.argv) not in (2, 3) or ":" in sys.argv[1]:
        print(__doc__.strip(), file=sys.stderr)
        return 1
    user = sys.argv[1]
    password = sys.argv[2] if len(sys.argv) == 3 else secrets.token_urlsafe(32)
    print(f"rpcauth={make(user, password)}")
    if len(sys.argv) == 2:
        print(f"password: {password}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
