"""Settings read once from the environment into one typed object."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    return raw in {"1", "true", "yes", "on"}


DEFAULT_PUSH_SERVICES = (
    "fcm.googleapis.com",
    "android.googleapis.com",
    "updates.push.services.mozilla.com",
    "push.services.mozilla.com",
    "notify.windows.com",
    "push.apple.com",
)
SMTP_TLS_MODES = ("none", "starttls", "tls")


def _env_clock(name: str, default: tuple[int, int]) -> tuple[int, int] | None:
    """A time of day "HH:MM" (None for "off"); anything else stops the start with a reason."""
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"off", "0", "no", "false", "none"}:
        return None
    hour, _, minute = raw.partition(":")
    if hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60:
        return int(hour), int(minute)
    raise ValueError(f"{name} must be HH:MM (e.g. 03:00) or off, not {raw!r}")


def _env_list(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    return tuple(part.strip() for part in raw.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    """Every tunable of the server; see README "Configuration" for the variables."""

    data_dir: Path
    database_url: str | None
    secret_key: str
    default_language: str = "ru"
    timezone: str = "Europe/Moscow"
    # Sessions: idle timeout ends a session nobody used for that long; absolute ends it anyway.
    session_idle_minutes: int = 8 * 60
    session_absolute_minutes: int = 7 * 24 * 60
    session_cookie: str = "servio_session"
    # Login throttling, counted in PostgreSQL so that every server process sees the same numbers.
    login_window_minutes: int = 15
    login_max_failures_per_account: int = 5
    login_max_failures_per_ip: int = 30
    # argon2id cost; tests lower it through the environment to stay fast.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 64 * 1024
    argon2_parallelism: int = 4
    debug: bool = False
    release: str = ""  # names a deploy; part of the field app's cache version
    # Geocoding of addresses: "nominatim:<base URL>" or "yandex:<api key>"; empty: none, and
    # coordinates are typed. Rate: requests per second (0: the service's default).
    geocoder: str = ""
    geocoder_rate: float = 0.0
    geocoder_user_agent: str = ""
    # The dispatcher's map: a tile URL template ({z}/{x}/{y}) of a tile server the center
    # runs or trusts; empty (the default): routes are drawn over a plain coordinate plot and
    # the browser fetches nothing from outside.
    map_tiles: str = ""
    # Where people reach this server: links in mail, SMS and push (`servio serve` sets it).
    public_url: str = "http://127.0.0.1:8000"
    # Mail: with no SMTP host, messages wait in the outbox until one is set.
    smtp_host: str = ""
    smtp_port: int = 0  # 0: 25, 587 with starttls, 465 with tls
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_tls: str = "starttls"  # none | starttls | tls
    mail_from: str = ""
    # Web Push goes only to these push services (hosts, https; or exact http://host:port
    # origins): a subscription naming any other endpoint is refused (no requests to
    # arbitrary addresses).
    push_services: tuple[str, ...] = DEFAULT_PUSH_SERVICES
    push_contact: str = ""  # the VAPID "sub": mailto: or https: of whoever runs this server
    # SMS: "smsru:<api_id>" (SMS.ru); empty: no SMS. sms_url overrides the provider's address.
    sms: str = ""
    sms_url: str = ""
    # The file store: with an S3 bucket set, files live in that S3-compatible store (MinIO,
    # Ceph, a cloud; the endpoint URL empty for AWS itself), shared by every server process;
    # otherwise in `<data dir>/files`. The prefix is put before every key in the bucket.
    s3_bucket: str = ""
    s3_endpoint_url: str = ""
    s3_access_key: str = ""
    s3_secret_key: str = field(default="", repr=False)
    s3_region: str = ""
    s3_prefix: str = ""
    # Backups: the folder `servio backup` writes to, the center's time of the daily one
    # (hour, minute; None: no scheduled backup) and how many daily and weekly ones stay.
    backup_dir: Path = Path("var/backups")
    backup_at: tuple[int, int] | None = (3, 0)
    backup_keep_daily: int = 7
    backup_keep_weekly: int = 4
    # CDEK (the carrier's API v2): with a client id and secret, shipments with a CDEK number
    # are fetched and refreshed from it; without them nothing calls out. The URL is the
    # production API unless set (https://api.edu.cdek.ru is CDEK's test one).
    cdek_client_id: str = ""
    cdek_client_secret: str = field(default="", repr=False)
    cdek_url: str = "https://api.cdek.ru"
    cdek_timeout: float = 15.0  # seconds CDEK has to answer one request
    # Fiscal receipts (54-FZ): "atol" sends every payment and refund taken at a desk to the
    # online cash register through ATOL's web server (its JSON task protocol, /api/v2/requests)
    # at fiscal_url; empty (the default): no register, and nothing pretends to be fiscal.
    fiscal: str = ""
    fiscal_url: str = "http://127.0.0.1:16732"
    fiscal_timeout: float = 10.0  # seconds the register's web server has to answer one request
    fiscal_taxation: str = "osn"  # the center's taxation system as ATOL names it (usnIncome...)
    fiscal_vat: str = "none"  # the VAT of the center's work and parts (none, vat20, vat10...)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def pgdata(self) -> Path:
        """Folder of the embedded PostgreSQL cluster."""
        return self.data_dir / "pgdata"


def _secret_key(data_dir: Path) -> str:
    """SERVIO_SECRET_KEY, or a key generated once and kept in the data folder."""
    from_env = os.environ.get("SERVIO_SECRET_KEY", "").strip()
    if from_env:
        return from_env
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load_settings() -> Settings:
    """Build settings from the environment (no caching: tests call it after changing env)."""
    data_dir = Path(os.environ.get("SERVIO_DATA_DIR", PROJECT_ROOT / "var")).resolve()
    return Settings(
        data_dir=data_dir,
        database_url=os.environ.get("DATABASE_URL") or None,
        secret_key=_secret_key(data_dir),
        default_language=os.environ.get("SERVIO_LANGUAGE", "ru"),
        timezone=os.environ.get("SERVIO_TIMEZONE", "Europe/Moscow"),
        session_idle_minutes=_env_int("SERVIO_SESSION_IDLE_MINUTES", 8 * 60),
        session_absolute_minutes=_env_int("SERVIO_SESSION_ABSOLUTE_MINUTES", 7 * 24 * 60),
        login_window_minutes=_env_int("SERVIO_LOGIN_WINDOW_MINUTES", 15),
        login_max_failures_per_account=_env_int("SERVIO_LOGIN_MAX_FAILURES_PER_ACCOUNT", 5),
        login_max_failures_per_ip=_env_int("SERVIO_LOGIN_MAX_FAILURES_PER_IP", 30),
        argon2_time_cost=_env_int("SERVIO_ARGON2_TIME_COST", 3),
        argon2_memory_kib=_env_int("SERVIO_ARGON2_MEMORY_KIB", 64 * 1024),
        argon2_parallelism=_env_int("SERVIO_ARGON2_PARALLELISM", 4),
        debug=_env_bool("SERVIO_DEBUG", False),
        release=os.environ.get("SERVIO_RELEASE", "").strip(),
        geocoder=os.environ.get("SERVIO_GEOCODER", "").strip(),
        geocoder_rate=_env_float("SERVIO_GEOCODER_RATE", 0.0),
        geocoder_user_agent=os.environ.get("SERVIO_GEOCODER_USER_AGENT", "").strip(),
        map_tiles=os.environ.get("SERVIO_MAP_TILES", "").strip(),
        public_url=os.environ.get("SERVIO_PUBLIC_URL", "").strip().rstrip("/")
        or "http://127.0.0.1:8000",
        smtp_host=os.environ.get("SERVIO_SMTP_HOST", "").strip(),
        smtp_port=_env_int("SERVIO_SMTP_PORT", 0),
        smtp_user=os.environ.get("SERVIO_SMTP_USER", "").strip(),
        smtp_password=os.environ.get("SERVIO_SMTP_PASSWORD", ""),
        smtp_tls=os.environ.get("SERVIO_SMTP_TLS", "").strip().lower() or "starttls",
        mail_from=os.environ.get("SERVIO_MAIL_FROM", "").strip(),
        push_services=_env_list("SERVIO_PUSH_SERVICES", DEFAULT_PUSH_SERVICES),
        push_contact=os.environ.get("SERVIO_PUSH_CONTACT", "").strip(),
        sms=os.environ.get("SERVIO_SMS", "").strip(),
        sms_url=os.environ.get("SERVIO_SMS_URL", "").strip().rstrip("/"),
        s3_bucket=os.environ.get("SERVIO_S3_BUCKET", "").strip(),
        s3_endpoint_url=os.environ.get("SERVIO_S3_ENDPOINT_URL", "").strip(),
        s3_access_key=os.environ.get("SERVIO_S3_ACCESS_KEY", "").strip(),
        s3_secret_key=os.environ.get("SERVIO_S3_SECRET_KEY", "").strip(),
        s3_region=os.environ.get("SERVIO_S3_REGION", "").strip(),
        s3_prefix=os.environ.get("SERVIO_S3_PREFIX", "").strip().strip("/"),
        backup_dir=Path(os.environ.get("SERVIO_BACKUP_DIR", "").strip() or data_dir / "backups")
        .expanduser()
        .resolve(),
        backup_at=_env_clock("SERVIO_BACKUP_AT", (3, 0)),
        backup_keep_daily=max(0, _env_int("SERVIO_BACKUP_KEEP_DAILY", 7)),
        backup_keep_weekly=max(0, _env_int("SERVIO_BACKUP_KEEP_WEEKLY", 4)),
        cdek_client_id=os.environ.get("SERVIO_CDEK_CLIENT_ID", "").strip(),
        cdek_client_secret=os.environ.get("SERVIO_CDEK_CLIENT_SECRET", "").strip(),
        cdek_url=os.environ.get("SERVIO_CDEK_URL", "").strip().rstrip("/") or "https://api.cdek.ru",
        cdek_timeout=_env_float("SERVIO_CDEK_TIMEOUT", 15.0),
        fiscal=os.environ.get("SERVIO_FISCAL", "").strip().lower(),
        fiscal_url=os.environ.get("SERVIO_FISCAL_URL", "").strip().rstrip("/")
        or "http://127.0.0.1:16732",
        fiscal_timeout=_env_float("SERVIO_FISCAL_TIMEOUT", 10.0),
        fiscal_taxation=os.environ.get("SERVIO_FISCAL_TAXATION", "").strip() or "osn",
        fiscal_vat=os.environ.get("SERVIO_FISCAL_VAT", "").strip() or "none",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read on first use."""
    return load_settings()
