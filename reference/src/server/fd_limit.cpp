#include "popspec/server/fd_limit.hpp"

#include <sys/resource.h>

namespace popspec::server {

std::uint64_t raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0)
      return static_cast<std::uint64_t>(raised.rlim_cur);
  }
  return static_cast<std::uint64_t>(limit.rlim_cur);
}

}  // namespace popspec::server
