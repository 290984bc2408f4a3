#!/bin/sh
# Restores the standard fixture (docs/fixture.md) in a Maildir server's mail directory: popspec's
# 7 messages for "popspec" and an empty Maildir for "popspec2". Used once before the run and, as
# `popspec run --reset-command`, before every destructive scenario.
#   Usage: reset-maildrops.sh POPSPEC MAIL_ROOT [OWNER[:GROUP]]
# The new maildrops are written beside the old ones and renamed into place, so a server never
# sees half a fixture. Dovecot keeps its index and UID list inside the Maildir, so they go too
# (the next session sees new unique-ids, which is fine: only uniqueness and stability within one
# fixture are checked).
set -eu
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 POPSPEC MAIL_ROOT [OWNER[:GROUP]]" >&2
  exit 2
fi
popspec=$1
root=$2
owner=${3:-}

mkdir -p "$root"
staging=$(mktemp -d "$root/.reset.XXXXXX")
trap 'rm -rf "$staging"' EXIT
"$popspec" fixture --format maildir --out "$staging" >/dev/null
mkdir -p "$staging/popspec2/cur" "$staging/popspec2/new" "$staging/popspec2/tmp"
if [ -n "$owner" ]; then
  chown -R "$owner" "$staging/popspec" "$staging/popspec2"
fi
for user in popspec popspec2; do
  # A server process still finishing an earlier session may recreate the directory between the
  # rm and the rename: try again rather than nest one maildrop inside the other (mv -T).
  tries=0
  until rm -rf "$root/$user" && mv -T "$staging/$user" "$root/$user" 2>/dev/null; do
    tries=$((tries + 1))
    if [ "$tries" -ge 20 ]; then
      echo "$0: cannot replace $root/$user" >&2
      exit 1
    fi
    sleep 0.1
  done
done
