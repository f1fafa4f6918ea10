"""Data access: SQLAlchemy Core statements run by the executor; repositories never commit."""
