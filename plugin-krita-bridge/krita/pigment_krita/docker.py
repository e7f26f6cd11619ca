"""The Pigment docker: the form, the job's life on the canvas, and this session's history."""
import queue
import random

from krita import DockWidget, Krita

from . import canvas, geometry, jobs
from .client_import import Attachment, PigmentError
from .qt import ITEM_USER_ROLE, PASSWORD_ECHO, QTimer, QtWidgets, scale_bgra

MODES = [("Generate", "text-to-image"), ("Refine", "image-to-image"), ("Inpaint", "inpaint"), ("Restyle", "restyle")]
START_HINT = "Start a local server in a terminal: ./pigment serve"


class PigmentDocker(DockWidget):
    def __init__(self):
        super().__init__()
        self.setWindowTitle("Pigment")
        self.runner = None
        self.active = None  # (doc, crop, mask, prompt, preview, above) of the running job
        self.history = []
        self.models_inbox = queue.Queue()
        self._build()
        self.timer = QTimer(self)
        self.timer.setInterval(30)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    # -- form -----------------------------------------------------------------------------------------------

    def _build(self):
        w = QtWidgets.QWidget(self)
        form = QtWidgets.QFormLayout(w)
        self.server = QtWidgets.QLineEdit("127.0.0.1:7864")
        self.server.setToolTip(START_HINT)
        self.connect_button = QtWidgets.QPushButton("Connect")
        self.connect_button.clicked.connect(self.refresh_models)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.server)
        row.addWidget(self.connect_button)
        form.addRow("Server", row)
        self.token = QtWidgets.QLineEdit()
        self.token.setEchoMode(PASSWORD_ECHO)
        self.token.setPlaceholderText("only for a server started with --token")
        form.addRow("Token", self.token)
        self.state = QtWidgets.QLabel("Not connected. " + START_HINT)
        self.state.setWordWrap(True)
        form.addRow(self.state)
        self.mode = QtWidgets.QComboBox()
        self.mode.addItems([m[0] for m in MODES])
        form.addRow("Mode", self.mode)
        self.prompt = QtWidgets.QPlainTextEdit()
        self.prompt.setMaximumHeight(60)
        form.addRow("Prompt", self.prompt)
        self.negative = QtWidgets.QLineEdit()
        form.addRow("Negative", self.negative)
        self.model = QtWidgets.QComboBox()
        self.model.addItems(["demo", "classic"])
        form.addRow("Model", self.model)
        self.strength = QtWidgets.QDoubleSpinBox()
        self.strength.setRange(0.0, 1.0)
        self.strength.setSingleStep(0.05)
        self.strength.setValue(0.6)
        form.addRow("Strength", self.strength)
        self.steps = QtWidgets.QSpinBox()
        self.steps.setRange(0, 500)
        self.steps.setSpecialValueText("model default")
        form.addRow("Steps", self.steps)
        self._build_seed(form)
        self._build_selection(form)
        self.reference = QtWidgets.QComboBox()
        form.addRow("Reference", self.reference)
        self.layer_only = QtWidgets.QCheckBox("read the active layer only (else the visible image)")
        form.addRow(self.layer_only)
        self._build_run(form)
        self.setWidget(w)

    def _build_seed(self, form):
        self.seed = QtWidgets.QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.random_seed = QtWidgets.QCheckBox("random")
        self.random_seed.setChecked(True)
        self.used_seed = QtWidgets.QLabel("")
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.seed)
        row.addWidget(self.random_seed)
        row.addWidget(self.used_seed)
        form.addRow("Seed", row)

    def _build_selection(self, form):
        """Grow and feather with krita-ai-diffusion's defaults; the feather fades inwards (the core does it)."""
        self.grow = QtWidgets.QSpinBox()
        self.grow.setRange(0, 256)
        self.grow.setSuffix(" px")
        self.grow.setValue(geometry.GROW)
        self.grow.setToolTip("Widens the selection before the job; the grown selection is the hard limit.")
        form.addRow("Grow", self.grow)
        self.feather = QtWidgets.QSpinBox()
        self.feather.setRange(-1, geometry.MAX_FEATHER)
        self.feather.setSuffix(" px")
        self.feather.setSpecialValueText("auto (10% of the selection)")
        self.feather.setValue(-1)
        self.feather.setToolTip("Inpaint: softens the seam inwards; nothing outside the selection changes.")
        form.addRow("Feather", self.feather)

    def _build_run(self, form):
        self.generate_button = QtWidgets.QPushButton("Generate")
        self.generate_button.clicked.connect(self.generate)
        self.cancel_button = QtWidgets.QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.generate_button)
        row.addWidget(self.cancel_button)
        form.addRow(row)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, 100)
        form.addRow(self.progress)
        self.error = QtWidgets.QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b")
        form.addRow(self.error)
        self.history_list = QtWidgets.QListWidget()
        self.history_list.itemDoubleClicked.connect(self.reapply)
        form.addRow("History", self.history_list)

    def canvasChanged(self, canvas_):
        self._refresh_references()

    def _refresh_references(self):
        doc = Krita.instance().activeDocument()
        current = self.reference.currentText()
        self.reference.clear()
        if doc is not None:
            self.reference.addItems(canvas.paint_layer_names(doc))
            i = self.reference.findText(current)
            if i >= 0:
                self.reference.setCurrentIndex(i)

    def address(self):
        host, _, port = self.server.text().strip().rpartition(":")
        try:
            return host or "127.0.0.1", int(port)
        except ValueError:
            raise canvas.CanvasError("The server address '%s' is not host:port." % self.server.text())

    def refresh_models(self):
        try:
            host, port = self.address()
        except canvas.CanvasError as e:
            self.error.setText(str(e))
            return
        self.state.setText("Connecting to %s:%d..." % (host, port))
        jobs.fetch_models(host, port, self.token.text().strip() or None, self.models_inbox.put)

    # -- a job ----------------------------------------------------------------------------------------------

    def is_busy(self):
        return self.runner is not None

    def request(self):
        task = MODES[self.mode.currentIndex()][1]
        seed = random.randrange(2**31) if self.random_seed.isChecked() else self.seed.value()
        r = {"task": task, "model": self.model.currentText(), "prompt": self.prompt.toPlainText().strip(),
             "negative": self.negative.text(), "seed": seed}
        if self.steps.value() > 0:
            r["steps"] = self.steps.value()
        if task in ("image-to-image", "restyle"):
            r["strength"] = self.strength.value()
        return r

    def generate(self):
        if self.is_busy():
            return
        self.error.setText("")
        try:
            doc = Krita.instance().activeDocument()
            request = self.request()
            feather = self.feather.value()
            crop, mask, feather = canvas.context(doc, request["task"], self.grow.value(),
                                                 None if feather < 0 else feather)
            if request["task"] == "inpaint":
                request["feather"] = feather
            attachments = self._attachments(doc, request, crop, mask)
            host, port = self.address()
        except (canvas.CanvasError, PigmentError) as e:
            self.error.setText(str(e))
            return
        above = canvas.result_anchor(doc.activeNode())
        self.active = (doc, crop, mask, request["prompt"], canvas.Preview(doc, crop, above), above)
        self.runner = jobs.JobRunner(host, port, self.token.text().strip() or None, request, attachments).start()
        self.generate_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setValue(0)

    def _attachments(self, doc, request, crop, mask):
        task = request["task"]
        if task == "text-to-image":
            request["width"], request["height"] = crop.width, crop.height
            return {}
        source = "layer" if self.layer_only.isChecked() else "projection"
        out = {"image": Attachment("bgra8", crop.width, crop.height, canvas.read_pixels(doc, crop, source))}
        if task == "inpaint":
            out["mask"] = Attachment("gray8", crop.width, crop.height, mask)
        if task == "restyle":
            if not self.reference.currentText():
                raise canvas.CanvasError("Restyle copies the look of a reference layer: pick one.")
            data, w, h = canvas.read_layer(doc, self.reference.currentText())
            out["references"] = [Attachment("bgra8", w, h, data)]
        return out

    def cancel(self):
        if self.runner is not None:
            self.runner.cancel()
            self.state.setText("Cancelling...")

    def _poll(self):
        while not self.models_inbox.empty():
            self._models_arrived(self.models_inbox.get())
        if self.runner is None:
            return
        try:
            while True:
                kind, payload = self.runner.events.get_nowait()
                if kind == "event":
                    self._on_event(payload)
                elif kind == "result":
                    self._finish(payload, None)
                    return
                else:
                    self._finish(None, payload)
                    return
        except queue.Empty:
            pass

    def _on_event(self, e):
        if e.type == "queued":
            self.state.setText("Queued (%d ahead)" % e.fields["position"])
        elif e.type == "progress":
            f = e.fields
            self.state.setText("%s %d/%d" % (f["phase"], f["step"], f["total"]))
            self.progress.setValue(int(100 * f["step"] / f["total"]) if f["total"] else 0)
            p = e.preview()
            if p is not None and self.active is not None:
                doc, crop, mask, _, preview, _ = self.active
                data = scale_bgra(p.data, p.width, p.height, crop.width, crop.height)
                preview.show(geometry.mask_alpha(data, mask, crop.width, crop.height) if mask else data)

    def _finish(self, result, error):
        doc, crop, mask, prompt, preview, above = self.active
        preview.remove()
        self.runner, self.active = None, None
        self.generate_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setValue(0)
        if error is not None:
            self.state.setText("Cancelled: the image is as it was." if error.code == "cancelled" else "Failed.")
            if error.code != "cancelled":
                self.error.setText(str(error))
            return
        img, seed = result.images[0], result.seeds[0]
        data = img.data if mask is None else geometry.mask_alpha(img.data, mask, crop.width, crop.height)
        name = geometry.layer_name(prompt, seed)
        canvas.add_layer(doc, name, data, crop, canvas.result_anchor(above))
        self.used_seed.setText("used %d" % seed if seed >= 0 else "")
        self.state.setText("Done: %s" % name)
        self.history.append((name, data, crop))
        item = QtWidgets.QListWidgetItem(name[len("[Pigment] "):] if prompt else name)
        item.setData(ITEM_USER_ROLE, len(self.history) - 1)
        self.history_list.addItem(item)

    def reapply(self, item):
        """Adds a history entry again as a new layer in the active document."""
        name, data, crop = self.history[item.data(ITEM_USER_ROLE)]
        doc = Krita.instance().activeDocument()
        if doc is None or doc.width() < crop.x + crop.width or doc.height() < crop.y + crop.height:
            self.error.setText("That result does not fit this image.")
            return
        canvas.add_layer(doc, name, data, crop, canvas.result_anchor(doc.activeNode()))

    def _models_arrived(self, models):
        if isinstance(models, PigmentError):
            self.state.setText("Not connected: %s. %s" % (models.message, START_HINT))
            return
        current = self.model.currentText()
        self.model.clear()
        self.model.addItems([m["id"] for m in models])
        i = self.model.findText(current)
        self.model.setCurrentIndex(max(0, i))
        self.state.setText("Connected: %d models." % len(models))
