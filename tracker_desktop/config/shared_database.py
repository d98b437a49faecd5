"""Where a shop's shared PostgreSQL database is: server, port, database and user, kept in
settings.json (AppSettings.shared_database); its password is kept in the OS keychain
(config.secrets.DatabasePasswordStore), and only joined into the URL when it is opened."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from urllib.parse import parse_qs, quote, unquote, urlsplit

from tracker_desktop.domain.errors import FormInvalid

DEFAULT_PORT = 5432


@dataclass(frozen=True, slots=True)
class SharedDatabase:
    host: str
    port: int = DEFAULT_PORT
    database: str = "tracker"
    user: str = "tracker"

    @property
    def account(self) -> str:
        """The keychain entry's name: which server, database and user the password opens."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def url(self, password: str | None) -> str:
        secret = f":{quote(password, safe='')}" if password else ""
        who = f"postgresql+psycopg://{quote(self.user, safe='')}{secret}@"
        database = quote(self.database, safe="")
        if self.host.startswith("/"):  # a unix socket's folder, on the server itself
            return f"{who}/{database}?host={quote(self.host, safe='')}&port={self.port}"
        return f"{who}{self.host}:{self.port}/{database}"

    def to_settings(self) -> dict[str, str | int]:
        return asdict(self)


def shared_database(raw: object) -> SharedDatabase | None:
    """The setting as saved, or None (a single computer's file) when empty or unreadable."""
    if not isinstance(raw, dict) or not raw.get("host"):
        return None
    try:
        return checked(
            str(raw["host"]),
            str(raw.get("port", DEFAULT_PORT)),
            str(raw.get("database", "tracker")),
            str(raw.get("user", "tracker")),
        )
    except FormInvalid:
        return None


def checked(host: str, port: str, database: str, user: str) -> SharedDatabase:
    """The form's fields, or FormInvalid with a message beside each wrong one."""
    problems: dict[str, str] = {}
    host, database, user = host.strip(), database.strip(), user.strip()
    # A name or address, or (on the server itself) the folder of its unix socket.
    refused = "@?#&" if host.startswith("/") else "/@?#&:"
    if not host or len(host) > 253 or any(c.isspace() or c in refused for c in host):
        problems["host"] = "Enter the server's name or address."
    if not port.strip().isdigit() or not 0 < int(port) < 65536:
        problems["port"] = "A port is a number from 1 to 65535."
    for value, name in ((database, "database"), (user, "user")):
        if not value or len(value) > 63 or not value.isprintable():
            problems[name] = f"Enter the {name}'s name (at most 63 characters)."
    if problems:
        raise FormInvalid(problems)
    return SharedDatabase(host, int(port), database, user)


def keychain_scope(url: str) -> str:
    """Which database a profile's Stripe key belongs to, for its keychain entry: "" for this
    computer's SQLite file, else user@server:port/database (never the password)."""
    if url.startswith("sqlite"):
        return ""
    parts = urlsplit(url)
    query = parse_qs(parts.query)  # a unix socket's folder comes as ?host=...&port=...
    host = parts.hostname or query.get("host", [""])[0]
    port = parts.port or query.get("port", [str(DEFAULT_PORT)])[0]
    return f"{unquote(parts.username or '')}@{host}:{port}/{unquote(parts.path.lstrip('/'))}"
