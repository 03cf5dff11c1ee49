"""SQLAlchemy 1.4 tables for venues and their daily chat totals (Waypoint's own DB)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Date, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Venue(Base):
    """A place with Waypoint posters (a youth centre, a school, a club)."""

    __tablename__ = "venues"

    code = Column(String(16), primary_key=True)  # random, see bot.venues.codes
    name = Column(String(120), nullable=False)  # what the youth worker called it
    area = Column(String(80), nullable=False)  # signposting Area.id, e.g. "hillingdon"
    created = Column(Date, nullable=False, default=date.today)


class VenueDailyCount(Base):
    """How many conversations started from a venue on one day (a total, nothing else)."""

    __tablename__ = "venue_daily_counts"

    code = Column(String(16), ForeignKey("venues.code"), primary_key=True)
    day = Column(Date, primary_key=True)  # Europe/London date
    conversations = Column(Integer, nullable=False, default=0)
