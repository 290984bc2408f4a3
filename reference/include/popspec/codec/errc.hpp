#pragma once
// Error codes of the POP wire codec (category "popspec.codec"). Each limit and each syntax
// problem has its own code, so a session can answer precisely and a report can name the cause.
#include <string>
#include <system_error>
#include <type_traits>

namespace popspec::codec {

enum class codec_errc {
  // Commands (RFC 1939 §3, RFC 2449 §3-4).
  empty_command = 1,   // the line holds nothing
  keyword_length,      // the keyword is not 3 or 4 characters long
  invalid_character,   // NUL, a control character, DEL or a non-ASCII octet
  empty_argument,      // leading, trailing or doubled space: an empty keyword or argument
  argument_too_long,   // an argument over the argument limit (40 in RFC 1939)
  command_too_long,    // the command line over the line limit (255 with CRLF in RFC 2449)
  too_many_arguments,  // a command that cannot be sent as given (PASS taking the rest of the line)
  // Responses (RFC 1939 §3, RFC 2449 §3).
  status_line_too_long,  // the first line of a response over the parser's limit
  data_line_too_long,    // a line of a multi-line response over the parser's limit
  response_too_large,    // a whole response over the parser's limit
  bad_status_indicator,  // the first line starts with neither "+OK" nor "-ERR"
  incomplete,            // the input ended before the response did
};

const std::error_category& codec_category() noexcept;

inline std::error_code make_error_code(codec_errc e) noexcept {
  return {static_cast<int>(e), codec_category()};
}

}  // namespace popspec::codec

template <>
struct std::is_error_code_enum<popspec::codec::codec_errc> : std::true_type {};
