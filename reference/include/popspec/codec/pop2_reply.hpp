#pragma once
// POP2 (RFC 937) reply lines on the wire, with no I/O: parsing what a server sent (the harness
// runs this against third-party servers, so any octets at all yield a value or an error_code,
// never an exception) and serialising what the reference server sends.
//
//   codec::pop2_reply r;
//   codec::parse_pop2_reply("=537 characters in that message", r);
//   r.kind == pop2_reply_kind::length, r.number == 537, r.text == "characters in that message"
//
// Lines are handled WITHOUT their CRLF. The RETR message data is not a reply line: the reader
// takes exactly the number of octets the =ccc reply before RETR announced.
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

#include "popspec/codec/pop2_command.hpp"  // pop2_errc, the line limits

namespace popspec::codec {

enum class pop2_reply_kind {
  ok,      // "+" [SP text]: success; also the greeting "+ POP2 host [text]" and QUIT's answer
  err,     // "-" [SP text]: failure (the server closes the connection after it)
  count,   // "#" number [SP text]: messages in the selected mailbox (HELO, FOLD)
  length,  // "=" number [SP text]: characters in the message (READ, ACKS, ACKD, NACK)
};

// The indicator character: '+', '-', '#' or '='.
char indicator(pop2_reply_kind k);

struct pop2_reply {
  pop2_reply_kind kind = pop2_reply_kind::ok;
  std::uint64_t number = 0;  // count and length replies only
  std::string text;          // the optional free text, without the separating SP ("" = none)

  friend bool operator==(const pop2_reply&, const pop2_reply&) = default;
};

// Parses one reply line (CRLF already removed), per RFC 937's <ok> <err> <count> <length>:
// the indicator, for # and = the digits right after it, then nothing or exactly one SP and the
// text. Text is free (RFC 937 "Reply Strings"): any octets except NUL, CR and LF.
// On error, `out` holds what was recognised before the error (at least `kind` once the
// indicator is known; `number` once the digits are) so a harness can report "a length reply
// with malformed text" rather than just "garbage". Errors: empty_line, line_too_long (checked
// last, so the kind is still reported), unknown_indicator, missing_number, number_out_of_range,
// missing_space ("+OK", "#3messages"), bad_spacing ("+ " with nothing after the SP: the
// <string> after it must not be empty), bad_character.
std::error_code parse_pop2_reply(std::string_view line, pop2_reply& out);

// The reply line WITH CRLF. Text that would push the line past 512 characters is cut short, and
// CR, LF and NUL in the text are replaced by spaces, so the result always parses back.
std::string serialize_pop2_reply(const pop2_reply& reply);

// Convenience constructors.
pop2_reply pop2_ok(std::string text = {});
pop2_reply pop2_err(std::string text = {});
pop2_reply pop2_count(std::uint64_t n, std::string text = {});
pop2_reply pop2_length(std::uint64_t n, std::string text = {});

// The greeting, RFC 937 <greet> = "+" SP "POP2" SP <host> [SP <string>].
struct pop2_greeting {
  std::string host;
  std::string text;  // "" when none

  friend bool operator==(const pop2_greeting&, const pop2_greeting&) = default;
};
// Checks that an already parsed `+` reply is a greeting. "POP2" is matched exactly. The host must
// follow RFC 937 <host>: dot-separated <name>s, each a letter, then letters, digits and hyphens,
// not ending in a hyphen. Anything else is bad_greeting.
std::error_code parse_pop2_greeting(const pop2_reply& reply, pop2_greeting& out);
// "+ POP2 host[ text]" with CRLF (not validated: the caller names its own host).
std::string serialize_pop2_greeting(const pop2_greeting& greeting);

}  // namespace popspec::codec
