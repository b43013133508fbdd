"""The process-wide provider clients: shared per event loop, and closed with the worker."""

from __future__ import annotations

from socializioz.integrations.factory import get_provider, shared_providers_lifespan


async def test_one_client_per_loop_closed_when_the_worker_stops() -> None:
    async with shared_providers_lifespan():
        first, again = get_provider("x"), get_provider("x")
        assert first is again and first.shared
        await first.aclose()  # a caller's close leaves the shared pool open
        assert not first._oauth.is_closed
    assert first._oauth.is_closed
    assert get_provider("x") is not first  # the next worker's loop gets a fresh client
