#pragma once
// Plays a wire transcript (the client's octets) against the reference POP3 session state machine
// and checks, after every command, invariants that hold for ANY input (docs/fuzzing.md):
//   - every response is well-formed: it parses with codec::response_parser, exactly one response
//     per command, no protocol violation, status line within 512 octets;
//   - sizes announced (STAT, LIST) equal the octets RETR delivers, and RETR/TOP/UIDL deliver
//     exactly the stored message, excerpt and unique-id;
//   - a message marked by DELE is refused by every later command until RSET, and RSET restores
//     everything (marks, and RFC 1225's LAST);
//   - nothing is deleted unless DELE was followed by QUIT in TRANSACTION, and then exactly the
//     marked messages; a session without QUIT leaves the maildrop (messages, unique-ids,
//     accessed flags) unchanged; the lock is always released at the end;
//   - wrong-state, unknown and malformed commands get -ERR (RFC 1939 §3), correct credentials
//     get +OK and wrong ones -ERR.
// A violation aborts through POPSPEC_FUZZ_CHECK.
#include <string_view>

#include "popspec/pop3/session.hpp"
#include "popspec/util/faults.hpp"

namespace popspec::fuzz {

struct pop3_run_options {
  pop3::profile prof = pop3::profile::rfc1939;
  // Only for tests that prove the invariants catch known bugs (the reference's fault injection).
  fault_set faults;
};

// Feeds `transcript` through the server's line framer into a fresh session over a fresh
// session_world. A transcript that ends with a partial line is a client that went silent: the
// autologout timer fires. One that ends on a line boundary is a dropped connection.
void run_pop3_transcript(std::string_view transcript, const pop3_run_options& options = {});

}  // namespace popspec::fuzz
