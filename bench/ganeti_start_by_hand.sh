#!/bin/sh
# The Ganeti node's daemons started the plain Debian way: Ganeti's own daemon-util
# start-all (ensure-dirs, then start-stop-daemon for each daemon as its user), with the
# system's /etc/default/ganeti left out so that nothing goes through vsys's supervisor.
# Run inside the node's container: vsys exec -- sh < bench/ganeti_start_by_hand.sh
set -e
SYSCONFDIR=/nonexistent /usr/lib/ganeti/daemon-util start-all
