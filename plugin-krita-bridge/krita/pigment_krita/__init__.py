"""Pigment for Krita: a docker that sends the canvas to a local `pigment serve` and brings results back as layers."""
from krita import DockWidgetFactory, DockWidgetFactoryBase, Krita

from .docker import PigmentDocker

DOCKER_ID = "pigment_docker"

Krita.instance().addDockWidgetFactory(
    DockWidgetFactory(DOCKER_ID, DockWidgetFactoryBase.DockRight, PigmentDocker))
