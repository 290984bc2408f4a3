#pragma once
// Name checks shared by every store: a user or mailbox name is checked before it can reach the
// file system, so "../x" or "a/b" can never name a path outside the maildrops directory.
// (is_safe_name itself is declared in store.hpp.)
#include <string_view>

namespace popspec::store {

// True when `name` may name a POP2 mailbox (folder) of a user: like is_safe_name, but inner
// single or repeated spaces are allowed (RFC 937 FOLD names are strings that may contain spaces).
// Non-empty, at most 64 octets, only [A-Za-z0-9._+-@ ], no leading '.' and no leading or
// trailing space, and never "..", so the name is always one harmless path component.
bool is_safe_mailbox_name(std::string_view name);

}  // namespace popspec::store
