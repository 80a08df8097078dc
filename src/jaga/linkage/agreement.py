"""How well the model agrees with reviewers: the decided pairs are labels, and they tell whether the
match threshold is set where people would set it.

Reviewed pairs are the uncertain ones, not a random sample: precision and recall here describe the
model on the hard cases, which is what tuning the threshold needs, not its accuracy overall.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jaga.linkage.models import IdentityLink, LinkDecision
from jaga.linkage.review import latest_run
from jaga.linkage.runs import SAME

THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99)


@dataclass(frozen=True)
class AtThreshold:
    threshold: float
    agreed_same: int  # reviewers said same, model links
    wrongly_linked: int  # reviewers said different, model links
    missed: int  # reviewers said same, model does not link

    @property
    def precision(self) -> float:
        linked = self.agreed_same + self.wrongly_linked
        return self.agreed_same / linked if linked else 1.0

    @property
    def recall(self) -> float:
        same = self.agreed_same + self.missed
        return self.agreed_same / same if same else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Agreement:
    decided: int
    same: int
    current_threshold: float | None
    table: list[AtThreshold]

    @property
    def best(self) -> AtThreshold | None:
        return max(self.table, key=lambda row: (row.f1, row.threshold)) if self.decided else None


def agreement(session: Session) -> Agreement:
    run = latest_run(session)
    probability: dict[tuple[int, int], float] = {}
    if run is not None:
        for left, right, p in session.execute(
            select(IdentityLink.left_id, IdentityLink.right_id, IdentityLink.match_probability).where(
                IdentityLink.run_id == run.id
            )
        ):
            probability[(left, right)] = p
    found = list(session.scalars(select(LinkDecision)))
    rows = []
    for threshold in THRESHOLDS:
        agreed = wrong = missed = 0
        for d in found:
            linked = probability.get((d.left_id, d.right_id), 0.0) >= threshold
            if d.decision == SAME:
                agreed += linked
                missed += not linked
            else:
                wrong += linked
        rows.append(AtThreshold(threshold, agreed, wrong, missed))
    return Agreement(
        decided=len(found),
        same=sum(d.decision == SAME for d in found),
        current_threshold=run.match_threshold if run is not None else None,
        table=rows,
    )
