"""Pigment for Krita: a docker that sends the canvas to a local `pigment serve` and brings results back as layers."""
try:
    from krita import DockWidgetFactory, DockWidgetFactoryBase, Krita
except ImportError:  # imported outside Krita (the plugin's own unit tests): nothing to register
    Krita = None

DOCKER_ID = "pigment_docker"

if Krita is not None:
    from .docker import PigmentDocker

    Krita.instance().addDockWidgetFactory(
        DockWidgetFactory(DOCKER_ID, DockWidgetFactoryBase.DockRight, PigmentDocker))
