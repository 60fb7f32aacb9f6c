"""The command table (vsys.commands) and the command lines that read themselves: every
command Typer lists is in the table and runs the function the table names; a usage
error prints the command's usage line and exits 2, as a person sees it."""

from __future__ import annotations

import typer.main
from test_cli_run import vsys

from vsys.app import app
from vsys.commands import COMMANDS, function


def test_the_table_and_typer_list_the_same_commands():
    assert sorted(typer.main.get_command(app).commands) == sorted(COMMANDS)


def test_every_target_names_a_function():
    for name, command in COMMANDS.items():
        assert callable(function(command.target)), name


def test_a_usage_error_prints_the_usage_line_of_the_table(tmp_path):
    r = vsys("run", "-L")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == ("vsys run: -L needs a directory\n"
                        "usage: vsys run [-L DIR]... [--debug] FILE [ARGS...]\n")
    r = vsys("shepherd", "--root", str(tmp_path), "--bogus")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == ("vsys shepherd: unknown option --bogus\nusage: vsys shepherd "
                        "[--root DIR] [--services DIR] [--daemonize] "
                        "[--container [--network=host]]\n")
    r = vsys("eval", "1", "2")
    assert (r.returncode, r.stderr.splitlines()[0]) == (
        2, "vsys eval: give the expression as one argument (quote it for the shell)")


def test_help_late_in_a_supervisor_command_prints_its_usage():
    r = vsys("binfmt", "list", "--root", "/nonexistent", "--help")
    assert (r.returncode, r.stdout, r.stderr) == (
        0, "usage: vsys binfmt match FILE [--root DIR]\n       vsys binfmt list [--root DIR]\n",
        "")


def test_options_of_a_program_after_its_file_are_the_programs(tmp_path):
    prog = tmp_path / "args.scm"
    prog.write_text("(write (cdr (command-line)))\n")
    r = vsys("run", "-L", str(tmp_path), "--debug", str(prog), "--debug", "-L", "x")
    assert (r.returncode, r.stdout, r.stderr) == (0, '("--debug" "-L" "x")', "")


def test_an_option_value_that_looks_like_help_goes_through_typer_unchanged(tmp_path):
    prog = tmp_path / "one.scm"
    prog.write_text('(display "hi")\n')
    # `-h` among the first words sends the line to Typer, which reads it as -L's value
    # and hands the words back: the program runs as without Typer.
    r = vsys("run", "-L", "-h", str(prog))
    assert (r.returncode, r.stdout, r.stderr) == (0, "hi", "")
