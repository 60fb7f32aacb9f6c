"""Switching a root to a generation (reconfigure, roll-back, switch-generation): plan,
print the plan, apply it under the root's lock, print what changed; an interrupt after
the switch says what the next run completes."""

from __future__ import annotations

import os
import sys

from .activation import apply, make_plan
from .console import Progress, print_lines
from .failures import EXIT_FAILED, EXIT_OK
from .plan_text import plan_lines, summary_lines
from .root_access import keep_private
from .roots import root_label, root_lock

STEP_LABELS = ("accounts", "directories", "secrets", "links", "switch", "cleanup",
               "supervisor")


def activate(root: str, generation: str, number: int | None, dry_run: bool, restart: bool,
             supervise: bool, share_net: bool = False) -> int:
    """Plan, print, and (unless DRY_RUN) apply; the caller holds the state lock, this
    takes the root's (a dry run changes nothing, and takes none)."""
    if dry_run:
        return _activate(root, generation, number, dry_run, restart, supervise, share_net)
    warning = keep_private(root)
    if warning:
        sys.stderr.write(f"vsys: warning: {warning}\n")
    with root_lock(root):
        return _activate(root, generation, number, dry_run, restart, supervise, share_net)


def _activate(root: str, generation: str, number: int | None, dry_run: bool, restart: bool,
              supervise: bool, share_net: bool) -> int:
    plan = make_plan(root, generation, number, restart, supervise)
    plan.share_net = share_net
    before = plan.old
    if number is not None:
        label = f"{before.number if before else 'none'} -> {number} ({generation})"
    elif plan.same_generation:
        label = f"{before.number} (current; unchanged: {generation})"
    else:
        label = (f"{before.number if before else 'none'} -> a new generation ({generation})")
    if plan.noop:
        print_lines([f"root: {root_label(plan.root)}", f"generation: {label}",
                "nothing to do: the root matches its current generation"])
        return EXIT_OK
    if plan.same_generation and plan.number is None:
        plan.number = before.number   # the same system, activated again: no new number
    print_lines(plan_lines(plan, label))
    if dry_run:
        print_lines(["(dry run: nothing was changed)"])
        return EXIT_OK
    step = ["started"]

    def say(label: str) -> None:
        step[0] = label
        progress.step(label)
    try:
        with Progress(len(STEP_LABELS)) as progress:
            outcome = apply(plan, restart, say)
    except KeyboardInterrupt:
        if step[0] not in AFTER_SWITCH or not _is_current(plan):
            raise                   # before the switch: the previous generation stays
        number = plan.profile.current().number
        was = f" (previously {before.number})" if before is not None else ""
        told = "" if step[0] == "supervisor" or plan.services.supervisor == "skipped" \
            else " (the supervisor was not given the new services yet: it runs the old ones)"
        sys.stderr.write(f"vsys: switched to generation {number}{was}; interrupted while "
                         f"{AFTER_SWITCH[step[0]]}{told}\n")
        return 130
    print_lines(summary_lines(plan, outcome, before))
    return EXIT_FAILED if outcome.failures else EXIT_OK


# What an interrupt during each step after the switch leaves to finish.
AFTER_SWITCH = {
    "switch": "recording the switch: the next `vsys reconfigure` completes it",
    "cleanup": "removing what the previous generation had and this one has not: the "
               "next `vsys reconfigure` completes that",
    "supervisor": "handing the new services to the supervisor: the supervisor finishes "
                  "starting, restarting and stopping them on its own (`vsys herd status` "
                  "shows how that goes)",
}


def _is_current(plan) -> bool:
    current = plan.profile.current()
    return current is not None and os.path.realpath(current.path) == \
        os.path.realpath(plan.new_path)
