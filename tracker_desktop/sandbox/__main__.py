"""``python -m tracker_desktop.sandbox --port 12111``: serve until Ctrl-C."""

from __future__ import annotations

import argparse
import threading

from .sandbox import Sandbox


def main() -> None:
    parser = argparse.ArgumentParser(description="Tracker Desktop's local Stripe simulator")
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--account-name", default="Sandbox Watch Co.")
    args = parser.parse_args()
    sb = Sandbox(port=args.port, host=args.host, account_name=args.account_name).start()
    print(f"Stripe sandbox listening on {sb.base_url}", flush=True)
    print(f"Test secret key: {sb.secret_key}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        sb.stop()


if __name__ == "__main__":
    main()
