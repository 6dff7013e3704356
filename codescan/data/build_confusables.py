"""Regenerate confusables.json: non-Latin letters that render like Latin ones (run: python build_confusables.py).

Written for codescan by hand, not copied from Unicode's confusables.txt: each entry is a Unicode
character NAME (checked with unicodedata.lookup, so a typo fails loudly) and the Latin letter it is
drawn like in common fonts. Compatibility forms (fullwidth, mathematical alphanumerics) are not
listed: the detector applies NFKC first, which already folds them to ASCII.
"""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

CYRILLIC = {
    "A": "A", "VE": "B", "IE": "E", "KA": "K", "EM": "M", "EN": "H", "O": "O", "ER": "P", "ES": "C",
    "TE": "T", "HA": "X", "BYELORUSSIAN-UKRAINIAN I": "I", "JE": "J", "DZE": "S", "STRAIGHT U": "Y",
    "QA": "Q", "WE": "W", "SHHA": "h", "KOMI DE": "d", "ZE": "3", "U": "Y",
}
CYRILLIC_SMALL = {"a": "a", "ie": "e", "o": "o", "er": "p", "es": "c", "u": "y", "ha": "x",
                  "byelorussian-ukrainian i": "i", "je": "j", "dze": "s", "shha": "h", "komi de": "d",
                  "qa": "q", "we": "w", "straight u": "y", "palochka": "l"}
GREEK = {"ALPHA": "A", "BETA": "B", "EPSILON": "E", "ZETA": "Z", "ETA": "H", "IOTA": "I", "KAPPA": "K",
         "MU": "M", "NU": "N", "OMICRON": "O", "RHO": "P", "TAU": "T", "UPSILON": "Y", "CHI": "X"}
GREEK_SMALL = {"alpha": "a", "omicron": "o", "nu": "v", "rho": "p", "iota": "i", "kappa": "k",
               "upsilon": "u", "gamma": "y"}
OTHER = {
    "CYRILLIC LETTER PALOCHKA": "l",
    "ARMENIAN SMALL LETTER OH": "o", "ARMENIAN SMALL LETTER HO": "h", "ARMENIAN SMALL LETTER VO": "n",
    "ARMENIAN SMALL LETTER SEH": "u", "ARMENIAN SMALL LETTER GIM": "q", "ARMENIAN CAPITAL LETTER OH": "O",
    "ARMENIAN CAPITAL LETTER SEH": "U",
    "LATIN SMALL LETTER DOTLESS I": "i", "LATIN SMALL LETTER DOTLESS J": "j", "LATIN SMALL LETTER ALPHA": "a",
    "LATIN SMALL LETTER SCRIPT G": "g", "LATIN SMALL LETTER IOTA": "i",
}


def table() -> dict[str, str]:
    names: dict[str, str] = dict(OTHER)
    names.update({f"CYRILLIC CAPITAL LETTER {k}": v for k, v in CYRILLIC.items()})
    names.update({f"CYRILLIC SMALL LETTER {k.upper()}": v for k, v in CYRILLIC_SMALL.items()})
    names.update({f"GREEK CAPITAL LETTER {k}": v for k, v in GREEK.items()})
    names.update({f"GREEK SMALL LETTER {k.upper()}": v for k, v in GREEK_SMALL.items()})
    return {unicodedata.lookup(name): latin for name, latin in sorted(names.items())}


if __name__ == "__main__":
    out = Path(__file__).with_name("confusables.json")
    data = {"generated_by": "codescan/data/build_confusables.py", "unicode": unicodedata.unidata_version,
            "map": table()}
    out.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(data['map'])} entries to {out}")
