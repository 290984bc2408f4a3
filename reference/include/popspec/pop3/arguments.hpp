#pragma once
// Numeric arguments of POP3 commands (RFC 1939 §5, §7), with no I/O. A message-number and TOP's
// line count are written in decimal (RFC 1939 §4: "all message-numbers and message sizes are
// expressed in base-10"); nothing else is a number: no sign, no spaces, no hex.
#include <cstddef>
#include <optional>
#include <string_view>

namespace popspec::pop3 {

// A message-number argument: one or more decimal digits (leading zeros allowed), read as its
// value. Empty text or any non-digit (a sign, a space, a letter) gives nothing. A value too large
// for size_t is still a well-formed number: it saturates to SIZE_MAX, which names no message.
// 0 is returned as 0: whether a number names a message is the session's business.
std::optional<std::size_t> parse_message_number(std::string_view text);

// TOP's line count (RFC 1939 TOP: "a non-negative number of lines"): decimal digits only, so a
// negative or non-numeric count gives nothing. A count too large for size_t is still a valid
// non-negative number: it saturates to SIZE_MAX, which asks for the whole body (TOP.4).
std::optional<std::size_t> parse_line_count(std::string_view text);

}  // namespace popspec::pop3
