"""The rating shown for an indicator in a period: the one home of that question.

Every page and file that shows a rating (scorecards, exception reports, packs, exports, the
indicator page, the sign-off page, the public pages, open data and the API) asks
``shown_rating`` with what it read, so the same figure gets the same word everywhere, or a
marker that explains the difference:

- the word is the performance team's override when there is one, else the computed rating;
- **provisional**: a Green, Amber or Red computed against a target that is not signed off
  (a draft, proposed or quality-assured target, or a signed-off one being revised); said in
  words, never by colour alone, and counted apart in summaries;
- **overridden**: the word is an override, and the computed rating stays available;
- for the **public**, a figure is shown only once validated and a rating only against a
  signed-off target; otherwise the period says why ("Not yet validated", "Target not yet
  agreed"), never an older period's figure in its place.

Pure: plain values in, no database access.
"""

from dataclasses import dataclass
from functools import lru_cache

from . import rag

# Why the public pages show no rating for a period (besides the statuses of rag.py).
NOT_PUBLISHED = "not_published"
NOT_VALIDATED = "not_validated"
TARGET_NOT_AGREED = "target_not_agreed"

RATED = (rag.GREEN, rag.AMBER, rag.RED)
LABELS = {
    rag.GREEN: "Green",
    rag.AMBER: "Amber",
    rag.RED: "Red",
    rag.NO_TARGET: "No target",
    rag.DATA_ONLY: "Data only",
    rag.NOT_AVAILABLE: "Not available",
    rag.INCOMPLETE: "Year to date incomplete",
    NOT_PUBLISHED: "Not yet published",
    NOT_VALIDATED: "Not yet validated",
    TARGET_NOT_AGREED: "Target not yet agreed",
}
PROVISIONAL = "provisional"
# The one sentence that reconciles the public scorecard's counts with the internal one's.
PUBLIC_RULE = (
    "The public pages rate a measure only when it is published, the council's performance team has "
    "validated its figure and the portfolio holder has signed off its target; otherwise the period's "
    "figure is counted as not yet validated, target not yet agreed or not yet published, and never "
    "replaced by an earlier period's."
)


@dataclass(frozen=True, slots=True)
class ShownRating:
    """What a page shows for a figure's rating.

    status: the word's key (a rating of indicators.rag, or one of this module's reasons);
    computed: the rating the engine worked out ("" when the status is withheld from the public);
    overridden: status is the performance team's override of computed;
    provisional: status rests on a target that is not signed off.
    """

    status: str
    computed: str = ""
    overridden: bool = False
    provisional: bool = False

    @property
    def label(self) -> str:
        """The rating word alone: "Green"."""
        return LABELS.get(self.status, self.status)

    @property
    def computed_label(self) -> str:
        return LABELS.get(self.computed, self.computed)

    @property
    def markers(self) -> list[str]:
        """The markers in words: "provisional", "overridden, computed Red"."""
        found = []
        if self.provisional:
            found.append(f"{PROVISIONAL}: target not signed off")
        if self.overridden:
            found.append(f"overridden, computed {self.computed_label}")
        return found

    @property
    def words(self) -> str:
        """The word with its markers, for files and papers: "Green (provisional: target not
        signed off; overridden, computed Red)"."""
        markers = self.markers
        return f"{self.label} ({'; '.join(markers)})" if markers else self.label

    @property
    def is_rated(self) -> bool:
        return self.status in RATED

    @property
    def summary_key(self) -> str:
        """The summary count it falls in: a provisional rating is counted apart
        ("provisional_red"); a year to date that cannot be formed counts as not available."""
        if self.provisional and self.is_rated:
            return f"{PROVISIONAL}_{self.status}"
        return rag.NOT_AVAILABLE if self.status == rag.INCOMPLETE else self.status


def shown_rating(
    *,
    rag_computed: str,
    override: str = "",
    target_signed_off: bool,
    validated: bool = True,
    public: bool = False,
    year_to_date_validated: bool = True,
) -> ShownRating:
    """The rating shown for a rated figure.

    rag_computed: the stored computed rating (Rating.rag); override: Rating.override_rag;
    target_signed_off: whether the period's target the figure was rated against is signed off;
    validated: whether the figure is validated; public: for the public pages, open data and
    the API, which show no unvalidated figure and no rating against a target not agreed;
    year_to_date_validated: for a cumulative indicator on the public pages, whether every
    earlier period of the year has a validated figure too.
    """
    return shown_rating_of(rag_computed, override, target_signed_off, validated, public, year_to_date_validated)


@lru_cache(maxsize=1024)
def shown_rating_of(
    rag_computed: str,
    override: str,
    target_signed_off: bool,
    validated: bool,
    public: bool,
    year_to_date_validated: bool,
) -> ShownRating:
    """shown_rating with its arguments in order: the read layers' thousands of rows call it
    directly, and each distinct answer is made once (ShownRating is immutable)."""
    if public and not validated:
        return ShownRating(NOT_VALIDATED)
    if public and not year_to_date_validated:
        return ShownRating(rag.INCOMPLETE)
    provisional = rag_computed in RATED and not target_signed_off
    if public and provisional:
        return ShownRating(TARGET_NOT_AGREED)
    return ShownRating(
        override or rag_computed, computed=rag_computed, overridden=bool(override), provisional=provisional
    )


def public_summary_key(status: str) -> str:
    """The public summary count a row's status falls in."""
    return rag.NOT_AVAILABLE if status == rag.INCOMPLETE else status
