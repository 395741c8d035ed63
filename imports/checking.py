"""What every importer shares: problems by row and column, matching codes and periods.

Codes are matched ignoring case and spacing, directly or through an alias the performance
team recorded; never by guessing at zero-padding or other characters.
"""

import difflib
from dataclasses import dataclass, field

from indicators import periods
from indicators.models import Indicator, Period

from .models import CodeAlias
from .reading import MAX_CELL_CHARS, Row, Table

# How published statistics write "no figure": never read as a number.
MISSING_MARKERS = {"dna", "na", "n/a", "#n/a", "*", "-", "..", "x", "c", "z", "null", "none"}


@dataclass
class Check:
    """The outcome of checking a file: problems (nothing is applied if there is one) and
    the changes applying would make."""

    errors: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0
    # "indicator_id:period_id[:...]" -> what each change was checked against (a version).
    versions: dict[str, object] = field(default_factory=dict)
    # What applying writes, for the importer's apply(); not stored.
    pending: list = field(default_factory=list)
    # The row each thing a file may hold once was first met on.
    rows_seen: dict = field(default_factory=dict)
    # What the preview says besides the changes (the framework: targets the file leaves as they are).
    notes: list[str] = field(default_factory=list)

    def error(self, row: Row | int, table: Table, key: str, message: str) -> None:
        number = row if isinstance(row, int) else row.number
        self.errors.append(
            {
                "row": number,
                "column": table.columns.get(key, ""),
                "heading": key,
                "message": message,
            }
        )

    def once(self, key, row: Row, table: Table, column: str, what: str) -> bool:
        """Whether this is the first row with key; if not, a problem: what is also on an earlier row."""
        if key in self.rows_seen:
            self.error(row, table, column, f"{what} is also on row {self.rows_seen[key]}.")
            return False
        self.rows_seen[key] = row.number
        return True

    def as_result(self) -> dict:
        creates = sum(1 for change in self.changes if change["action"] == "create")
        removes = sum(1 for change in self.changes if change["action"] == "delete")
        return {
            "errors": self.errors,
            "changes": self.changes,
            "versions": self.versions,
            "notes": self.notes,
            "summary": {
                "errors": len(self.errors),
                "creates": creates,
                "updates": len(self.changes) - creates - removes,
                # The framework: targets the file does not give, removed as asked.
                "removes": removes,
                "unchanged": self.unchanged,
                "skipped": self.skipped,
                # Returns only: figures to confirm, drafts needing commentary, returns withdrawn or validated changed.
                "queries": sum(1 for change in self.changes if change.get("queries")),
                "needs_commentary": sum(1 for change in self.changes if change.get("needs_commentary")),
                "withdraws": sum(1 for change in self.changes if change.get("withdraws")),
                "validated": sum(1 for change in self.changes if change.get("validated")),
            },
        }


def describe(error: dict) -> str:
    """ "Row 5, column C (value): ..." as the command and the error list print it."""
    where = f"Row {error['row']}"
    if error["column"]:
        where += f", column {error['column']} ({error['heading']})"
    elif error["heading"]:
        where += f" ({error['heading']})"
    return f"{where}: {error['message']}"


def code_key(text: str) -> str:
    """A code as matched: case and spacing ignored (no-break and zero-width spaces too), so
    "env 1a" and "ENV1A" are ENV1a; "ENV01a" is not (zero-padding is never guessed)."""
    return "".join(text.replace("\u200b", "").split()).casefold()


class Codes:
    """Indicators by the codes a file uses, in three queries whatever the number of rows.

    A code matches an indicator's code or a recorded alias, ignoring case and spacing."""

    def __init__(self, codes: set[str]):
        by_key: dict[str, set[int]] = {}
        self.code_of = dict(Indicator.objects.values_list("pk", "code"))
        for pk, code in self.code_of.items():
            by_key.setdefault(code_key(code), set()).add(pk)
        for pk, alias in CodeAlias.objects.values_list("indicator_id", "alias"):
            by_key.setdefault(code_key(alias), set()).add(pk)
        self.by_key = by_key
        wanted = {}
        for code in codes:
            found = by_key.get(code_key(code), set())
            if len(found) == 1:
                wanted[code] = next(iter(found))
        indicators = (
            Indicator.objects.select_related("service", "collected_from", "retired_after").in_bulk(set(wanted.values()))
            if wanted
            else {}
        )
        self.by_code = {code: indicators[pk] for code, pk in wanted.items()}

    def get(self, code: str) -> Indicator | None:
        return self.by_code.get(code)

    def unknown(self, code: str) -> str:
        """Why no indicator matched code, with the nearest codes PMIS has."""
        found = self.by_key.get(code_key(code), set())
        if len(found) > 1:
            return f"“{code}” could be {_either(sorted(self.code_of[pk] for pk in found))}: write the code exactly."
        near = []
        for key in difflib.get_close_matches(code_key(code), self.by_key, n=6, cutoff=0.6):
            near += [self.code_of[pk] for pk in sorted(self.by_key[key]) if self.code_of[pk] not in near]
        guess = f" Did you mean {_either(near[:3])}?" if near else ""
        return (
            f"No indicator has the code “{code}”, and it is not an alias the performance team has recorded.{guess} "
            "Check the code, or record it as an alias (the aliases column of the framework file)."
        )


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


class Periods:
    """Periods by the labels a file uses, written as councils write them (periods.read_period:
    "2025/26 Q1", "Q1 2025/26", "Jul-Sep 2025", "Sep-25", a date...), in one query."""

    def __init__(self, labels: set[str]):
        self.parsed, self.problems = {}, {}
        for text in labels:
            try:
                self.parsed[text] = periods.read_period(text)
            except ValueError as error:
                self.problems[text] = str(error)
        years = {year for _, year, _ in self.parsed.values()}
        self.found = {(p.frequency, p.year, p.number): p for p in Period.objects.filter(year__in=years)}
        self.by_label = {text: self.found.get(key) for text, key in self.parsed.items()}
        self.spans = {}  # (year, number) -> a span of years PMIS does not have yet, unsaved

    def get(self, text: str) -> tuple[Period | None, str]:
        """The period, or None and why not."""
        if not text:
            return None, "Enter the period, such as 2025/26 Q1, 2025/26 Apr or 2025/26."
        if text in self.problems:
            return None, self.problems[text]
        period = self.by_label.get(text)
        if period is None:
            label = periods.label(*self.parsed[text])
            if self.parsed[text][0] == periods.YEARS:
                return None, f"{label} is several years: only benchmarks can be given for it."
            return None, f"PMIS has no period {label} yet: the performance team creates each year's periods."
        return period, ""

    def for_indicator(self, text: str, frequency: str) -> tuple[Period | None, str]:
        """As get, for an indicator collected at frequency: a month (or a date) written for a
        quarterly or annual indicator is the quarter or year that ends with it ("Sep-25" or
        30/09/2025 is 2025/26 Q2); a month in the middle of one is refused, saying why."""
        period, why = self.get(text)
        if period is None or period.frequency != periods.MONTH or frequency not in (periods.QUARTER, periods.YEAR):
            return period, why
        per = 3 if frequency == periods.QUARTER else 12
        if period.number % per:
            kind = "quarter" if frequency == periods.QUARTER else "financial year"
            number = (period.number - 1) // per + 1
            whole = periods.label(frequency, period.year, number)
            return None, (
                f"{period} is a month, and this indicator is collected {'quarterly' if per == 3 else 'annually'}: "
                f"only the last month of a {kind} stands for it. Write the {kind}, such as {whole}."
            )
        key = (frequency, period.year, period.number // per)
        found = self.found.get(key)
        if found is None:
            return (
                None,
                f"PMIS has no period {periods.label(*key)} yet: the performance team creates each year's periods.",
            )
        return found, ""

    def get_or_span(self, text: str) -> tuple[Period | None, str]:
        """As get, but a span of years ("2019-21") PMIS does not have yet is given unsaved,
        to be created when the file is applied (services.periods_ensure_spans)."""
        period, why = self.get(text)
        if period is None and text in self.parsed and self.parsed[text][0] == periods.YEARS:
            _, year, number = self.parsed[text]
            if (year, number) not in self.spans:
                start, end = periods.bounds(periods.YEARS, year, number)
                self.spans[(year, number)] = Period(
                    frequency=periods.YEARS, year=year, number=number, start=start, end=end, due=end
                )
            return self.spans[(year, number)], ""
        return period, why


def too_long(row: Row, keys) -> str | None:
    """The first of the text columns longer than a cell may be."""
    for key in keys:
        if len(row.text(key)) > MAX_CELL_CHARS:
            return key
    return None
