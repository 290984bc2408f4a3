#include "popspec/pop3/message_text.hpp"

namespace popspec::pop3 {
namespace {

// Offset just past the line that starts at `pos` (after its LF, or the end of `wire`).
std::size_t end_of_line(std::string_view wire, std::size_t pos) {
  const std::size_t lf = wire.find('\n', pos);
  return lf == std::string_view::npos ? wire.size() : lf + 1;
}

bool is_blank_line(std::string_view line) {
  return line == "\r\n" || line == "\n";
}

}  // namespace

std::string_view top_excerpt(std::string_view wire, std::size_t body_lines) {
  // Headers: every line up to and including the first blank one.
  std::size_t pos = 0;
  bool separator_found = false;
  while (pos < wire.size()) {
    const std::size_t next = end_of_line(wire, pos);
    const bool blank = is_blank_line(wire.substr(pos, next - pos));
    pos = next;
    if (blank) {
      separator_found = true;
      break;
    }
  }
  if (!separator_found) return wire;  // all of it is headers
  for (std::size_t n = 0; n < body_lines && pos < wire.size(); ++n) pos = end_of_line(wire, pos);
  return wire.substr(0, pos);
}

std::size_t count_crlf(std::string_view wire) {
  std::size_t count = 0;
  for (std::size_t pos = wire.find("\r\n"); pos != std::string_view::npos;
       pos = wire.find("\r\n", pos + 2))
    ++count;
  return count;
}

}  // namespace popspec::pop3
