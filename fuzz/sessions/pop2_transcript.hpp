#pragma once
// Plays a wire transcript (the client's octets) against the reference POP2 session state machine
// (RFC 937) and checks, after every command, invariants that hold for ANY input
// (docs/fuzzing.md):
//   - every reply is one well-formed reply line (codec::parse_pop2_reply) of the kind the server
//     decision table prescribes (#nnn for HELO/FOLD, =ccc for READ/ACKS/ACKD/NACK, + for QUIT),
//     and anything else ("other", a command in the wrong state, a bad HELO) is "-" and a close;
//   - =ccc is the stored size of the current message, 0 for a missing or ACKD-marked one, and
//     RETR sends exactly those ccc octets, the stored message, with no stuffing or terminator;
//   - ACKD deletions happen only when the mailbox is released by QUIT or FOLD, exactly the marked
//     messages; a session that ends any other way (garbage, timeout, drop) changes nothing;
//     locks are released at the end.
// A violation aborts through POPSPEC_FUZZ_CHECK.
#include <string_view>

#include "popspec/util/faults.hpp"

namespace popspec::fuzz {

struct pop2_run_options {
  // Only for tests that prove the invariants catch known bugs (the reference's fault injection).
  fault_set faults;
};

// Feeds `transcript` through the server's line framer into a fresh session over a fresh
// session_world (default maildrop and the "archive" folder). A transcript that ends with a
// partial line is a client that went silent (the server's timeout fires); one that ends on a
// line boundary is a dropped connection.
void run_pop2_transcript(std::string_view transcript, const pop2_run_options& options = {});

}  // namespace popspec::fuzz
