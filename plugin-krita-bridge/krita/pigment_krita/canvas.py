"""Reading from and writing to a Krita document. Never modifies the user's layers: results and previews are new
layers, removed again on cancel or error."""
from . import geometry
from .geometry import Rect

PREVIEW_NAME = "[Preview]"
RESULT_PREFIX = "[Pigment] "


class CanvasError(Exception):
    """Something about the document prevents the job; the message says what to do."""


def check_document(doc):
    if doc is None:
        raise CanvasError("Open or create an image first.")
    if doc.colorModel() != "RGBA" or doc.colorDepth() != "U8":
        raise CanvasError("Pigment works on 8-bit RGB/Alpha images; this one is %s %s. Convert it with"
                          " Image > Convert Image Color Space (RGB/Alpha, 8-bit integer)." % (doc.colorModel(),
                                                                                                  doc.colorDepth()))


def grown_selection(doc, grow):
    """A copy of the document's selection grown by grow px (the user's own selection is left alone), or None."""
    sel = doc.selection()
    if sel is None or sel.width() <= 0 or sel.height() <= 0:
        return None
    sel = sel.duplicate()
    if grow > 0:
        sel.grow(grow, grow)
    return sel


def selection_rect(sel):
    if sel is None or sel.width() <= 0 or sel.height() <= 0:
        return None
    return Rect(sel.x(), sel.y(), sel.width(), sel.height())


def selection_mask(sel, crop):
    """gray8 bytes of the selection over crop (255 = selected), or None without a selection. It is the hard
    limit of the result: the core feathers inside it."""
    if sel is None or sel.width() <= 0:
        return None
    return bytes(sel.pixelData(crop.x, crop.y, crop.width, crop.height))


def read_pixels(doc, crop, source="projection"):
    """BGRA bytes of crop from the visible image (projection) or the active layer."""
    if source == "layer":
        node = doc.activeNode()
        if node is None or node.type() != "paintlayer":
            raise CanvasError("Select a paint layer to read from, or read the visible image.")
        return bytes(node.pixelData(crop.x, crop.y, crop.width, crop.height))
    return bytes(doc.pixelData(crop.x, crop.y, crop.width, crop.height))


def read_layer(doc, name):
    """BGRA bytes and bounds of a layer (the Restyle reference)."""
    node = doc.nodeByName(name)
    if node is None:
        raise CanvasError("There is no layer named '%s' any more: pick the reference layer again." % name)
    b = node.bounds()
    if b.width() <= 0 or b.height() <= 0:
        raise CanvasError("The reference layer '%s' is empty." % name)
    return bytes(node.pixelData(b.x(), b.y(), b.width(), b.height())), b.width(), b.height()


def paint_layer_names(doc):
    out = []

    def walk(node):
        for child in node.childNodes():
            if child.type() == "paintlayer":
                out.append(child.name())
            walk(child)

    walk(doc.rootNode())
    return out


def result_anchor(active):
    """The node a new result goes above: the topmost earlier [Pigment] result among the active layer's siblings
    above it, so results stack in the order they were made; else the active layer itself."""
    if active is None or active.parentNode() is None:
        return active
    siblings = active.parentNode().childNodes()  # bottom to top
    at = next((i for i, n in enumerate(siblings) if n == active), len(siblings))
    anchor = active
    for node in siblings[at + 1:]:
        if node.name().startswith(RESULT_PREFIX):
            anchor = node
    return anchor


def add_layer(doc, name, bgra, crop, above=None):
    """A new paint layer holding bgra over crop, above the given node (or on top); returns it."""
    node = doc.createNode(name, "paintlayer")
    node.setPixelData(bgra, crop.x, crop.y, crop.width, crop.height)
    parent = above.parentNode() if above is not None else doc.rootNode()
    parent.addChildNode(node, above)
    doc.refreshProjection()
    return node


class Preview:
    """The [Preview] layer: created at the first preview, replaced at each, removed at the end."""

    def __init__(self, doc, crop, above):
        self.doc, self.crop, self.above = doc, crop, above
        self.node = None

    def show(self, bgra):
        if self.node is None:
            self.node = add_layer(self.doc, PREVIEW_NAME, bgra, self.crop, self.above)
        else:
            self.node.setPixelData(bgra, self.crop.x, self.crop.y, self.crop.width, self.crop.height)
            self.doc.refreshProjection()

    def remove(self):
        if self.node is not None:
            self.node.remove()
            self.node = None
            self.doc.refreshProjection()


def context(doc, mode, grow=geometry.GROW, feather=None):
    """(crop, mask or None, feather) for a job: the grown selection's context crop, or the whole image.
    feather None means krita-ai-diffusion's default for the grown selection."""
    check_document(doc)
    sel = grown_selection(doc, grow)
    rect = selection_rect(sel)
    if mode == "inpaint" and rect is None:
        raise CanvasError("Inpaint repaints the selection: select the area to change first.")
    if feather is None:
        feather = geometry.auto_feather(rect)
    crop = geometry.context_crop(rect, doc.width(), doc.height(), feather if rect is not None else 0)
    return crop, selection_mask(sel, crop), feather
