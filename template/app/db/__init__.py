"""Schema metadata, column types and the executor that runs statements."""
