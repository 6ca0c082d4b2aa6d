"""Replies under Telegram's overall limit on several processes: two webhook processes behind
a load balancer, on one PostgreSQL and one Redis, share one budget; a burst of people larger
than the limit, posted concurrently as Telegram does, is answered in full."""

from tests.fake_bot_api import FakeTelegramServer
from tests.test_reply_pace import LIMIT, PACE, all_welcomed_once, start_at_once
from tests.test_scale_out import Cluster, cluster

__all__ = ["cluster"]


async def test_a_burst_on_two_processes_is_answered_in_full(
    cluster: Cluster, telegram: FakeTelegramServer
) -> None:
    # Each process alone would keep to PACE; together they must too, through Redis.
    await cluster.start(2, TELEGRAM_RATE_PER_SECOND=str(PACE))
    telegram.set_rate_limit(LIMIT, retry_after=2)
    telegram.webhook_connections = 40  # Telegram's default max_connections

    people = start_at_once(telegram, range(7300, 7300 + 4 * LIMIT))

    await all_welcomed_once(telegram, people)
    assert set(cluster.balancer.handled_by.values()) == {"kenesh-1", "kenesh-2"}
