"""Builders: from an operating-system's folded services to the artifacts of a system
generation (configuration files, runner specs, binfmt entries, jobs, accounts,
activation steps, the profile).  Pure: values in, store items out (in memory); nothing
here writes to the host.  `build_system` (system.py) is the entry point."""

from .system import Build, build_system

__all__ = ["Build", "build_system"]
