"""Sections that apps above reviews add to packs and exception reports.

Packs and exception reports are built here in reviews/, below risks/, so they cannot read
risks themselves. Instead an app above registers a Section when it starts
(risks/apps.py): the pack builder calls each section's rows for the meeting's scope and
freezes them, as plain data, with the rest of a published pack; the exception report's page
and downloads call them for the report's scope. Each section says who may read it, and its
template shows its rows on the page (and so in the PDF, which is the page printed).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    """What a pack or report covers: kind is "council", "portfolio", "directorate" or
    "service" (pk of that portfolio, directorate or service)."""

    kind: str
    pk: int | None
    today: datetime.date


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    # For spreadsheets: (heading, key in each row, relative width).
    columns: tuple[tuple[str, str, int], ...]
    rows: Callable[[Scope], list[dict]]
    may_read: Callable[[object], bool]
    template: str


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    _SECTIONS[section.key] = section


def registered() -> list[Section]:
    return list(_SECTIONS.values())


def build(scope: Scope, *, user=None) -> dict[str, list[dict]]:
    """Each registered section's rows for the scope (only those the user may read, if given)."""
    return {s.key: s.rows(scope) for s in registered() if user is None or s.may_read(user)}


@dataclass(frozen=True)
class Shown:
    section: Section
    rows: list[dict]


def readable(data: dict[str, list[dict]] | None, user) -> list[Shown]:
    """The sections of built (or frozen) data that the user may read, in registration order;
    a section frozen in a pack but no longer registered is left out."""
    data = data or {}
    return [Shown(s, data[s.key]) for s in registered() if s.key in data and s.may_read(user)]
