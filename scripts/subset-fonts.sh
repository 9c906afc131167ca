#!/usr/bin/env bash
# Regenerates the subset DejaVu Sans fonts the PDF exports embed (functions/core/exports/fonts/).
# The full fonts are 1.4 MB and cover scripts no document of Karta prints; the subsets keep the
# alphabets of names of assistants and beneficiaries in Poland (Latin, Cyrillic, Greek, Vietnamese
# Latin), the punctuation and symbols people type or paste into free text, and every character
# the PDF templates print. tests/unit/exports-pdf-fonts.test.ts fails if one of those is missing.
#
# Needs fonttools (Debian: apt-get install fonttools); the output is committed, so building and
# testing Karta does not (committed files made with fonttools 4.38 of Debian 12).
# Run from anywhere: bash scripts/subset-fonts.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
source_dir="$root/node_modules/dejavu-fonts-ttf/ttf"
out_dir="$root/functions/core/exports/fonts"

unicodes=(
  U+0020-007E # Basic Latin
  U+00A0-00FF # Latin-1 Supplement (nbsp, soft hyphen, « » § ° ± × ÷ ·)
  U+0100-017F # Latin Extended-A (ą ć ę ł ń ś ź ż, Czech, Lithuanian, Latvian, Turkish…)
  U+0180-024F # Latin Extended-B (Romanian ș ț, Croatian digraphs)
  U+0250-02AF # IPA Extensions
  U+02B0-02FF # Spacing Modifier Letters (ʼ ˆ ˇ ˘ ˙ ˛ ˜ ˝)
  U+0300-036F # Combining Diacritical Marks: names typed decomposed (a + U+0328) still print
  U+0370-03FF # Greek and Coptic
  U+0400-052F # Cyrillic and Cyrillic Supplement (Ukrainian ґ є і ї, Belarusian ў, Russian…)
  U+1E00-1EFF # Latin Extended Additional (Vietnamese names)
  U+2000-206F # General Punctuation (– — ‘ ’ “ ” „ … • ‰ and the spaces)
  U+2070-209F # Superscripts and Subscripts
  U+20A0-20CF # Currency Symbols (€ ₴ ₽)
  U+2100-214F # Letterlike Symbols (№ ™ ℃)
  U+2150-218F # Number Forms (½ ⅓ Ⅳ)
  U+2190-21FF # Arrows (→)
  U+2212,U+2215,U+2219,U+221A,U+221E,U+2248,U+2260,U+2264,U+2265 # − ∕ ∙ √ ∞ ≈ ≠ ≤ ≥
  U+25A0,U+25A1,U+25AA,U+25AB,U+25B2,U+25BA,U+25BC,U+25C4,U+25C6,U+25CB,U+25CF,U+25E6 # ■ □ ▪ ▫ ▲ ► ▼ ◄ ◆ ○ ● ◦ (pasted bullets)
  U+2713,U+2714,U+2717,U+2718 # ✓ ✔ ✗ ✘
  U+FB00-FB06 # Latin ligatures (ﬁ ﬂ, in text pasted from a PDF)
  U+FFFD      # replacement character
)
codes="$(printf '%s\n' "${unicodes[@]}" | sed 's/ *#.*//' | paste -sd, -)"

for name in DejaVuSans DejaVuSans-Bold; do
  # No hinting: PDF viewers rasterise outlines at print resolution, and the TrueType
  # instructions are a third of the file. GPOS (kerning, mark placement) and GSUB (ccmp, liga)
  # stay: fontkit lays text out with them. The MATH table is for formula layout, unused.
  pyftsubset "$source_dir/$name.ttf" \
    --unicodes="$codes" \
    --no-hinting \
    --notdef-outline \
    --drop-tables+=MATH,FFTM \
    --output-file="$out_dir/$name-subset.ttf"
done
cp "$source_dir/../LICENSE" "$out_dir/LICENSE"
ls -l "$out_dir"
