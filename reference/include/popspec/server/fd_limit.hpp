#pragma once
// The process's open-file limit: raised so that 1000+ concurrent connections fit.
#include <cstdint>

namespace popspec::server {

// Raises the RLIMIT_NOFILE soft limit to the hard limit. Returns the soft limit now in force
// (unchanged when it could not be raised).
std::uint64_t raise_open_file_limit();

}  // namespace popspec::server
