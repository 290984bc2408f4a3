#pragma once
// What TOP sends of a message, and line counting for sizes, on the wire form of a message
// (CRLF line endings, not dot-stuffed), with no I/O.
#include <cstddef>
#include <string_view>

namespace popspec::pop3 {

// The part of `wire` that `TOP msg n` sends (RFC 1939 §7, RFC 1225 TOP): the header lines, the
// blank line that separates them from the body, then the first `body_lines` lines of the body,
// each with its line ending. A line ends after LF; a last line without one counts as a line.
// If the body has fewer lines than asked for, the whole message is returned (TOP.4). A message
// without a blank separator line is all headers, so it is returned whole whatever `body_lines`.
// The result is always a prefix of `wire`.
std::string_view top_excerpt(std::string_view wire, std::size_t body_lines);

// How many CRLF pairs `wire` holds: the octets a size would lose if each line ending were
// counted as one octet (the `lf_sizes` fault reports size - count_crlf).
std::size_t count_crlf(std::string_view wire);

}  // namespace popspec::pop3
