"""Test-only Krita plugin: when PIGMENT_E2E_OUT is set, drives the real Pigment docker once a window exists."""
import os

if os.environ.get("PIGMENT_E2E_OUT"):
    from krita import Krita

    from . import driver

    Krita.instance().notifier().setActive(True)
    Krita.instance().notifier().windowCreated.connect(driver.schedule)
