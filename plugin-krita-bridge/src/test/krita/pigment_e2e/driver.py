"""Drives the Pigment docker (the plugin's own code) against a live server, checks the document, quits Krita.

Writes PIGMENT_E2E_OUT/result.json: {"failures": [...], "checks": [...]} and screenshots; exits with os._exit
because Krita's own exit code says nothing about a script.
"""
import json
import os
import time
import traceback

from krita import InfoObject, Krita, Selection

from pigment_krita import canvas, geometry, jobs
from pigment_krita.docker import PigmentDocker
from pigment_krita.qt import QImage, QTimer, QtWidgets

OUT = os.environ.get("PIGMENT_E2E_OUT", "")
W, H = 128, 96
SEL = (40, 30, 32, 24)
GROW, FEATHER = 4, 3
GROWN = (SEL[0] - GROW, SEL[1] - GROW, SEL[2] + 2 * GROW, SEL[3] + 2 * GROW)  # a rectangle grows to one
checks, failures = [], []


def log(message):
    with open(os.path.join(OUT, "driver.log"), "a") as f:
        f.write("%.2f %s\n" % (time.time(), message))


def wait_for_window():
    """Polls for the main window (windowCreated can fire before a plugin connects to it)."""
    win = Krita.instance().activeWindow()
    log("waiting for the window: %r" % (win,))
    if win is None or not win.qwindow().isVisible():
        QTimer.singleShot(250, wait_for_window)
        return
    QTimer.singleShot(1000, run)


def check(cond, what):
    (checks if cond else failures).append(what)


def spin(until, timeout, during=None):
    """Runs Krita's event loop until until() holds; returns the longest single event-loop pass in seconds."""
    app = QtWidgets.QApplication.instance()
    end = time.time() + timeout
    longest = 0.0
    while not until():
        if time.time() > end:
            raise TimeoutError("timed out after %s s" % timeout)
        t0 = time.time()
        app.processEvents()
        longest = max(longest, time.time() - t0)
        if during:
            during()
        time.sleep(0.005)
    return longest


def known_pixels():
    out = bytearray(W * H * 4)
    for y in range(H):
        for x in range(W):
            i = 4 * (y * W + x)
            out[i:i + 4] = bytes(((x * 2) % 256, (y * 3) % 256, (x * y) % 256, 255))
    # a dark square in the selection: the object to remove
    for y in range(SEL[1] + 6, SEL[1] + 18):
        for x in range(SEL[0] + 8, SEL[0] + 24):
            i = 4 * (y * W + x)
            out[i:i + 4] = bytes((20, 20, 20, 255))
    return bytes(out)


def find_docker():
    for d in Krita.instance().dockers():
        if isinstance(d, PigmentDocker):
            return d
    return None


def node_named(doc, name):
    for n in doc.rootNode().childNodes():
        if n.name() == name:
            return n
    return None


def layer_names(doc):
    return [n.name() for n in doc.rootNode().childNodes()]


def in_selection(x, y, r=GROWN):
    return r[0] <= x < r[0] + r[2] and r[1] <= y < r[1] + r[3]


def watch_requests(sent):
    """Records each request the docker hands to its job runner."""
    original_init = jobs.JobRunner.__init__

    def init(self, host, port, token, request, attachments, *rest):
        sent.append(dict(request))
        original_init(self, host, port, token, request, attachments, *rest)

    jobs.JobRunner.__init__ = init
    return lambda: setattr(jobs.JobRunner, "__init__", original_init)


def run():
    log("run")
    try:
        scenario()
    except Exception:
        failures.append("driver crashed: " + traceback.format_exc())
    with open(os.path.join(OUT, "result.json"), "w") as f:
        json.dump({"checks": checks, "failures": failures}, f, indent=1)
    os._exit(0)


def scenario():
    k = Krita.instance()
    win = k.activeWindow()
    win.qwindow().setGeometry(0, 0, 1280, 1000)
    doc = k.createDocument(W, H, "pigment-e2e", "RGBA", "U8", "", 300.0)
    doc.setBatchmode(True)
    win.addView(doc)
    user = doc.rootNode().childNodes()[0]
    original = known_pixels()
    user.setPixelData(original, 0, 0, W, H)
    doc.refreshProjection()
    sel = Selection()
    sel.select(SEL[0], SEL[1], SEL[2], SEL[3], 255)
    doc.setSelection(sel)
    doc.waitForDone()
    docker = find_docker()
    check(docker is not None, "the Pigment docker exists in the window")
    docker.setVisible(True)
    docker.server.setText("127.0.0.1:" + os.environ["PIGMENT_PORT"])
    docker.refresh_models()
    spin(lambda: docker.model.findText("classic") >= 0 and docker.model.count() >= 2
         and "Connected" in docker.state.text(), 30)
    check(docker.model.findText("demo") >= 0, "the model list came from the server")
    before = layer_names(doc)
    inpaint_classic(doc, docker, user, original)
    generate_demo(doc, docker, user, original)
    cancel_demo(doc, docker, user, original)
    refine_and_restyle(doc, docker, user, original)
    screenshot(win, docker)
    other_depth_is_refused(k, win, docker, doc)
    after = layer_names(doc)
    results = [n for n in after if n.startswith("[Pigment] ")]
    check(results == ["[Pigment] remove the square (5)", "[Pigment] red heart (7)", "[Pigment] red heart (3)",
                      "[Pigment] orange"], "each new result sits above the earlier ones: %r" % (after,))
    added = [n for n in after if n not in before and n != "reference"]  # "reference" is the test's own
    check([n for n in after if n in before] == before and all(n.startswith("[Pigment] ") for n in added),
          "the user's layers are all still there, in order, and only [Pigment] layers were added: %r" % (after,))


def start(docker, mode, model, prompt, seed, steps):
    docker.mode.setCurrentIndex([m[0] for m in __import__("pigment_krita.docker", fromlist=["MODES"]).MODES].index(mode))
    docker.model.setCurrentIndex(docker.model.findText(model))
    docker.prompt.setPlainText(prompt)
    docker.random_seed.setChecked(False)
    docker.seed.setValue(seed)
    docker.steps.setValue(steps)
    docker.generate()
    check(docker.is_busy(), "%s/%s started (error line: %r)" % (mode, model, docker.error.text()))


def inpaint_classic(doc, docker, user, original):
    check(docker.grow.value() == geometry.GROW == 4 and docker.feather.value() == -1,
          "grow and feather start at krita-ai-diffusion's defaults (4 px, auto 10 %)")
    docker.grow.setValue(GROW)
    docker.feather.setValue(FEATHER)
    sent = []
    restore = watch_requests(sent)
    start(docker, "Inpaint", "classic", "remove the square", 5, 0)
    restore()
    check(len(sent) == 1 and sent[0].get("feather") == FEATHER, "the feather is sent as the request's feather"
          " option: %r" % (sent,))
    mask = canvas.grown_selection(doc, GROW)
    check((mask.x(), mask.y(), mask.width(), mask.height()) == GROWN and doc.selection().width() == SEL[2],
          "the selection is grown by %d px on a copy (the user's selection is unchanged)" % GROW)
    longest = spin(lambda: not docker.is_busy(), 120)
    check(longest < 0.5, "Krita stayed responsive during the job (longest event-loop pass %.3f s)" % longest)
    name = "[Pigment] remove the square (5)"
    top = node_named(doc, name)
    check(top is not None, "a classic inpaint layer named %r exists (layers %r; error %r)"
          % (name, layer_names(doc), docker.error.text()))
    b = top.bounds()
    check((b.x(), b.y(), b.width(), b.height()) == GROWN, "the layer's pixels cover the grown selection only: %r"
          % ((b.x(), b.y(), b.width(), b.height()),))
    check(bytes(user.pixelData(0, 0, W, H)) == original, "the user's layer is unchanged")
    proj = bytes(doc.pixelData(0, 0, W, H))
    outside_same = all(proj[i:i + 3] == original[i:i + 3] for i in range(0, W * H * 4, 4)
                       if not in_selection((i // 4) % W, (i // 4) // W))
    check(outside_same, "with grow %d and feather %d every pixel outside the grown selection is exactly as before"
          % (GROW, FEATHER))
    dark_before = sum(1 for i in range(0, W * H * 4, 4) if original[i] == 20 and original[i + 1] == 20)
    dark_after = sum(1 for i in range(0, W * H * 4, 4) if proj[i] == 20 and proj[i + 1] == 20)
    check(dark_before >= 192 and dark_after < dark_before // 4,
          "the dark square was filled from its surroundings (%d -> %d dark pixels)" % (dark_before, dark_after))
    png = os.path.join(OUT, "inpainted.png")
    doc.exportImage(png, InfoObject())
    doc.setBatchmode(False)  # batch mode only keeps export from asking questions
    img = QImage(png)
    ok = img.width() == W and img.height() == H
    for (x, y) in ((0, 0), (W - 1, H - 1), (GROWN[0] - 1, GROWN[1]), (10, 80)):
        i = 4 * (y * W + x)
        c = img.pixelColor(x, y)
        ok = ok and (c.blue(), c.green(), c.red()) == tuple(original[i:i + 3])
    check(ok, "the exported PNG has the document's size and untouched pixels outside the selection")


def watch_previews(seen):
    """Records, each time the plugin shows a preview, whether a [Preview] layer is then in the document (a fast
    job can add and remove it between two checks of the layer stack, so watching the stack alone is flaky)."""
    original_show = canvas.Preview.show

    def show(self, bgra):
        original_show(self, bgra)
        seen.append("[Preview]" in layer_names(self.doc))

    canvas.Preview.show = show
    return lambda: setattr(canvas.Preview, "show", original_show)


def generate_demo(doc, docker, user, original):
    seen_preview = []
    restore = watch_previews(seen_preview)
    start(docker, "Generate", "demo", "red heart", 7, 8)
    spin(lambda: not docker.is_busy(), 120)
    restore()
    top = node_named(doc, "[Pigment] red heart (7)")
    check(top is not None, "a demo layer named '[Pigment] red heart (7)' exists (layers %r; error %r)"
          % (layer_names(doc), docker.error.text()))
    check(bool(seen_preview) and all(seen_preview), "a [Preview] layer showed the job's progress (%d previews)"
          % len(seen_preview))
    check("[Preview]" not in layer_names(doc), "the preview layer is gone after the result")
    b = top.bounds()
    check((b.x(), b.y(), b.width(), b.height()) == GROWN, "the demo layer sits exactly over the grown selection")
    px = bytes(top.pixelData(SEL[0], SEL[1], SEL[2], SEL[3]))  # the grown corners are rounded
    check(all(px[i + 3] == 255 for i in range(0, len(px), 4)) and len(set(px)) > 8,
          "the demo layer is opaque and not flat inside the selection")
    check(bytes(user.pixelData(0, 0, W, H)) == original, "the user's layer is unchanged after the demo job")
    check(docker.history_list.count() == 2, "both results are in the history")


def cancel_demo(doc, docker, user, original):
    before = layer_names(doc)
    projection = bytes(doc.pixelData(0, 0, W, H))
    start(docker, "Generate", "demo", "long job", 9, 500)
    spin(lambda: docker.progress.value() > 0 or "[Preview]" in layer_names(doc), 60)
    docker.cancel()
    spin(lambda: not docker.is_busy(), 60)
    check(layer_names(doc) == before, "cancel leaves the layer stack as it was: %r" % (layer_names(doc),))
    check(bytes(doc.pixelData(0, 0, W, H)) == projection, "cancel leaves every pixel as it was")
    check(docker.error.text() == "", "cancel is not reported as an error (%r)" % docker.error.text())


def refine_and_restyle(doc, docker, user, original):
    start(docker, "Refine", "demo", "red heart", 3, 8)
    spin(lambda: not docker.is_busy(), 120)
    check(node_named(doc, "[Pigment] red heart (3)") is not None,
          "Refine (image-to-image) adds its layer (error %r)" % docker.error.text())
    ref = doc.createNode("reference", "paintlayer")
    ref.setPixelData(bytes([30, 160, 220, 255]) * (16 * 16), 0, 0, 16, 16)
    ref.setVisible(False)  # a reference need not be visible
    doc.rootNode().addChildNode(ref, None)
    doc.setActiveNode(user)
    docker._refresh_references()
    docker.reference.setCurrentIndex(docker.reference.findText("reference"))
    docker.strength.setValue(1.0)
    start(docker, "Restyle", "classic", "orange", 4, 0)
    spin(lambda: not docker.is_busy(), 120)
    layer = node_named(doc, "[Pigment] orange")
    check(layer is not None, "Restyle with a reference layer adds its layer (error %r)" % docker.error.text())
    if layer is not None:
        px = bytes(layer.pixelData(SEL[0], SEL[1], SEL[2], SEL[3]))
        src = bytes(user.pixelData(SEL[0], SEL[1], SEL[2], SEL[3]))
        check(px != src, "the restyled pixels differ from the source")
    check(bytes(user.pixelData(0, 0, W, H)) == original, "the user's layer is unchanged after refine and restyle")


def other_depth_is_refused(k, win, docker, current):
    deep = k.createDocument(32, 32, "deep", "RGBA", "U16", "", 300.0)
    deep.setBatchmode(True)
    win.addView(deep)
    k.setActiveDocument(deep)
    before = layer_names(deep)
    start_ok = True
    docker.mode.setCurrentIndex(0)
    docker.generate()
    start_ok = not docker.is_busy()
    check(start_ok and "8-bit" in docker.error.text(), "a 16-bit image is refused with a clear message: %r"
          % docker.error.text())
    check(layer_names(deep) == before, "the refused image is left as it was")
    k.setActiveDocument(current)
    deep.close()


def screenshot(win, docker):
    docker.prompt.setPlainText("red heart")
    docker.mode.setCurrentIndex(0)
    docker.model.setCurrentIndex(docker.model.findText("demo"))
    app = QtWidgets.QApplication.instance()
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)
    check(win.qwindow().grab().save(os.path.join(OUT, "krita-window.png")), "window screenshot saved")
    check(docker.grab().save(os.path.join(OUT, "krita-docker.png")), "docker screenshot saved")
