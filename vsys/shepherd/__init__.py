"""The supervisor (`vsys shepherd`) and its client (`vsys herd`).

Kept free of imports so that the client starts fast: each submodule imports only
what it needs."""
