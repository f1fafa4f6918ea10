"""Prometheus metrics at /metrics: requests by method, route template and status class, requests in flight, the pool.

Label values are bounded whatever the callers send: the route template, never the path
(`unmatched` when no route matched), a known method or `other`, and the status class (`2xx`).
The probes and /metrics itself are not counted. The metrics live in a registry of the app's own.
"""

from collections.abc import Callable, Iterator

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.middleware import ObservingMiddleware, route_of
from app.db.executor import Database

PATH = "/metrics"
NOT_COUNTED = ("/health/", PATH)
METHODS = frozenset({"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"})
UNMATCHED = "unmatched"
# Seconds: from a cached GET (a millisecond or two) to the statement timeout's neighbourhood.
BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class PoolCollector(Collector):
    """The database pool's gauges, read at each scrape."""

    def __init__(self, database: Callable[[], Database | None]) -> None:
        self._database = database

    def collect(self) -> Iterator[Metric]:
        """Open, busy and waiting connections, and the most the pool opens."""
        database = self._database()
        if database is None:  # before startup opened the pool
            return
        usage = database.pool_usage()
        for name, text, value in (
            ("db_pool_connections", "Connections the pool holds open.", usage.open),
            ("db_pool_connections_in_use", "Connections serving a unit of work.", usage.in_use),
            ("db_pool_waiting", "Units of work waiting for a free connection.", usage.waiting),
            ("db_pool_max_connections", "Connections the pool opens at most (DB_POOL_MAX_SIZE).", usage.max_size),
        ):
            yield GaugeMetricFamily(name, text, value=value)


class Metrics:
    """The service's metrics and the registry that serves them."""

    def __init__(self, database: Callable[[], Database | None]) -> None:
        self.registry = CollectorRegistry()
        labels = ("method", "route", "status")
        self.requests = Counter("http_requests", "HTTP requests answered.", labels, registry=self.registry)
        self.duration = Histogram(
            "http_request_duration_seconds",
            "Time from a request's arrival to the end of its answer.",
            labels,
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.in_flight = Gauge("http_requests_in_flight", "HTTP requests being served.", registry=self.registry)
        self.registry.register(PoolCollector(database))
        # The counter and histogram of each label set, looked up once: `labels()` costs more than the counting.
        # The labels are bounded, and so is this.
        self._series: dict[tuple[str, str, str], tuple[Counter, Histogram]] = {}

    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        """Count one answered request and its duration."""
        method = scope["method"] if scope["method"] in METHODS else "other"
        labels = (method, route_of(scope) or UNMATCHED, f"{status // 100}xx")
        series = self._series.get(labels)
        if series is None:
            series = self._series[labels] = (self.requests.labels(*labels), self.duration.labels(*labels))
        requests, duration = series
        requests.inc()
        duration.observe(seconds)


class RequestMetrics(ObservingMiddleware):
    """Count and time each request but the probes' and the scrapes'."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        super().__init__(app)
        self.metrics = metrics

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request, counted among those in flight."""
        if scope["path"].startswith(NOT_COUNTED):
            await self.app(scope, receive, send)
            return
        self.metrics.in_flight.inc()
        try:
            await super().http(scope, receive, send)
        finally:
            self.metrics.in_flight.dec()

    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        """Record the answered request."""
        self.metrics.observe(scope, status, seconds)


async def metrics_page(request: Request) -> Response:
    """The metrics in the Prometheus text format."""
    metrics: Metrics = request.app.state.metrics
    return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)
