"""Ground truth never reaches the code evaluated on it (linkage, flags): checked statically and at run time."""

from __future__ import annotations

from pathlib import Path

import pytest

import jaga
from jaga.synth.generator import SynthSummary
from jaga.synth.isolation import DETECTOR_PACKAGES, TruthAccessDenied, find_truth_readers, guard_truth

SOURCE = Path(jaga.__file__).parent


def test_no_detector_package_reads_the_truth() -> None:
    packages = [SOURCE / name for name in DETECTOR_PACKAGES if (SOURCE / name).exists()]
    assert find_truth_readers(packages) == []


def test_the_check_catches_a_detector_that_reads_truth(tmp_path: Path) -> None:
    detector = tmp_path / "flags"
    detector.mkdir()
    (detector / "cheat.py").write_text(
        "import csv\n"
        "from jaga.synth.output import TRUTH_DIR\n"
        "def score(folder):\n"
        "    return list(csv.reader(open(folder / 'truth' / 'scheme_members.csv')))\n",
        encoding="utf-8",
    )
    (detector / "evaluate.py").write_text("PATH = 'truth/schemes.csv'\n", encoding="utf-8")  # allowed
    violations = find_truth_readers([detector])
    assert sorted((v.path.name, v.line, v.what) for v in violations) == [
        ("cheat.py", 2, "imports jaga.synth.output"),
        ("cheat.py", 4, "names 'scheme_members.csv'"),
        ("cheat.py", 4, "names 'truth'"),
    ]


def test_opening_truth_while_detectors_run_is_refused(synth_run: tuple[Path, SynthSummary]) -> None:
    out, _ = synth_run
    truth_file = out / "truth" / "schemes.csv"
    with guard_truth():
        with pytest.raises(TruthAccessDenied, match="ground truth opened"):
            truth_file.read_text()
        with pytest.raises(TruthAccessDenied):
            open(str(out) + "/./truth/../truth/identities.csv")  # noqa: SIM115  (however the path is built)
        assert (out / "manifest.json").read_text()  # everything else stays readable
    assert truth_file.read_text()  # and truth itself outside the guard
