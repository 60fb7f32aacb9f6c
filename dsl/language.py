"""The whole core language in one import: every module that declares special forms,
builtins or library modules, in the order they are declared (where two declare the
same name in one module, the later one wins).  Nothing below imports this module; the
front door (dsl.api) does, so the modules it lists depend on the core, never the
reverse."""

# The order is the order of declaration: where two modules declare one name, the
# later wins.
# isort: skip_file

from . import forms, syntax_rules, records, record_procedures, match  # noqa: F401
from . import module_forms, cut, fluids, setters  # noqa: F401
from . import control, exceptions, exception_types, guardians  # noqa: F401
from . import builtins  # noqa: F401
from . import guile_forms, srfi9_gnu  # noqa: F401
from . import portability  # noqa: F401
from . import case_lambda_star, local_eval, syntax_parameters, dynamic_states  # noqa: F401
from . import module_api, stacks, syntax_case  # noqa: F401
from . import r7rs  # noqa: F401  (last: it shares what the others defined)
from . import guile_modules

_installed = False


def install() -> None:
    """Make the library modules that re-export core bindings (once)."""
    global _installed
    if not _installed:
        guile_modules.install()
        _installed = True
