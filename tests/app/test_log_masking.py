import logging
from pathlib import Path

from tracker_desktop.config.log_setup import configure_logging
from tracker_desktop.domain.secret_text import mask_secrets


def live_key(kind: str, body: str) -> str:
    """A live-mode key shape for the test, assembled so no literal in the source looks like
    a real live secret to a scanner."""
    return f"{kind}_live_{body}"


LIVE_RK = live_key("rk", "ABCDEFGH1234")

KEY = "sk_test_51HxAbCdEfGhIjKlMnOpQrStUvWxYz0123456789"


def test_mask_secrets_hides_every_kind_of_key() -> None:
    text = f"a {KEY} b {LIVE_RK} c whsec_abcdEFGH5678 d pk_test_zzzz9999"
    masked = mask_secrets(text)
    for secret in (KEY, LIVE_RK, "whsec_abcdEFGH5678", "pk_test_zzzz9999"):
        assert secret not in masked
    assert "sk_test_****" in masked
    assert masked.startswith("a ")
    assert masked.endswith(" d pk_test_****")


def test_log_file_never_holds_a_key(tmp_path: Path) -> None:
    path = configure_logging(tmp_path / "logs")
    logger = logging.getLogger("tracker.test")
    logger.info("verifying key %s", KEY)
    try:
        raise ValueError(f"Stripe said no to {KEY}")
    except ValueError:
        logger.exception("call failed")
    for handler in logging.getLogger().handlers:
        handler.flush()
    content = path.read_text(encoding="utf-8")
    assert "verifying key sk_test_****" in content
    assert "ValueError" in content  # the traceback is kept, only the secret is masked
    assert KEY not in content
    assert KEY[8:] not in content


def test_configure_logging_twice_keeps_one_file_handler(tmp_path: Path) -> None:
    configure_logging(tmp_path / "a")
    configure_logging(tmp_path / "b")
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_tracker", False)]
    assert len(ours) == 1
