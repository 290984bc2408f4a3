#include "popspec/pop3/arguments.hpp"

#include <limits>

namespace popspec::pop3 {
namespace {

// Decimal digits only; a value beyond size_t saturates to SIZE_MAX.
std::optional<std::size_t> parse_decimal(std::string_view text) {
  if (text.empty()) return std::nullopt;
  constexpr std::size_t max = std::numeric_limits<std::size_t>::max();
  std::size_t value = 0;
  bool overflow = false;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<std::size_t>(c - '0');
    if (value > (max - digit) / 10) overflow = true;
    if (!overflow) value = value * 10 + digit;
  }
  return overflow ? max : value;
}

}  // namespace

std::optional<std::size_t> parse_message_number(std::string_view text) {
  return parse_decimal(text);
}

std::optional<std::size_t> parse_line_count(std::string_view text) {
  return parse_decimal(text);
}

}  // namespace popspec::pop3
