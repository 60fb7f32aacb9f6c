"""vsys: Guix-style declarative virtualization services on an ordinary Linux host."""

__version__ = "0.1.0"
