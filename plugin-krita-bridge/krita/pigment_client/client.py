"""A blocking client for `pigment serve`. One connection; jobs run in the server's order.

Typical use:
    with Client() as c:
        result = c.generate({"task": "text-to-image", "model": "demo", "prompt": "red heart", "seed": 1})
        open("out.png", "wb").write(result.images[0].data)
        for e in c.submit(request, previews=True, result_format="rgba8").events():
            p = e.preview()  # an Attachment (format, width, height, data) on progress events, else None

Reading is done by whoever calls next_event()/wait(); cancel() may be called from another thread.
"""
import itertools
import socket
import threading

from . import frames

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7864
PROTOCOL = 1


class PigmentError(Exception):
    """The server refused or failed something; code is the protocol's stable code (docs/protocol.md)."""

    def __init__(self, code, message, job=None):
        Exception.__init__(self, "%s: %s" % (code, message))
        self.code = code
        self.message = message
        self.job = job


class Event:
    """One server message: type ('queued', 'progress', 'result', 'error', ...), its fields and attachments."""

    __slots__ = ("type", "fields", "attachments")

    def __init__(self, fields, attachments):
        self.type = fields.get("type")
        self.fields = fields
        self.attachments = attachments

    @property
    def job(self):
        return self.fields.get("job")

    def preview(self):
        """The progress preview Attachment, or None."""
        i = self.fields.get("preview")
        return None if i is None else self.attachments[i]

    def __repr__(self):
        return "Event(%r)" % (self.fields,)


class Result:
    """A finished job: images (Attachments), their seeds, provenance texts, notes and timings."""

    def __init__(self, event):
        f = event.fields
        self.job = f["job"]
        self.images = [event.attachments[i["attachment"]] for i in f["images"]]
        self.seeds = [i["seed"] for i in f["images"]]
        self.provenance = [i.get("provenance", "") for i in f["images"]]
        self.notes = list(f.get("notes", []))
        self.timings = dict(f.get("timings", {}))


class Job:
    def __init__(self, client, job_id):
        self.client = client
        self.id = job_id

    def cancel(self):
        self.client.cancel(self.id)

    def wait(self, on_event=None, timeout=None):
        return self.client.wait(self.id, on_event, timeout)

    def events(self, timeout=None):
        """Iterates this job's events (queued, progress, ...) up to and including its result or error event."""
        return self.client.events(self.id, timeout)


class Client:
    """Connects and does the hello handshake; `hello` holds the server's capabilities."""

    def __init__(self, host=DEFAULT_HOST, port=DEFAULT_PORT, token=None, timeout=30.0, client_name="pigment_client"):
        self._ids = itertools.count(1)
        self._send_lock = threading.Lock()
        self._pending = []
        self.timeout = timeout
        try:
            self._sock = socket.create_connection((host, int(port)), timeout=timeout)
        except OSError as e:
            raise PigmentError("connect", "Cannot reach a Pigment server at %s:%s (%s). Start one with"
                               " './pigment serve'." % (host, port, e))
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        hello = {"type": "hello", "protocol": PROTOCOL, "client": client_name}
        if token:
            hello["token"] = token
        rid = self._send(hello)
        self.hello = self._reply(rid).fields

    # -- plumbing -------------------------------------------------------------------------------------------

    def _send(self, header, attachments=()):
        header = dict(header)
        rid = header.setdefault("id", next(self._ids))
        data = frames.encode(header, attachments)
        with self._send_lock:
            try:
                self._sock.sendall(data)
            except OSError as e:
                raise PigmentError("disconnected", "Lost the connection to the server: %s" % e)
        return rid

    def _read(self, timeout):
        self._sock.settimeout(timeout)
        try:
            got = frames.read(self._sock)
        except socket.timeout:
            raise PigmentError("timeout", "The server sent nothing for %s s." % timeout)
        except (OSError, EOFError, ValueError) as e:
            raise PigmentError("disconnected", "Lost the connection to the server: %s" % e)
        if got is None:
            raise PigmentError("disconnected", "The server closed the connection.")
        event = Event(*got)
        if event.type == "bye":
            raise PigmentError("shutdown", event.fields.get("reason", "The server is shutting down."))
        if event.type == "error" and event.job is None:
            # Not about a job: a refusal of a message or of the connection.
            raise PigmentError(event.fields.get("code"), event.fields.get("message"))
        return event

    def _reply(self, rid):
        while True:
            e = self._read(self.timeout)
            if e.fields.get("re") == rid:
                return e
            self._pending.append(e)

    def next_event(self, timeout=None):
        """The next job event (queued/progress/result/error) of any job on this connection."""
        if self._pending:
            return self._pending.pop(0)
        return self._read_job_event(timeout)

    def _read_job_event(self, timeout):
        while True:
            e = self._read(self.timeout if timeout is None else timeout)
            if e.job is not None:
                return e
            # else an answer to a cancel/ping sent from another thread: nothing to report

    def _take_pending(self, job_id):
        for i, e in enumerate(self._pending):
            if e.job == job_id:
                return self._pending.pop(i)
        return None

    # -- API ------------------------------------------------------------------------------------------------

    def models(self):
        """The server's models: dicts with id, name, family, tasks and recommended settings."""
        return self._reply(self._send({"type": "models"})).fields["models"]

    def ping(self):
        self._reply(self._send({"type": "ping"}))

    def submit(self, request, image=None, mask=None, references=(), previews=False, result_format="png"):
        """Queues a job. request: the GenerationRequest fields (docs/protocol.md); images are Attachments."""
        header = dict(request)
        header.update({"type": "submit", "result_format": result_format, "previews": bool(previews)})
        attachments = []
        if image is not None:
            header["image"] = len(attachments)
            attachments.append(image)
        if mask is not None:
            header["mask"] = len(attachments)
            attachments.append(mask)
        if references:
            header["references"] = list(range(len(attachments), len(attachments) + len(references)))
            attachments.extend(references)
        return Job(self, self._send(header, attachments))

    def cancel(self, job_id):
        """Asks the server to cancel a queued or running job; its end event will be an error 'cancelled'."""
        self._send({"type": "cancel", "job": job_id})

    def events(self, job_id, timeout=None):
        """Iterates job_id's events up to and including its end (a result or error event, not raised). A progress
        event's preview() is the preview image as an Attachment (format, width, height, data), or None."""
        while True:
            e = self._take_pending(job_id) or self._read_job_event(timeout)
            if e.job != job_id:
                if e.type in ("result", "error"):
                    self._pending.append(e)  # another job's end: keep it for its own wait()
                continue
            yield e
            if e.type in ("result", "error"):
                return

    def wait(self, job_id, on_event=None, timeout=None):
        """Reads events until job_id ends; returns its Result or raises PigmentError (code 'cancelled'...)."""
        for e in self.events(job_id, timeout):
            if on_event is not None:
                on_event(e)
            if e.type == "result":
                return Result(e)
            if e.type == "error":
                raise PigmentError(e.fields.get("code"), e.fields.get("message"), job_id)

    def generate(self, request, on_event=None, timeout=None, **submit_args):
        """submit + wait."""
        return self.submit(request, **submit_args).wait(on_event, timeout)

    def close(self):
        try:
            self._sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
