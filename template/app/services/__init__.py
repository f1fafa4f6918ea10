"""Business rules; services raise domain errors and never touch HTTP."""
