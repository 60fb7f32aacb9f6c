"""What a config file sees: the service model, the operating system, packages, gexps and
the Guix-named modules that hold them.  Importing this package only declares the modules
(see guix_modules); each is built the first time a config imports it."""

from .guix_modules import config_module, register_all

register_all()

__all__ = ["config_module", "register_all"]
