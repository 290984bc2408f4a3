#include "popspec/codec/pop2_reply.hpp"

#include <limits>

namespace popspec::codec {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_letter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// Free reply text may hold anything a line can carry (RFC 937 "Reply Strings": "whatever the
// implementer thinks is appropriate"); NUL is refused too, since no text protocol means it.
bool is_text_octet(char c) {
  return c != '\0' && c != '\r' && c != '\n';
}

// RFC 937 <name> = <letter> [ [ <ldhs> ] <ld> ].
bool is_name(std::string_view s) {
  if (s.empty() || !is_letter(s.front()) || s.back() == '-') return false;
  for (char c : s)
    if (!is_letter(c) && !is_digit(c) && c != '-') return false;
  return true;
}

// RFC 937 <host> = <name> | <name> . <host>.
bool is_host(std::string_view s) {
  while (true) {
    const std::size_t dot = s.find('.');
    if (!is_name(s.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    s.remove_prefix(dot + 1);
  }
}

}  // namespace

char indicator(pop2_reply_kind k) {
  switch (k) {
    case pop2_reply_kind::ok:
      return '+';
    case pop2_reply_kind::err:
      return '-';
    case pop2_reply_kind::count:
      return '#';
    case pop2_reply_kind::length:
      return '=';
  }
  return '?';
}

std::error_code parse_pop2_reply(std::string_view line, pop2_reply& out) {
  if (line.empty()) return make_error_code(pop2_errc::empty_line);
  pop2_reply reply;
  switch (line.front()) {
    case '+':
      reply.kind = pop2_reply_kind::ok;
      break;
    case '-':
      reply.kind = pop2_reply_kind::err;
      break;
    case '#':
      reply.kind = pop2_reply_kind::count;
      break;
    case '=':
      reply.kind = pop2_reply_kind::length;
      break;
    default:
      return make_error_code(pop2_errc::unknown_indicator);
  }
  out = pop2_reply{reply.kind, 0, {}};
  std::string_view rest = line.substr(1);

  if (reply.kind == pop2_reply_kind::count || reply.kind == pop2_reply_kind::length) {
    std::size_t digits = 0;
    std::uint64_t n = 0;
    constexpr auto max = std::numeric_limits<std::uint64_t>::max();
    while (digits < rest.size() && is_digit(rest[digits])) {
      const auto digit = static_cast<std::uint64_t>(rest[digits] - '0');
      if (n > (max - digit) / 10) return make_error_code(pop2_errc::number_out_of_range);
      n = n * 10 + digit;
      ++digits;
    }
    if (digits == 0) return make_error_code(pop2_errc::missing_number);
    reply.number = n;
    out.number = n;
    rest.remove_prefix(digits);
  }

  if (!rest.empty()) {
    if (rest.front() != ' ') return make_error_code(pop2_errc::missing_space);
    rest.remove_prefix(1);
    // "[<SP> <string>]": an SP promises a non-empty string after it.
    if (rest.empty()) return make_error_code(pop2_errc::bad_spacing);
    for (char c : rest)
      if (!is_text_octet(c)) return make_error_code(pop2_errc::bad_character);
    reply.text = std::string(rest);
  }
  out = reply;
  // Checked last, so an over-long line is still reported with its kind, number and text.
  if (line.size() + 2 > pop2_max_reply_line) return make_error_code(pop2_errc::line_too_long);
  return {};
}

std::string serialize_pop2_reply(const pop2_reply& reply) {
  std::string line(1, indicator(reply.kind));
  if (reply.kind == pop2_reply_kind::count || reply.kind == pop2_reply_kind::length)
    line += std::to_string(reply.number);
  if (!reply.text.empty()) {
    // Room for SP, text and CRLF within the 512-character limit; the prefix is at most 21.
    const std::size_t room = pop2_max_reply_line - 2 - 1 - line.size();
    line.push_back(' ');
    for (std::size_t i = 0; i < reply.text.size() && i < room; ++i)
      line.push_back(is_text_octet(reply.text[i]) ? reply.text[i] : ' ');
  }
  line += "\r\n";
  return line;
}

pop2_reply pop2_ok(std::string text) {
  return {pop2_reply_kind::ok, 0, std::move(text)};
}
pop2_reply pop2_err(std::string text) {
  return {pop2_reply_kind::err, 0, std::move(text)};
}
pop2_reply pop2_count(std::uint64_t n, std::string text) {
  return {pop2_reply_kind::count, n, std::move(text)};
}
pop2_reply pop2_length(std::uint64_t n, std::string text) {
  return {pop2_reply_kind::length, n, std::move(text)};
}

std::error_code parse_pop2_greeting(const pop2_reply& reply, pop2_greeting& out) {
  constexpr std::string_view prefix = "POP2 ";
  if (reply.kind != pop2_reply_kind::ok) return make_error_code(pop2_errc::bad_greeting);
  std::string_view rest = reply.text;
  if (!rest.starts_with(prefix)) return make_error_code(pop2_errc::bad_greeting);
  rest.remove_prefix(prefix.size());
  const std::size_t space = rest.find(' ');
  const std::string_view host = rest.substr(0, space);
  if (!is_host(host)) return make_error_code(pop2_errc::bad_greeting);
  std::string_view text;
  if (space != std::string_view::npos) {
    text = rest.substr(space + 1);
    if (text.empty()) return make_error_code(pop2_errc::bad_greeting);
  }
  out = pop2_greeting{std::string(host), std::string(text)};
  return {};
}

std::string serialize_pop2_greeting(const pop2_greeting& greeting) {
  std::string text = "POP2 " + greeting.host;
  if (!greeting.text.empty()) text += " " + greeting.text;
  return serialize_pop2_reply(pop2_ok(std::move(text)));
}

}  // namespace popspec::codec
