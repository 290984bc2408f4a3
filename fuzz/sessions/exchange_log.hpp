#pragma once
// The last exchanges of a session, for invariant reports. Kept raw and cut short: escaping every
// response (a RETR is 100 KB) would cost more than the session itself; only a failing input pays
// for making them readable.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "popspec/codec/line_framer.hpp"

namespace popspec::fuzz {

class exchange_log {
 public:
  // `label` and `note` must be string literals (they are kept as views).
  void add(std::string_view label, std::string_view bytes, std::string_view note = {});
  // A framed client line ("C: "), noting how the framer saw it (bare LF, too long).
  void add_client_line(const codec::line_event& ev);
  // One indented line per exchange, oldest first, octets escaped.
  std::string str() const;

 private:
  static constexpr std::size_t capacity = 16;
  static constexpr std::size_t kept_octets = 300;
  struct entry {
    std::string_view label;
    std::string head;  // the first kept_octets octets
    std::size_t size = 0;
    std::string_view note;
  };
  std::array<entry, capacity> entries_{};
  std::size_t count_ = 0;  // entries ever added
};

}  // namespace popspec::fuzz
