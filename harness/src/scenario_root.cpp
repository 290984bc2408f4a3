#include "popspec/harness/scenario_root.hpp"

#include <cstdlib>
#include <system_error>

namespace popspec::harness {

std::filesystem::path default_scenario_root() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("POPSPEC_SCENARIOS"); env && *env) return env;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const fs::path& candidate :
         {exe.parent_path() / ".." / ".." / "scenarios",
          exe.parent_path() / ".." / "share" / "popspec" / "scenarios"}) {
      if (fs::is_regular_file(candidate / "requirements.json", ec))
        return candidate.lexically_normal();
    }
  }
  // This file is harness/src/scenario_root.cpp: two levels below the source root.
  return (fs::path(__FILE__).parent_path() / ".." / ".." / "scenarios").lexically_normal();
}

}  // namespace popspec::harness
