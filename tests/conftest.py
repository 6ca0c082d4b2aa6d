from tests.db_fixtures import database_url
from tests.e2e import running_bot, telegram
from tests.redis_fixtures import redis_url

__all__ = ["database_url", "redis_url", "running_bot", "telegram"]
