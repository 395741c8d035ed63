"""Read models of the risk registers: what the register, the heat map, the corporate register,
home pages and packs show, each in a fixed number of queries.

For other apps' pages (home pages, packs, the exception report):
- overdue_reviews_for(user, today): the live risks the user owns whose review is overdue;
- risks_above_appetite(portfolio=None, directorate=None): the scope's live risks above the
  council's appetite for their category, highest first;
- risk_exceptions(portfolio=None, directorate=None): those above appetite or whose residual
  score rose at their latest change (each row's .above_appetite and .rising say which).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q

from reviews.models import Action

from .models import Risk, RiskMatrix

ROW_RELATED = ("category", "owner", "directorate")


def rows(queryset=None):
    """Risks with what a register's row shows, highest residual score first (one query)."""
    queryset = Risk.objects.all() if queryset is None else queryset
    return list(queryset.select_related(*ROW_RELATED).order_by("-residual_score", "title", "pk"))


def in_scope(queryset, *, portfolio=None, directorate=None, service=None):
    """A directorate's risks; a portfolio's (its services' directorates' risks, and any risk
    about one of its indicators); a service's (its directorate's, and any about one of its
    indicators); with none, the council's."""
    if service is not None:
        return queryset.filter(Q(directorate__services=service) | Q(indicators__service=service)).distinct()
    if directorate is not None:
        return queryset.filter(directorate=directorate)
    if portfolio is not None:
        return queryset.filter(
            Q(directorate__services__portfolios=portfolio) | Q(indicators__portfolio=portfolio)
        ).distinct()
    return queryset


def filtered(*, directorate=None, category=None, register: str = "", include_closed: bool = False):
    """The risks a register page or heat map shows: register is "corporate" (the corporate
    register), "directorate" (the directorates' registers) or "" (every register)."""
    queryset = Risk.objects.all() if include_closed else Risk.objects.live()
    if register == "corporate":
        queryset = queryset.corporate()
    elif register == "directorate":
        queryset = queryset.filter(directorate__isnull=False)
    if directorate is not None:
        queryset = queryset.filter(directorate=directorate)
    if category is not None:
        queryset = queryset.filter(category=category)
    return queryset


def overdue_reviews_for(user, today: datetime.date) -> list[Risk]:
    """The live risks the user owns whose quarterly review is overdue, oldest due first."""
    return list(
        Risk.objects.review_overdue(today).filter(owner=user).select_related(*ROW_RELATED).order_by("review_due", "pk")
    )


def risks_above_appetite(*, portfolio=None, directorate=None) -> list[Risk]:
    return rows(in_scope(Risk.objects.above_appetite(), portfolio=portfolio, directorate=directorate))


def risk_exceptions(*, portfolio=None, directorate=None, service=None) -> list[Risk]:
    exceptions = Risk.objects.above_appetite() | Risk.objects.rising()
    return rows(in_scope(exceptions, portfolio=portfolio, directorate=directorate, service=service))


# A cell's shade on the heat map by its score's share of the matrix's highest: decoration
# only, since every cell says its score and count in words.
BANDS = ((0.2, "low"), (0.4, "medium"), (0.6, "high"), (1.0, "very-high"))


@dataclass
class Cell:
    likelihood: int
    impact: int
    count: int
    highest: int

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> str:
        return next(name for share, name in BANDS if self.score <= share * self.highest)


LABEL_WIDTH, LABEL_HEIGHT, CELL_WIDTH, CELL_HEIGHT = 150, 60, 96, 60


@dataclass
class HeatMap:
    matrix: RiskMatrix
    cells: list[list[Cell]]  # rows from the highest likelihood down, each from the lowest impact
    total: int

    @property
    def impacts(self) -> list[tuple[int, str]]:
        return list(enumerate(self.matrix.impacts, start=1))

    @property
    def svg_width(self) -> int:
        return LABEL_WIDTH + CELL_WIDTH * len(self.matrix.impacts)

    @property
    def svg_height(self) -> int:
        return CELL_HEIGHT * len(self.matrix.likelihoods) + LABEL_HEIGHT

    def layout(self) -> list[dict]:
        """Each cell with where it is drawn, for the SVG template."""
        return [
            {"cell": cell, "x": LABEL_WIDTH + CELL_WIDTH * col, "y": CELL_HEIGHT * row}
            for row, line in enumerate(self.cells)
            for col, cell in enumerate(line)
        ]

    def row_labels(self) -> list[dict]:
        words = self.matrix.likelihoods
        return [
            {"word": words[n - 1], "value": n, "y": CELL_HEIGHT * row + CELL_HEIGHT // 2, "cells": self.cells[row]}
            for row, n in enumerate(range(len(words), 0, -1))
        ]

    def column_labels(self) -> list[dict]:
        base = CELL_HEIGHT * len(self.matrix.likelihoods)
        return [
            {"word": word, "value": n, "x": LABEL_WIDTH + CELL_WIDTH * (n - 1) + CELL_WIDTH // 2, "y": base + 20}
            for n, word in self.impacts
        ]


def heat_map(risks: list[Risk], matrix: RiskMatrix) -> HeatMap:
    """How many of the risks sit in each cell of the matrix by their residual scores."""
    counts: dict[tuple[int, int], int] = {}
    for risk in risks:
        key = (risk.residual_likelihood, risk.residual_impact)
        counts[key] = counts.get(key, 0) + 1
    likelihoods, impacts = len(matrix.likelihoods), len(matrix.impacts)
    cells = [
        [
            Cell(likelihood, impact, counts.get((likelihood, impact), 0), matrix.highest)
            for impact in range(1, impacts + 1)
        ]
        for likelihood in range(likelihoods, 0, -1)
    ]
    return HeatMap(matrix=matrix, cells=cells, total=len(risks))


HISTORY_FIELDS = (
    "title",
    "cause",
    "event",
    "consequence",
    "owner",
    "category",
    "directorate",
    "inherent_likelihood",
    "inherent_impact",
    "residual_likelihood",
    "residual_impact",
    "controls",
    "target_score",
    "review_due",
    "status",
)


@dataclass
class Change:
    when: datetime.datetime
    who: object
    fields: list[str]


def risk_history(risk: Risk) -> list[Change]:
    """Every saved change to the risk, newest first: who, when and which fields (one query).
    Changes to what it relates to are in the history too, as versions whose fields are unchanged."""
    records = list(risk.history.select_related("history_user").order_by("history_date", "history_id"))
    changes, before = [], None
    for record in records:
        if before is None:
            fields = ["Added to the register"]
        else:
            fields = [
                Risk._meta.get_field(name).verbose_name.capitalize()
                for name in HISTORY_FIELDS
                if getattr(record, f"{name}_id" if name in ("owner", "category", "directorate") else name)
                != getattr(before, f"{name}_id" if name in ("owner", "category", "directorate") else name)
            ] or ["No field changed (what it relates to may have)"]
        changes.append(Change(when=record.history_date, who=record.history_user, fields=fields))
        before = record
    return changes[::-1]


def corporate_register() -> list[Risk]:
    """The corporate register with each risk's actions, for its page and download (two queries)."""
    return with_actions(Risk.objects.corporate())


def with_actions(queryset) -> list[Risk]:
    """Risks with what a register's row and download show and each one's actions, highest
    residual score first (two queries)."""
    return list(
        queryset.select_related(*ROW_RELATED)
        .prefetch_related(Prefetch("actions", queryset=Action.objects.select_related("owner").order_by("due", "pk")))
        .order_by("-residual_score", "title", "pk")
    )
