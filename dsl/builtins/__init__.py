"""The core procedure library, written in Python, behaving as Guile 3.0's.

Importing this package registers every procedure in the Guile module that has it:
`(guile)` for the core, `(srfi srfi-1)`, `(srfi srfi-13)`, `(srfi srfi-43)`,
`(srfi srfi-69)`, `(rnrs bytevectors)`, `(scheme base)`, `(ice-9 rdelim)`...
The order matters where a file re-exports procedures another one defines.
"""

# The order matters: a later file re-exports what an earlier one defined.
# isort: skip_file

from . import numbers, predicates, chars, charsets, strings, srfi19  # noqa: F401
from . import read_options  # noqa: F401
from . import lists, vectors, bytevectors, hashtables, ports, misc, regex, pretty  # noqa: F401
from . import fileports  # noqa: F401
from . import posix, hooks, r7rs_procedures, binary_ports, rdelim_buffers  # noqa: F401
from . import filesystem, processes, locales  # noqa: F401
from . import arrays, bitvectors, srfi4, random_states, print_options  # noqa: F401
from . import truncated_print, autoloads  # noqa: F401
