#!/usr/bin/env bash
# Renders the demo model's sample grid (8 prompts x 4 seeds) with the Java CLI into docs/demo-grid.png.
# Needs a build (mvn -q -B -DskipTests package) and Debian's python3-pil for the montage (PYTHON=... to use another).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
prompts=("red heart" "grinning face" "cat face" "flag: Japan" "green apple" "sun" "pizza" "blue car")
i=0
for p in "${prompts[@]}"; do
  "$root/pigment" generate --model demo --seed 1 --batch 4 -q -o "$work/row$i.png" "$p" >/dev/null
  i=$((i + 1))
done
"${PYTHON:-/usr/bin/python3}" - "$work" "$root/docs/demo-grid.png" "${prompts[@]}" <<'PY'
import sys
from PIL import Image, ImageDraw
work, out, prompts = sys.argv[1], sys.argv[2], sys.argv[3:]
scale, label_w = 2, 120
cell = 64 * scale
grid = Image.new("RGB", (label_w + 4 * cell, len(prompts) * cell), "white")
draw = ImageDraw.Draw(grid)
for r, prompt in enumerate(prompts):
    draw.text((6, r * cell + cell // 2 - 6), prompt, fill="black")
    for c in range(4):
        img = Image.open(f"{work}/row{r}-{c + 1}.png").convert("RGB").resize((cell, cell), Image.NEAREST)
        grid.paste(img, (label_w + c * cell, r * cell))
grid.save(out)
print("wrote", out)
PY
