"""pigment_client: the copy installed beside the plugin (the zip vendors it inside this package), else one on sys.path."""
try:
    from .pigment_client import Attachment, Client, PigmentError  # noqa: F401
except ImportError:
    from pigment_client import Attachment, Client, PigmentError  # noqa: F401
