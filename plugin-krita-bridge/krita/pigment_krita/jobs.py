"""Runs one job off the UI thread: a Python thread talks to the server and puts events on a queue that the
docker drains with a QTimer, so Krita never waits on the network."""
import queue
import threading

from .client_import import Client, PigmentError


class JobRunner:
    def __init__(self, host, port, token, request, attachments, timeout=600.0):
        self.events = queue.Queue()
        self._host, self._port, self._token = host, port, token
        self._request, self._attachments, self._timeout = request, attachments, timeout
        self._job = None
        self._cancelled = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pigment-job", daemon=True)

    def start(self):
        self._thread.start()
        return self

    def cancel(self):
        self._cancelled.set()
        job = self._job
        if job is not None:
            try:
                job.cancel()
            except PigmentError:
                pass  # the connection is gone; the job ends on the server by itself

    def _run(self):
        try:
            with Client(self._host, self._port, self._token, timeout=self._timeout, client_name="pigment_krita") as c:
                self._job = c.submit(self._request, previews=True, result_format="bgra8", **self._attachments)
                if self._cancelled.is_set():
                    self._job.cancel()
                result = self._job.wait(lambda e: self.events.put(("event", e)))
                self.events.put(("result", result))
        except PigmentError as e:
            self.events.put(("error", e))
        except Exception as e:  # a bug must still end the job visibly, not hang the docker
            self.events.put(("error", PigmentError("runtime", "internal error in the plugin: %r" % (e,))))


def fetch_models(host, port, token, done):
    """Calls done(models or PigmentError) from a thread; the docker hands the answer to the UI thread."""
    def run():
        try:
            with Client(host, port, token, timeout=10.0, client_name="pigment_krita") as c:
                done(c.hello["models"])
        except PigmentError as e:
            done(e)

    threading.Thread(target=run, name="pigment-models", daemon=True).start()
