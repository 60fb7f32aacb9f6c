"""The `box` fixture: a sandbox root with its own state directory, driven through
`vsys`, its container ended afterwards (support.containerbox)."""

from support.containerbox import box  # noqa: F401
