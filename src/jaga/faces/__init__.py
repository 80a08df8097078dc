"""Face matching: photos of children attached to missing-child reports and institutions' intake records,
their face descriptors (dlib: HOG detector, 5-point landmarks, ResNet 128-d), exact search for candidates,
and a review queue where people decide. It proposes candidates to people; it never decides.

Only the composition roots (`jaga.app`, `jaga.cli`) and `jaga.bench` import this package (import-linter
keeps every other path free of it), and dlib itself is imported only when a face is computed.
"""

from jaga.faces.models import (
    Basis,
    CandidateStatus,
    FaceCandidate,
    FaceReview,
    FaceVector,
    Photo,
    SubjectKind,
)

__all__ = ["Basis", "CandidateStatus", "FaceCandidate", "FaceReview", "FaceVector", "Photo", "SubjectKind"]
