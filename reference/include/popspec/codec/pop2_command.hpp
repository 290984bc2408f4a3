#pragma once
// POP2 (RFC 937) commands on the wire, with no I/O: parsing what a client sent, serialising what a
// client will send, and the backslash quoting of arguments. Also home of the POP2 codec's error
// codes (category "popspec.pop2"), shared with pop2_reply.hpp.
//
// Lines are handled WITHOUT their CRLF (the line framer strips it); the length limits below still
// count the CRLF, as RFC 937 ("Sizes") does. Nothing here throws on input: every malformed line
// yields an error_code.
//
//   codec::pop2_command cmd;
//   if (auto ec = codec::parse_pop2_command("HELO fred my\\ secret", cmd)) { ...garbage... }
//   cmd.keyword == pop2_keyword::helo, cmd.user == "fred", cmd.password == "my secret"
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace popspec::codec {

// RFC 937 "Sizes": command and reply lines are at most 512 characters, counting CRLF.
inline constexpr std::size_t pop2_max_command_line = 512;
inline constexpr std::size_t pop2_max_reply_line = 512;
// RFC 937 "Sizes": a message text line is at most 1000 characters, counting CRLF. Informational:
// the reference server sends stored messages unchanged (see docs/pop2.md).
inline constexpr std::size_t pop2_max_text_line = 1000;

// Why a POP2 command or reply line was refused (the error_code category is "popspec.pop2").
enum class pop2_errc {
  empty_line = 1,       // nothing at all before CRLF
  line_too_long,        // more than 512 characters counting CRLF
  unknown_keyword,      // not one of HELO FOLD READ RETR ACKS ACKD NACK QUIT
  lower_case_keyword,   // a known keyword not in upper case (only with strict_keyword_case)
  missing_argument,     // HELO without user and password, FOLD without a mailbox
  unexpected_argument,  // an argument after RETR/ACKS/ACKD/NACK/QUIT, a third HELO word, ...
  bad_spacing,          // leading/trailing/doubled spaces around keyword and arguments
  bad_number,           // READ's argument is not one or more decimal digits
  bad_character,        // a control character or non-ASCII octet where the syntax forbids it
  dangling_backslash,   // an argument ending in a lone quoting backslash
  unknown_indicator,    // a reply not starting with + - # =
  missing_number,       // a # or = reply without digits right after the indicator
  number_out_of_range,  // a reply number that does not fit in 64 bits
  missing_space,        // reply text not separated from the indicator/number by one SP
  bad_greeting,         // a + line that is not "+ POP2 <host> [text]"
  unquotable,           // serialising: an argument that cannot be carried on a command line
};
const std::error_category& pop2_category();
std::error_code make_error_code(pop2_errc e);

enum class pop2_keyword { helo, fold, read, retr, acks, ackd, nack, quit };

// The upper-case spelling ("HELO", ...), as RFC 937 writes it and as we always send it.
std::string_view to_string(pop2_keyword k);

// One command, with its arguments UNQUOTED (the characters they stand for).
struct pop2_command {
  pop2_keyword keyword = pop2_keyword::quit;
  std::string user;      // HELO
  std::string password;  // HELO
  std::string mailbox;   // FOLD
  // READ's optional message number. Numbers beyond 2^64-1 saturate to that value, which names
  // no message: the reply is the same "=0" the RFC gives for any missing message.
  std::optional<std::uint64_t> number;

  friend bool operator==(const pop2_command&, const pop2_command&) = default;
};

struct pop2_parse_options {
  // RFC 937 only ever shows keywords in upper case and never says they are case-insensitive.
  // By default we accept any case (see docs/pop2.md for why); true refuses anything but upper
  // case with lower_case_keyword, so a harness can flag a client that does not send upper case.
  bool strict_keyword_case = false;
};

// Parses one command line (CRLF already removed). On error `out` is left unchanged.
// Syntax (RFC 937 "Formal Syntax"): exactly one SP between keyword and each argument, no other
// white space; user and password are non-empty <word>s (no unquoted SP); the FOLD mailbox is a
// non-empty <string> (unquoted SPs allowed, everything after "FOLD " is the name); READ's
// argument is one or more decimal digits.
std::error_code parse_pop2_command(std::string_view line, pop2_command& out,
                                   const pop2_parse_options& options = {});

// Serialises `cmd` as a command line WITH CRLF, quoting arguments as needed. Fails with
// missing_argument for an empty user/password/mailbox, unquotable for an argument holding CR, LF
// or a non-ASCII octet, and line_too_long when the line would exceed 512 characters.
// For every command that serialises, parse_pop2_command(line without CRLF) gives `cmd` back.
std::error_code serialize_pop2_command(const pop2_command& cmd, std::string& out);

// RFC 937 "Quoting": a space becomes "\ " and a backslash "\\". Other characters that the
// <print> production does not allow unquoted (control characters, DEL) are sent as "\" followed
// by the character, which the formal syntax (<quote> <any>) also defines. CR, LF and octets
// >= 0x80 cannot be carried: unquotable, and `out` is left unchanged.
std::error_code pop2_quote(std::string_view raw, std::string& out);
// The inverse, for one argument as it appeared on the wire: "\" followed by any ASCII character
// is that character (RFC 937 <print> = <quote> <any>). Unquoted SP is kept (a <string> may hold
// it); unquoted control characters, DEL and octets >= 0x80 are bad_character; a final lone "\"
// is dangling_backslash. On error `out` is left unchanged.
std::error_code pop2_unquote(std::string_view wire, std::string& out);

}  // namespace popspec::codec

template <>
struct std::is_error_code_enum<popspec::codec::pop2_errc> : std::true_type {};
