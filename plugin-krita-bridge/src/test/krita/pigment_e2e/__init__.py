"""Test-only Krita plugin: when PIGMENT_E2E_OUT is set, drives the real Pigment docker once a window exists.

Krita imports plugins off the GUI thread, so nothing here starts a timer at import: the Extension's
createActions(window) runs on the GUI thread when the window is made, and starts the driver from there.
"""
import os

if os.environ.get("PIGMENT_E2E_OUT"):
    from krita import Extension, Krita

    from . import driver

    class DriverExtension(Extension):
        def setup(self):
            pass

        def createActions(self, window):
            driver.log("window created")
            driver.wait_for_window()

    driver.log("plugin imported")
    Krita.instance().addExtension(DriverExtension(Krita.instance()))
