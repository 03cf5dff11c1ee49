"""SQLAlchemy 1.4 tables for the service directory, shaped after Open Referral UK (HSDS).

Open Referral's organisation / service / service_area / eligibility / contact /
regular_schedule / language / taxonomy tables map to the classes below. The same code
runs against SQLite (the default) and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import declarative_base, relationship

from signposting.hours import Period

Base = declarative_base()

SELF_REFERRAL, PROFESSIONAL, BOTH, ACCESS_UNKNOWN = "self", "professional", "both", "unknown"
ACCESS = (SELF_REFERRAL, PROFESSIONAL, BOTH, ACCESS_UNKNOWN)
CONTACT_TYPES = ("phone", "text", "web_chat", "website", "address", "email")
NATIONAL = "national"


class Organisation(Base):
    """Who runs a service (HSDS organization)."""

    __tablename__ = "directory_organisations"

    id = Column(String(80), primary_key=True)
    name = Column(String(200), nullable=False)
    url = Column(String(300))


class Service(Base):
    """One service someone can be signposted to (HSDS service + eligibility)."""

    __tablename__ = "directory_services"

    id = Column(String(80), primary_key=True)
    organisation_id = Column(String(80), ForeignKey("directory_organisations.id"))
    name = Column(String(200), nullable=False)
    description = Column(Text, nullable=False)
    min_age = Column(Integer)  # None: no lower limit stated
    max_age = Column(Integer)  # None: no upper limit stated
    access = Column(String(20), nullable=False)  # one of ACCESS
    access_note = Column(Text)
    hours_status = Column(String(20), nullable=False)  # always / unknown / scheduled
    hours_note = Column(Text)
    source_url = Column(String(500), nullable=False)
    source_note = Column(Text)
    verified = Column(Date, nullable=False)
    # Where it is offered: "national", or a region ("london"), or local area ids.
    scope = Column(String(20), nullable=False)  # national / regional / local
    position = Column(Integer, nullable=False, default=0)  # order in the data file

    organisation = relationship("Organisation", lazy="joined")
    areas = relationship("ServiceArea", cascade="all, delete-orphan", lazy="selectin")
    topics = relationship("ServiceTopic", cascade="all, delete-orphan", lazy="selectin")
    contacts = relationship(
        "Contact",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="Contact.position",
    )
    schedule = relationship("OpeningPeriod", cascade="all, delete-orphan", lazy="selectin")
    languages = relationship("ServiceLanguage", cascade="all, delete-orphan", lazy="selectin")

    def periods(self) -> list[Period]:
        """The weekly schedule as ``hours.Period`` values."""
        return [Period(p.weekday, p.opens, p.closes) for p in self.schedule]

    @property
    def area_ids(self) -> list[str]:
        return sorted(area.area_id for area in self.areas)

    @property
    def topic_names(self) -> list[str]:
        return sorted(topic.topic for topic in self.topics)


class ServiceArea(Base):
    """An area a service covers (HSDS service_area): "national", a region or an area id."""

    __tablename__ = "directory_service_areas"

    service_id = Column(String(80), ForeignKey("directory_services.id"), primary_key=True)
    area_id = Column(String(80), primary_key=True)


class ServiceTopic(Base):
    """A need the service meets (HSDS taxonomy term), one of ``topics.TOPICS``."""

    __tablename__ = "directory_service_topics"

    service_id = Column(String(80), ForeignKey("directory_services.id"), primary_key=True)
    topic = Column(String(40), primary_key=True)


class Contact(Base):
    """A way to reach the service (HSDS phone/contact/url/physical_address)."""

    __tablename__ = "directory_contacts"

    id = Column(Integer, primary_key=True, autoincrement=True)
    service_id = Column(String(80), ForeignKey("directory_services.id"), nullable=False)
    position = Column(Integer, nullable=False)
    type = Column(String(20), nullable=False)  # one of CONTACT_TYPES
    value = Column(String(300), nullable=False)
    keyword = Column(String(40))  # a text short code's keyword ("SHOUT")
    note = Column(Text)


class OpeningPeriod(Base):
    """One weekly opening (HSDS regular_schedule), Europe/London wall-clock minutes."""

    __tablename__ = "directory_opening_periods"

    id = Column(Integer, primary_key=True, autoincrement=True)
    service_id = Column(String(80), ForeignKey("directory_services.id"), nullable=False)
    weekday = Column(Integer, nullable=False)  # 0 = Monday
    opens = Column(Integer, nullable=False)
    closes = Column(Integer, nullable=False)  # > 1440 when it runs past midnight


class ServiceLanguage(Base):
    """A language the service is offered in (HSDS language), as written in the source."""

    __tablename__ = "directory_service_languages"

    service_id = Column(String(80), ForeignKey("directory_services.id"), primary_key=True)
    language = Column(String(60), primary_key=True)


class DirectoryMeta(Base):
    """Key/value facts about the loaded data (its hash, when it was imported)."""

    __tablename__ = "directory_meta"

    key = Column(String(40), primary_key=True)
    value = Column(Text, nullable=False)


Index("ix_directory_service_areas_area", ServiceArea.area_id)
Index("ix_directory_service_topics_topic", ServiceTopic.topic)
