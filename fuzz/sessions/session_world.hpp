#pragma once
// The world one session-target input runs in: a fresh memory_store seeded with the standard
// fixture and the two default accounts. Built anew for every input, so no state leaks from one
// input to the next and every crash reproduces from its file alone.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "popspec/store/memory_store.hpp"
#include "popspec/store/user_db.hpp"

namespace popspec::fuzz {

// Fixed, so APOP digests in seeds and crash files stay valid (RFC 1939 APOP: the timestamp is
// "<process-ID.clock@hostname>"; any msg-id shape will do).
inline constexpr std::string_view fuzz_apop_timestamp = "<1896.697170952@popspec.fuzz>";

// Session targets stop feeding a transcript once the server has sent this much (every message
// of the fuzz world's maildrop several times over): longer transcripts find nothing new.
inline constexpr std::size_t session_output_budget = 64u << 10;

// The wire form of the standard fixture's messages, built once, with the 100 KB "large" message
// cut to its first 40 lines (session_world.cpp says why).
const std::vector<std::string>& standard_wires();
const std::vector<std::string>& folder_wires();

struct session_world {
  store::memory_store store;
  store::user_db users;

  // `with_folder`: also the POP2 folder `standard_folder_name` of the default user.
  // `accessed_messages`: 0-based indices of the default maildrop marked as retrieved by an
  // earlier session, so RFC 1225's LAST starts above zero.
  explicit session_world(bool with_folder, const std::vector<std::size_t>& accessed_messages = {});
};

}  // namespace popspec::fuzz
