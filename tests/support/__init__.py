"""What the tests share, in one place: the repository's paths (paths), the `vsys` command
run as a person runs it (cli), a private state directory and root driven through it
(world), the same in a container (containerbox), and small file helpers (files)."""
