#include "popspec/store/wire_form.hpp"

namespace popspec::store {

void append_wire_form(std::string_view stored, std::string& out) {
  out.reserve(out.size() + stored.size() + stored.size() / 32 + 2);
  std::size_t pos = 0;
  while (pos < stored.size()) {
    const auto lf = stored.find('\n', pos);
    if (lf == std::string_view::npos) {
      out.append(stored.substr(pos));
      out.append("\r\n");  // a final line without newline still ends in CRLF on the wire
      return;
    }
    const bool has_cr = lf > pos && stored[lf - 1] == '\r';
    out.append(stored.substr(pos, lf - pos - (has_cr ? 1 : 0)));
    out.append("\r\n");
    pos = lf + 1;
  }
}

std::string to_wire_form(std::string_view stored) {
  std::string out;
  append_wire_form(stored, out);
  return out;
}

std::uint64_t wire_size(std::string_view stored) {
  std::uint64_t size = stored.size();
  std::size_t pos = 0;
  while (pos < stored.size()) {
    const auto lf = stored.find('\n', pos);
    if (lf == std::string_view::npos) return size + 2;
    if (lf == pos || stored[lf - 1] != '\r') ++size;
    pos = lf + 1;
  }
  return size;
}

}  // namespace popspec::store
