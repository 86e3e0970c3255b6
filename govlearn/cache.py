"""The Redis cache backend: django-redis, made to behave exactly like "no cache" while Redis is down."""

from django_redis.cache import RedisCache, omit_exception


class DegradingRedisCache(RedisCache):
    """django-redis with IGNORE_EXCEPTIONS answers None from add() during an outage; Django's DummyCache
    ("no cache") answers True. Callers that take a lock with add() - allauth's rate limits among them -
    would otherwise treat every request as locked out and answer 429 until Redis is back."""

    @omit_exception(return_value=True)
    def add(self, *args, **kwargs) -> bool:
        return self.client.add(*args, **kwargs)
