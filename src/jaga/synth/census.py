"""Province populations and the ethnic make-up used to weight synthetic births and names.

Populations: BPS, Sensus Penduduk 2020 (SP2020), in thousands. The six Papuan provinces of the 2022
splits are SP2020's regency totals regrouped into the new provinces (approximate: BPS published the
census before the split). Ethnic shares: rounded from BPS' 2010 census tables on ethnicity
(Kewarganegaraan, Suku Bangsa, Agama, dan Bahasa, 2011), coarsened to the name traditions jaga models;
they steer name generation only.
"""

from __future__ import annotations

# province code -> population in thousands (SP2020)
PROVINCE_POPULATION: dict[str, float] = {
    "11": 5274.9,
    "12": 14799.4,
    "13": 5534.5,
    "14": 6394.1,
    "15": 3548.2,
    "16": 8467.4,
    "17": 2010.7,
    "18": 9007.8,
    "19": 1455.7,
    "21": 2064.6,
    "31": 10562.1,
    "32": 48274.2,
    "33": 36516.0,
    "34": 3668.7,
    "35": 40665.7,
    "36": 11904.6,
    "51": 4317.4,
    "52": 5320.1,
    "53": 5326.0,
    "61": 5414.4,
    "62": 2670.0,
    "63": 4073.6,
    "64": 3766.0,
    "65": 701.8,
    "71": 2622.0,
    "72": 2985.7,
    "73": 9073.5,
    "74": 2624.9,
    "75": 1171.7,
    "76": 1419.2,
    "81": 1848.9,
    "82": 1282.9,
    # 2022 splits (approximate, see module docstring)
    "91": 950.0,
    "92": 520.0,
    "93": 520.0,
    "94": 1430.0,
    "95": 1400.0,
    "96": 610.0,
}

# Name traditions: how mothers' and fathers' names are built (see jaga.synth.names).
GROUPS = (
    "javanese",
    "sundanese",
    "balinese",
    "batak",
    "minang",
    "bugis",
    "chinese",
    "papuan",
    "malay",
    "ntt",
)

_DEFAULT = {"malay": 0.8, "javanese": 0.15, "chinese": 0.05}

# province code -> {group: share}; provinces not listed take _DEFAULT
GROUP_SHARES: dict[str, dict[str, float]] = {
    "12": {"batak": 0.45, "javanese": 0.3, "malay": 0.2, "chinese": 0.05},
    "13": {"minang": 0.88, "batak": 0.04, "javanese": 0.05, "malay": 0.03},
    "31": {
        "javanese": 0.36,
        "malay": 0.3,
        "sundanese": 0.15,
        "chinese": 0.07,
        "batak": 0.05,
        "minang": 0.04,
        "bugis": 0.03,
    },
    "32": {"sundanese": 0.75, "javanese": 0.15, "malay": 0.06, "chinese": 0.02, "batak": 0.02},
    "33": {"javanese": 0.95, "sundanese": 0.02, "chinese": 0.02, "malay": 0.01},
    "34": {"javanese": 0.96, "chinese": 0.02, "malay": 0.02},
    "35": {"javanese": 0.92, "malay": 0.05, "chinese": 0.02, "bugis": 0.01},
    "36": {"sundanese": 0.5, "javanese": 0.2, "malay": 0.2, "chinese": 0.05, "batak": 0.05},
    "51": {"balinese": 0.86, "javanese": 0.1, "malay": 0.02, "chinese": 0.02},
    "52": {"malay": 0.85, "balinese": 0.1, "javanese": 0.05},
    "53": {"ntt": 0.9, "malay": 0.05, "javanese": 0.03, "bugis": 0.02},
    "61": {"malay": 0.5, "chinese": 0.15, "javanese": 0.15, "ntt": 0.1, "bugis": 0.1},
    "73": {"bugis": 0.85, "javanese": 0.05, "malay": 0.07, "chinese": 0.03},
    "76": {"bugis": 0.8, "malay": 0.15, "javanese": 0.05},
    "71": {"ntt": 0.7, "malay": 0.2, "chinese": 0.05, "javanese": 0.05},
    "81": {"ntt": 0.55, "malay": 0.35, "bugis": 0.1},
    "91": {"papuan": 0.65, "javanese": 0.15, "bugis": 0.1, "ntt": 0.1},
    "92": {"papuan": 0.55, "javanese": 0.2, "bugis": 0.15, "ntt": 0.1},
    "93": {"papuan": 0.6, "javanese": 0.25, "bugis": 0.1, "ntt": 0.05},
    "94": {"papuan": 0.7, "javanese": 0.1, "bugis": 0.12, "ntt": 0.08},
    "95": {"papuan": 0.9, "javanese": 0.05, "bugis": 0.05},
    "96": {"papuan": 0.55, "javanese": 0.2, "bugis": 0.15, "ntt": 0.1},
}


def group_shares(province: str) -> dict[str, float]:
    return GROUP_SHARES.get(province, _DEFAULT)
