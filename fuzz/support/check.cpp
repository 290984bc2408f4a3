#include "support/check.hpp"

#include <cstdio>
#include <cstdlib>

#include "popspec/codec/escape.hpp"

namespace popspec::fuzz {

void invariant_failed(const char* file, int line, const char* condition, std::string_view detail) {
  std::fprintf(stderr, "popspec fuzz invariant violated at %s:%d\n  check: %s\n%.*s\n", file, line,
               condition, static_cast<int>(detail.size()), detail.data());
  std::fflush(stderr);
  std::abort();
}

std::string show(std::string_view bytes, std::size_t max) {
  if (bytes.size() <= max) return codec::escape_bytes(bytes);
  return codec::escape_bytes(bytes.substr(0, max)) + "... (" + std::to_string(bytes.size()) +
         " octets)";
}

}  // namespace popspec::fuzz
