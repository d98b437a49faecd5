"""Settings -> Shared database -> "Test connection": can this workstation open that database,
and does the server have what the app needs (PostgreSQL 13 or newer, pg_trgm)?"""

from __future__ import annotations

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

CONNECT_TIMEOUT_S = 5
OLDEST_SERVER = 130000  # server_version_num of PostgreSQL 13


def connection_problem(url: str) -> str | None:
    """None when the database can be used, else the dealer's sentence (never the password)."""
    parsed = make_url(url)
    where = f'database "{parsed.database}" on {parsed.host or parsed.query.get("host") or "?"}'
    engine = create_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT_S})
    try:
        with engine.connect() as conn:
            version = int(conn.execute(text("SHOW server_version_num")).scalar_one())
            trigram = conn.execute(
                text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
            ).first()
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        if parsed.password:
            reason = reason.replace(str(parsed.password), "***")
        return f"Tracker Desktop could not open the {where}: {reason}"
    except SQLAlchemyError as exc:
        return f"Tracker Desktop could not open the {where} ({type(exc).__name__})."
    finally:
        engine.dispose()
    if version < OLDEST_SERVER:
        return f"The {where} runs a PostgreSQL older than 13; Tracker Desktop needs 13 or newer."
    if trigram is None:
        return (
            f"The server of the {where} lacks the pg_trgm extension the invoice search uses: "
            "install PostgreSQL's contrib package there."
        )
    return None
