"""Request payloads derived from each resource's field spec."""
