#include "sessions/exchange_log.hpp"

#include "support/check.hpp"

namespace popspec::fuzz {

void exchange_log::add_client_line(const codec::line_event& ev) {
  add("C: ", ev.text,
      ev.kind == codec::line_kind::bare_lf    ? " (bare LF)"
      : ev.kind == codec::line_kind::too_long ? " (too long)"
                                              : "");
}

void exchange_log::add(std::string_view label, std::string_view bytes, std::string_view note) {
  entry& e = entries_[count_ % capacity];
  e.label = label;
  e.head.assign(bytes.substr(0, kept_octets));
  e.size = bytes.size();
  e.note = note;
  ++count_;
}

std::string exchange_log::str() const {
  std::string out;
  const std::size_t first = count_ > capacity ? count_ - capacity : 0;
  for (std::size_t i = first; i < count_; ++i) {
    const entry& e = entries_[i % capacity];
    out += "\n    ";
    out += e.label;
    out += show(e.head);
    if (e.size > e.head.size()) out += "... (" + std::to_string(e.size) + " octets)";
    out += e.note;
  }
  return out;
}

}  // namespace popspec::fuzz
