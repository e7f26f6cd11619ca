"""Where a job reads and writes on the canvas: pure arithmetic, no Krita or Qt (unit-tested on its own).

The context crop follows krita-ai-diffusion: a selection is padded by a share of its diagonal so the model sees
surroundings, the crop is kept inside the document, and its sides are made multiples of 8 (what the models need).
"""
import math

MULTIPLE = 8
PADDING_SHARE = 0.06  # krita-ai-diffusion's default padding: 6 % of the selection's diagonal
MIN_PADDING = 16
GROW = 4  # krita-ai-diffusion's default selection grow, px
FEATHER_SHARE = 0.10  # its default feather: 10 % of the selection's diagonal
MAX_FEATHER = 256  # the core's limit for the feather option


class Rect:
    __slots__ = ("x", "y", "width", "height")

    def __init__(self, x, y, width, height):
        self.x, self.y, self.width, self.height = int(x), int(y), int(width), int(height)

    def __eq__(self, other):
        return isinstance(other, Rect) and self.tuple() == other.tuple()

    def __repr__(self):
        return "Rect(%d, %d, %d, %d)" % self.tuple()

    def tuple(self):
        return self.x, self.y, self.width, self.height

    def is_empty(self):
        return self.width <= 0 or self.height <= 0


def context_crop(selection, doc_width, doc_height, feather=0):
    """The area to send for a (grown) selection's bounds, or the whole document when there is none. Like
    krita-ai-diffusion the padding adds the feather, so the softened edge still has context around it."""
    if selection is None or selection.is_empty():
        return fit_multiple(Rect(0, 0, doc_width, doc_height), doc_width, doc_height)
    pad = max(MIN_PADDING, int(round(PADDING_SHARE * math.hypot(selection.width, selection.height)))) + feather
    x0 = max(0, selection.x - pad)
    y0 = max(0, selection.y - pad)
    x1 = min(doc_width, selection.x + selection.width + pad)
    y1 = min(doc_height, selection.y + selection.height + pad)
    return fit_multiple(Rect(x0, y0, x1 - x0, y1 - y0), doc_width, doc_height)


def auto_feather(selection):
    """krita-ai-diffusion's default feather for a selection: 10 % of its diagonal, within the core's range."""
    if selection is None or selection.is_empty():
        return 0
    return min(MAX_FEATHER, int(round(FEATHER_SHARE * math.hypot(selection.width, selection.height))))


def fit_multiple(r, doc_width, doc_height):
    """Grows r to sides that are multiples of 8 (shrinking only when the document itself is smaller)."""
    def side(start, length, limit):
        want = min(limit - limit % MULTIPLE if limit >= MULTIPLE else limit,
                   int(math.ceil(length / float(MULTIPLE))) * MULTIPLE)
        start = min(start, limit - want)
        return max(0, start), want

    x, w = side(r.x, r.width, doc_width)
    y, h = side(r.y, r.height, doc_height)
    return Rect(x, y, w, h)


def mask_alpha(bgra, mask, width, height):
    """BGRA with alpha multiplied by the mask (0..255), so only the selected part of a result covers the canvas."""
    out = bytearray(bgra)
    for i in range(width * height):
        a = out[4 * i + 3] * mask[i] // 255
        out[4 * i + 3] = a
    return bytes(out)


def layer_name(prompt, seed, limit=60):
    """'[Pigment] <prompt> (<seed>)', the prompt shortened to a readable length; no seed when none was used
    (the classic engines report -1 for jobs that draw no random numbers)."""
    p = " ".join((prompt or "").split())
    if len(p) > limit:
        p = p[:limit - 1] + "\u2026"
    return "[Pigment] %s (%d)" % (p, seed) if seed >= 0 else "[Pigment] %s" % p
