"""The declarative base every model inherits: naming convention, id and timestamps."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.db.types import UTCDateTime, identity_key

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of all models; its metadata is the schema Alembic compares against."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class EntityMixin:
    """Integer identity key plus creation and update timestamps, set by the repositories."""

    id: Mapped[int] = mapped_column(identity_key(), sa.Identity(), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
