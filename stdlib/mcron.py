"""(gnu services mcron): periodic jobs run by GNU mcron.

Services extend `mcron-service-type` with job gexps, `#~(job SCHEDULE COMMAND ...)` as
mcron's own Scheme job files spell them: SCHEDULE is a Vixie cron string ("45 1 * * *")
or an mcron time expression ('(next-minute (range 0 60 5))), COMMAND a shell command
string or a gexp procedure.  Each job becomes one job file; the `mcron` Shepherd service
runs mcron on all of them.
"""

from __future__ import annotations

from typing import Any

from vsys.dsl.datatypes import NIL, Keyword, Pair, Symbol, from_list, is_string, pystr, to_list
from vsys.dsl.records import Record

from .configuration import configuration, field, install_configurations
from .field_types import BOOLEAN, GEXP_LIST, PACKAGE, STRING, STRING_OR_FALSE
from .files import file_append, scheme_file
from .gexp import Gexp, gexp
from .services import ServiceExtension, ServiceType, concatenate
from .shepherd import forkexec, kill_destructor, shepherd_root_service_type, shepherd_service
from .system_services import profile_service_type

MODULE_NAME = "(gnu services mcron)"

MCRON_CONFIGURATION = configuration("mcron-configuration", MODULE_NAME, [
    field("mcron", PACKAGE, package="mcron",
          doc="The mcron package to use."),
    field("jobs", GEXP_LIST, NIL,
          doc="The jobs to run: gexps of mcron job specifications, such as "
              "#~(job \"5 0 * * *\" \"updatedb\")."),
    field("log?", BOOLEAN, True, doc="Whether mcron logs the jobs it runs."),
    field("log-file", STRING, "/var/log/mcron.log", doc="Where mcron writes its log."),
    field("log-format", STRING, "~1@*~a ~a: ~a~%",
          doc="The (ice-9 format) string of each log line."),
    field("date-format", STRING_OR_FALSE,
          False, doc="The SRFI-19 format of the dates in the log, or #f for the default."),
], doc="The configuration of GNU mcron, the job scheduler.")


def _schedule_code(schedule: Any) -> Any:
    """A Vixie string as is; an mcron time expression quoted, as mcron evaluates it."""
    if is_string(schedule):
        return pystr(schedule)
    if isinstance(schedule, (list, tuple)):
        schedule = from_list(list(schedule))
    if type(schedule) is Pair:
        return from_list([Symbol("quote"), schedule])
    return schedule


def mcron_job(schedule: Any, command: Any, name: str | None = None,
              user: str | None = None) -> Gexp:
    """`#~(job SCHEDULE COMMAND [NAME] [#:user USER])`.  COMMAND is a shell command
    string, a list of strings and file-likes (joined with `string-append`), or a gexp
    (a procedure of no arguments); NAME is what mcron shows for the job."""
    if isinstance(command, (list, tuple)):
        command = Pair(Symbol("string-append"), from_list(list(command)))
    code: list = [Symbol("job"), _schedule_code(schedule), command]
    if name is not None:
        code.append(name)
    if user is not None:
        code += [Keyword("user"), user]
    return gexp(from_list(code))


def job_files(config: Record) -> list:
    return [scheme_file("mcron-job", job) for job in to_list(config["jobs"])]


def mcron_shepherd_services(config: Record) -> Any:
    files = job_files(config)
    if not files:
        return NIL        # nothing to schedule: no mcron process (as Guix does)
    argv: list = [file_append(config["mcron"], "/bin/mcron")]
    if config["log?"]:
        argv += ["--log", "--log-format", pystr(config["log-format"])]
        if config["date-format"] is not False:
            argv += ["--date-format", pystr(config["date-format"])]
    argv += files
    return from_list([shepherd_service(
        provision=["mcron"], requirement=["user-processes"],
        documentation="Run the mcron job scheduler.",
        start=forkexec(argv, log_file=pystr(config["log-file"])),
        stop=kill_destructor())])


def _extend(config: Record, jobs: Any) -> Record:
    return MCRON_CONFIGURATION.make(
        {"jobs": from_list(to_list(config["jobs"]) + to_list(jobs))}, inherit=config)


mcron_service_type = ServiceType("mcron", [
    ServiceExtension(shepherd_root_service_type, mcron_shepherd_services),
    ServiceExtension(profile_service_type, lambda c: from_list([c["mcron"]])),
], concatenate, _extend, MCRON_CONFIGURATION.make(),
    "Run GNU mcron, which runs jobs at scheduled times.  Services extend it with job "
    "gexps, #~(job SCHEDULE COMMAND).", module=MODULE_NAME)


def install(module) -> None:
    install_configurations(module, MODULE_NAME)
    module.define(Symbol("mcron-service-type"), mcron_service_type, True)


__all__ = ["mcron_service_type", "mcron_job", "MCRON_CONFIGURATION", "job_files"]
