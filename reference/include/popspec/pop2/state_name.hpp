#pragma once
// The RFC 937 spelling of a POP2 server state ("LSTN", "AUTH", ...), for reply texts, test
// output and reports.
#include <string_view>

#include "popspec/pop2/session.hpp"

namespace popspec::pop2 {

std::string_view to_string(state s);

}  // namespace popspec::pop2
