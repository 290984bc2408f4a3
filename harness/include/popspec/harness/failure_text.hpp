#pragma once
// The failure block `popspec run` prints for a scenario that failed, timed out or erred: what a
// person needs to act on it without opening anything else.
//
//   FAIL pop3/rfc1939/retr/deleted-message: step 3 (RETR 1): status is "+OK", expected -ERR
//     requirement POP3-1939-RETR.3 (MUST): RETR for a deleted or non-existent message gets -ERR.
//     at scenarios/pop3/rfc1939/retr.json:14:9
//     expected: status -ERR
//     actual:   "+OK 120 octets" with 5 data lines (120 octets)
//     last lines of the transcript: ...
#include <cstddef>
#include <string>

#include "popspec/harness/results.hpp"

namespace popspec::harness {

std::string format_failure(const scenario_result& r, const std::string& scenario_root_display,
                           std::size_t transcript_lines = 8);

}  // namespace popspec::harness
