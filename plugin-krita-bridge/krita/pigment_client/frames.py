"""Framing: u32 big-endian header length, UTF-8 JSON header, then the attachments' bytes in order."""
import json
import struct

MAX_HEADER_BYTES = 1 << 20


class Attachment:
    """An image or mask: format is rgba8, bgra8, gray8 or png; width/height in pixels; data bytes."""

    __slots__ = ("format", "width", "height", "data")

    def __init__(self, format, width, height, data):
        self.format = format
        self.width = int(width)
        self.height = int(height)
        self.data = bytes(data)

    def descriptor(self):
        return {"format": self.format, "width": self.width, "height": self.height, "length": len(self.data)}

    def __repr__(self):
        return "Attachment(%s %dx%d, %d bytes)" % (self.format, self.width, self.height, len(self.data))


def encode(header, attachments=()):
    """Bytes of one frame; the header's 'attachments' is set from the attachments given."""
    header = dict(header)
    if attachments:
        header["attachments"] = [a.descriptor() for a in attachments]
    body = json.dumps(header, separators=(",", ":")).encode("utf-8")
    parts = [struct.pack(">I", len(body)), body]
    parts.extend(a.data for a in attachments)
    return b"".join(parts)


def read_exactly(sock, n):
    """n bytes from the socket, or None if it closes before the first byte; raises EOFError mid-way."""
    chunks = []
    got = 0
    while got < n:
        chunk = sock.recv(min(n - got, 1 << 20))
        if not chunk:
            if got == 0:
                return None
            raise EOFError("the server closed the connection in the middle of a message")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def read(sock):
    """(header dict, [Attachment]) or None when the server closed the connection between messages."""
    raw = read_exactly(sock, 4)
    if raw is None:
        return None
    (length,) = struct.unpack(">I", raw)
    if length < 2 or length > MAX_HEADER_BYTES:
        raise EOFError("the server sent a frame header of %d bytes: not a Pigment server?" % length)
    body = read_exactly(sock, length)
    if body is None:
        raise EOFError("the server closed the connection in the middle of a message")
    header = json.loads(body.decode("utf-8"))
    attachments = []
    for d in header.get("attachments", []):
        data = read_exactly(sock, int(d["length"])) if d["length"] else b""
        if data is None:
            raise EOFError("the server closed the connection in the middle of an attachment")
        attachments.append(Attachment(d["format"], d.get("width", 0), d.get("height", 0), data))
    return header, attachments
