"""The app's services built for a test as the composition root builds them (app/service_graph),
on a test's database file, keychain and simulator."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.app.service_graph import build_services
from tracker_desktop.config.paths import AppPaths
from tracker_desktop.config.secrets import KeyStore
from tracker_desktop.config.settings import AppSettings
from tracker_desktop.services.app_services import ActiveProfile, AppServices, Foundation
from tracker_desktop.services.events import EventHub
from tracker_desktop.services.profiles.profile_service import ProfileService
from tracker_desktop.services.profiles.stripe_access import GatewayProvider


def make_foundation(
    paths: AppPaths,
    sessions: sessionmaker[Session],
    *,
    profile_id: int | None = None,
    settings: AppSettings | None = None,
    hub: EventHub | None = None,
    keystore: KeyStore | None = None,
    locale: str = "en_US",
) -> Foundation:
    return Foundation(
        paths=paths,
        settings=settings or AppSettings(active_profile_id=profile_id, locale=locale),
        hub=hub or EventHub(),
        session_factory=sessions,
        keystore=keystore or KeyStore(),
        active=ActiveProfile(profile_id),
        locale=lambda: locale,
    )


def make_services(base: Foundation, api_base: str | None) -> AppServices:
    """Every service of a run (the poller's supervisor made, not started); the gateways are
    for the caller to close."""
    gateways = GatewayProvider(base.session_factory, base.keystore, api_base=api_base)
    return build_services(base, gateways, ProfileService(base, gateways))
