"""Who calls a route: bearer tokens verified against the issuer's keys, and the scopes they grant."""
