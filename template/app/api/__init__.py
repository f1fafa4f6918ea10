"""HTTP layer: routes talk only to services."""
