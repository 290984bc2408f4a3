// A whole POP3 session (RFC 1225 profile: LAST, no UIDL/APOP/CAPA) on the reference state machine
// over an in-memory maildrop holding the standard fixture. The input is the client's side of the
// wire transcript: CRLF-separated command lines, so a crash file reads like a session log. Every
// response is checked against the invariants listed in support/pop3_transcript.hpp.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sessions/pop3_transcript.hpp"
#include "sessions/session_mutator.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  popspec::fuzz::run_pop3_transcript(std::string_view(reinterpret_cast<const char*>(data), size),
                                     {popspec::pop3::profile::rfc1225, {}});
  return 0;
}

POPSPEC_FUZZ_LINE_MUTATOR(popspec::fuzz::pop3_vocabulary())
