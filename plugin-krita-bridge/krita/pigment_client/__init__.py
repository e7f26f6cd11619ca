"""Pigment bridge client: stdlib only, Python 3.8+. Protocol: docs/protocol.md (version 1)."""
from .client import Client, Job, Result, Event, PigmentError, DEFAULT_HOST, DEFAULT_PORT
from .frames import Attachment

__all__ = ["Client", "Job", "Result", "Event", "PigmentError", "Attachment", "DEFAULT_HOST", "DEFAULT_PORT"]
__version__ = "0.1"
