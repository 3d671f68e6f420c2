"""Make the embedded certificate fonts in records/fonts/ (run once; the output is committed).

reportlab embeds TrueType-outline fonts only (not the CFF outlines of Noto CJK), so the
Chinese face is AR PL UMing CN (Debian package fonts-arphic-uming, Arphic Public Licence),
subset to GB 2312 plus the rarer characters common in names, Latin, digits and punctuation.
The Latin face is Liberation Serif (fonts-liberation2, SIL Open Font Licence), subset to
Latin-1 and typographic punctuation.

    apt-get install fonts-arphic-uming fonts-liberation2
    .venv/bin/python scripts/subset_font.py
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

OUT = Path(__file__).resolve().parent.parent / "records" / "fonts"
UMING = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
UMING_LICENCE = Path("/usr/share/doc/fonts-arphic-uming/copyright")
LIBERATION = Path("/usr/share/fonts/truetype/liberation2")
LIBERATION_LICENCE = Path("/usr/share/doc/fonts-liberation2/copyright")

# Characters outside GB 2312 that appear in Chinese personal and place names often enough
# to matter on a certificate (from the 2013 Table of General Standard Chinese Characters).
NAME_EXTRAS = "堃喆昇珺琇瑄璟旻晧暐煒玥琦瑀瑢瑩璐铧锃彧婳婧姮妤婕嫣娉婷钰玹璠垚淼焱鑫犇骉"


def gb2312() -> str:
    chars = []
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


def latin() -> str:
    basic = "".join(chr(c) for c in range(0x20, 0x7F))
    latin1 = "".join(chr(c) for c in range(0xA0, 0x100))
    punctuation = "‐‑–—―‘’‚“”„†‡•…‰′″‹›€™−·×÷°±©®№"
    return basic + latin1 + punctuation


def _subset(font: TTFont, text: str, target: Path) -> None:
    options = subset.Options()
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False  # smaller; the PDF is printed, not shown at tiny pixel sizes
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    font.save(target)
    print(f"{target.name}: {target.stat().st_size // 1024} KiB")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    cjk_text = gb2312() + NAME_EXTRAS + latin() + "　、。〃〈〉《》「」『』【】〔〕（）：；！？，．"
    collection = TTCollection(str(UMING))
    cn = next(f for f in collection.fonts if "CN" in f["name"].getDebugName(4))
    _subset(cn, cjk_text, OUT / "UMingCN-subset.ttf")
    for style in ("Regular", "Bold"):
        font = TTFont(str(LIBERATION / f"LiberationSerif-{style}.ttf"))
        _subset(font, latin(), OUT / f"LiberationSerif-{style}-subset.ttf")
    shutil.copy(UMING_LICENCE, OUT / "LICENCE-UMing.txt")
    shutil.copy(LIBERATION_LICENCE, OUT / "LICENCE-LiberationSerif.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
