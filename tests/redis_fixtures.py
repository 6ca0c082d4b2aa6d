"""A real Redis for the tests that share state between processes: TEST_REDIS_URL (set by
`make test` for the PostgreSQL pass, whose bots then keep conversations in Redis), emptied
before each test."""

import os
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")


async def empty_redis(url: str) -> None:
    redis = Redis.from_url(url)
    try:
        await redis.flushdb()
    finally:
        await redis.aclose()


@pytest.fixture
async def redis_url() -> AsyncIterator[str]:
    if not TEST_REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set: `make test` starts a Redis server for this")
    await empty_redis(TEST_REDIS_URL)
    yield TEST_REDIS_URL
