"""`vsys image`: a bootable x86_64 disk of an operating-system, for the VMs vsys runs.

The disk is Debian (mmdebstrap from the host's own package sources) with Debian's kernel,
EXTLINUX, vsys itself, and the system of the config activated into it; at boot systemd starts
vsys's supervisor for `/`, which runs the system's services.  Results are cached by the
hash of their inputs: the Debian base (packages and sources) and the image (base, the
guest system whichever file it is written in, vsys, size).  A build VM whose `image` is an
operating-system gets its image at reconfigure (vm_images.py).
"""
