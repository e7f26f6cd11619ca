"""The one place that imports Qt: PyQt6 under Krita 6, PyQt5 under Krita 5. Every other module imports from here.

The binding must be the one the host Krita runs on (both may be installed, and mixing them breaks every widget),
so the choice follows the binding already loaded, then Krita's major version; PIGMENT_QT_API=5|6 forces it (tests).
"""
import os
import sys


def _major():
    forced = os.environ.get("PIGMENT_QT_API")
    if forced in ("5", "6"):
        return int(forced)
    for major in (6, 5):
        if "PyQt%d.QtCore" % major in sys.modules:
            return major
    try:
        from krita import Krita
        return 6 if Krita.instance().version().startswith("6") else 5
    except ImportError:
        return None


QT_MAJOR = _major()
if QT_MAJOR is None:
    try:
        import PyQt5  # noqa: F401
        QT_MAJOR = 5
    except ImportError:
        QT_MAJOR = 6
if QT_MAJOR == 6:
    from PyQt6 import QtCore, QtGui, QtWidgets  # noqa: F401
else:
    from PyQt5 import QtCore, QtGui, QtWidgets  # noqa: F401

Qt = QtCore.Qt
QTimer = QtCore.QTimer
QImage = QtGui.QImage

# Enum spellings that differ between the two (PyQt6 wants the scoped names).
if QT_MAJOR == 6:
    FORMAT_ARGB32 = QImage.Format.Format_ARGB32
    IGNORE_ASPECT = Qt.AspectRatioMode.IgnoreAspectRatio
    FAST_TRANSFORM = Qt.TransformationMode.FastTransformation
    ITEM_USER_ROLE = Qt.ItemDataRole.UserRole
    PASSWORD_ECHO = QtWidgets.QLineEdit.EchoMode.Password
else:
    FORMAT_ARGB32 = QImage.Format_ARGB32
    IGNORE_ASPECT = Qt.IgnoreAspectRatio
    FAST_TRANSFORM = Qt.FastTransformation
    ITEM_USER_ROLE = Qt.UserRole
    PASSWORD_ECHO = QtWidgets.QLineEdit.Password


def scale_bgra(data, width, height, to_width, to_height):
    """BGRA bytes scaled with Qt (used for the live preview); returns bytes of to_width*to_height*4."""
    img = QImage(bytes(data), width, height, width * 4, FORMAT_ARGB32)
    scaled = img.scaled(to_width, to_height, IGNORE_ASPECT, FAST_TRANSFORM).convertToFormat(FORMAT_ARGB32)
    bits = scaled.constBits()
    size = scaled.sizeInBytes() if hasattr(scaled, "sizeInBytes") else scaled.byteCount()
    if QT_MAJOR == 5:
        bits.setsize(size)
        raw = bytes(bits)
    else:
        raw = bits.asstring(size)
    stride = scaled.bytesPerLine()
    if stride == to_width * 4:
        return raw
    return b"".join(raw[y * stride:y * stride + to_width * 4] for y in range(to_height))
