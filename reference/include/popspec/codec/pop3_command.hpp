#pragma once
// POP3 command lines (RFC 1939 §3, RFC 2449 §3-4), with no I/O: the server parses what the
// framer hands it, the harness serialises what it sends and checks it first.
#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "popspec/codec/errc.hpp"

namespace popspec::codec {

struct command {
  std::string keyword;  // upper-cased by parse_command; sent as given by serialize_command
  std::vector<std::string> args;

  friend bool operator==(const command&, const command&) = default;
};

struct command_limits {
  std::size_t max_line = 255;     // RFC 2449 §4, CRLF included
  std::size_t max_argument = 40;  // RFC 1939 §3
  // RFC 1939 PASS.4: PASS takes exactly one argument, so the server may treat the rest of the
  // line, spaces included, as the password.
  bool pass_takes_rest = true;
};

// Parses one command line (without its CRLF). Keywords are case-insensitive and come out
// upper-cased; arguments keep their case. Keyword and arguments are separated by single spaces
// and made of printable ASCII (%x21-7E, and also SP inside a rest-of-line PASS argument).
//
// Checks, in this order: empty_command, command_too_long (line + CRLF over max_line),
// invalid_character (any octet outside %x20-7E), then left to right: empty_argument (a leading,
// doubled or trailing space), keyword_length (not 3-4 characters), argument_too_long.
// On error `out.args` is empty, and `out.keyword` holds the upper-cased keyword if the keyword
// itself was well formed (so a session can still name the command in its answer), else "".
// Never throws on input.
std::error_code parse_command(std::string_view line_without_crlf, command& out,
                              const command_limits& limits = {});

// keyword, then " " and each argument, then CRLF. The keyword is written as given (a harness
// may deliberately send "stat"); nothing is checked: use check_command first.
std::string serialize_command(const command& c);

// Whether `c` is a command a conforming client may send under `limits`: the keyword is 3-4
// printable ASCII characters; each argument is non-empty printable ASCII without spaces and at
// most max_argument long (a rest-of-line PASS argument may hold spaces; PASS then carries at most
// one argument, else too_many_arguments); the serialised line fits max_line.
// For every c that passes, parse_command(serialize_command(c) without CRLF) gives c back with
// its keyword upper-cased.
std::error_code check_command(const command& c, const command_limits& limits = {});

// ASCII-only upper-casing (keywords are ASCII; locale must not matter).
std::string ascii_upper(std::string_view text);

}  // namespace popspec::codec
