#include "popspec/pop3/capabilities.hpp"

#include "popspec/pop3/limits.hpp"
#include "popspec/pop3/version.hpp"

namespace popspec::pop3 {

std::vector<std::string> capabilities(const session_options& options) {
  if (options.prof != profile::rfc1939) return {};
  // One token (RFC 2449 §6.9 suggests it), so the line stays a valid `capability`.
  std::string implementation = options.implementation.empty() ? "popspec" : options.implementation;
  implementation += '-';
  implementation += popspec_version;
  for (char& c : implementation)
    if (c < 0x21 || c > 0x7E) c = '_';
  std::string line = "IMPLEMENTATION " + implementation;
  if (line.size() + 2 > max_response_line) line.resize(max_response_line - 2);
  return {"TOP", "UIDL", "USER", "RESP-CODES", "PIPELINING", "EXPIRE NEVER", std::move(line)};
}

}  // namespace popspec::pop3
