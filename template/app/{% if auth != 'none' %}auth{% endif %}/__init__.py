"""Who calls a route: the caller's credentials, verified, and the scopes they grant."""
