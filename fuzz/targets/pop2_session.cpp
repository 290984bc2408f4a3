// A whole POP2 session (RFC 937) on the reference state machine over an in-memory store holding
// the standard fixture and its "archive" folder. The input is the client's side of the wire
// transcript: CRLF-separated command lines. Every reply is checked against the invariants listed
// in support/pop2_transcript.hpp.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sessions/pop2_transcript.hpp"
#include "sessions/session_mutator.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  popspec::fuzz::run_pop2_transcript(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}

POPSPEC_FUZZ_LINE_MUTATOR(popspec::fuzz::pop2_vocabulary())
