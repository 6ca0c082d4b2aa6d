from tests.db_fixtures import database_url
from tests.e2e import running_bot, telegram

__all__ = ["database_url", "running_bot", "telegram"]
