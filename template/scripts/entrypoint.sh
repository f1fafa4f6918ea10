#!/usr/bin/env bash
# Container entrypoint: wait for the database, apply migrations when RUN_MIGRATIONS is true, then
# replace this shell with the command (uvicorn by default) so it receives the signals as PID 1.
set -euo pipefail

python -m app.db.wait

run_migrations="${RUN_MIGRATIONS:-false}"
case "${run_migrations,,}" in
  true | 1 | yes)
    echo "entrypoint: applying migrations (alembic upgrade head)" >&2
    alembic upgrade head
    ;;
  false | 0 | no | "") ;;
  *)
    echo "entrypoint: RUN_MIGRATIONS must be true or false (got '${run_migrations}')" >&2
    exit 2
    ;;
esac

exec "$@"
