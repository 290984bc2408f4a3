// Serialise-then-parse round trips over structured values built from the input (the first byte
// picks which):
//   0  POP3 command: whatever check_command accepts serialises to a line that parses back to it;
//   1  POP2 command: whatever serialises parses back to the same command;
//   2  POP3 response: a status line and dot-stuffed data parse back to the same text and data;
//   3  POP2 reply: a reply serialises to a line that parses back (CR/LF/NUL in the text become
//      spaces, over-long text is cut, as documented);
//   4  escape_bytes: the escaped form is printable and decodes back to the exact octets;
//   5  line_framer: the events do not depend on how the input is chunked.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "popspec/codec/escape.hpp"
#include "popspec/codec/line_framer.hpp"
#include "popspec/codec/pop2_command.hpp"
#include "popspec/codec/pop2_reply.hpp"
#include "popspec/codec/pop3_command.hpp"
#include "popspec/codec/pop3_response.hpp"
#include "support/byte_reader.hpp"
#include "support/check.hpp"

namespace {

using namespace popspec;
using fuzz::byte_reader;

void pop3_command(byte_reader& in) {
  codec::command c;
  c.keyword = in.string(6);
  for (std::size_t i = 0, n = in.below(4); i < n; ++i) c.args.push_back(in.string(48));
  const codec::command_limits limits{in.flag() ? std::size_t{255} : std::size_t{64},
                                     in.flag() ? std::size_t{40} : std::size_t{255}, in.flag()};
  if (codec::check_command(c, limits)) return;
  const std::string wire = codec::serialize_command(c);
  codec::command back;
  const std::error_code ec =
      codec::parse_command(std::string_view(wire).substr(0, wire.size() - 2), back, limits);
  codec::command expected = c;
  expected.keyword = codec::ascii_upper(c.keyword);
  POPSPEC_FUZZ_CHECK(wire.ends_with("\r\n") && !ec && back == expected,
                     "check_command accepted " + fuzz::show(wire) + " which parses back as " +
                         (ec ? ec.message() : fuzz::show(back.keyword)));
}

void pop2_command(byte_reader& in) {
  codec::pop2_command c;
  c.keyword = static_cast<codec::pop2_keyword>(in.below(8));
  switch (c.keyword) {
    case codec::pop2_keyword::helo:
      c.user = in.string(40);
      c.password = in.string(40);
      break;
    case codec::pop2_keyword::fold:
      c.mailbox = in.string(80);
      break;
    case codec::pop2_keyword::read:
      if (in.flag()) {
        std::uint64_t n = 0;
        for (int i = 0; i < 8; ++i) n = (n << 8) | in.byte();
        c.number = n;
      }
      break;
    default:
      break;
  }
  std::string wire;
  if (codec::serialize_pop2_command(c, wire)) return;
  codec::pop2_command back;
  const std::error_code ec =
      codec::parse_pop2_command(std::string_view(wire).substr(0, wire.size() - 2), back, {true});
  POPSPEC_FUZZ_CHECK(
      wire.ends_with("\r\n") && wire.size() <= codec::pop2_max_command_line && !ec && back == c,
      "serialised " + fuzz::show(wire) + " does not parse back" +
          (ec ? ": " + ec.message() : std::string()));
}

// Lines ended by CRLF only, no NUL, no stray CR: what a conforming server stores and sends.
bool clean_lines(std::string_view wire) {
  for (std::size_t i = 0; i < wire.size(); ++i) {
    const char c = wire[i];
    if (c == '\0') return false;
    if (c == '\r' && (i + 1 == wire.size() || wire[i + 1] != '\n')) return false;
    if (c == '\n' && (i == 0 || wire[i - 1] != '\r')) return false;
  }
  return true;
}

void pop3_response(byte_reader& in) {
  const bool ok = in.flag();
  std::string text = in.string(80);
  for (char& c : text)
    if (c == '\r' || c == '\n') c = ' ';  // append_status: the caller keeps CR/LF out
  const std::string wire(in.rest());
  std::string out;
  if (ok)
    codec::append_multiline(out, text, wire);
  else
    codec::append_status(out, false, text);
  codec::response r;
  std::error_code ec;
  const std::size_t used = codec::parse_response(out, true, r, ec);
  const auto where = [&] { return "\n  serialised: " + fuzz::show(out); };
  POPSPEC_FUZZ_CHECK(!ec && used == out.size(), "does not parse back: " + ec.message() + where());
  POPSPEC_FUZZ_CHECK(r.ok == ok && r.text == text, "status or text changed" + where());
  if (!ok || !clean_lines(wire)) return;
  const std::string expected = wire.empty() || wire.ends_with("\r\n") ? wire : wire + "\r\n";
  POPSPEC_FUZZ_CHECK(r.data == expected, "data changed: " + fuzz::show(r.data) + where());
  // Clean data lines are never flagged; the status text may be (NUL or non-ASCII octets).
  const std::size_t status_octets = r.status_line.size() + 2;
  for (const auto& v : r.violations)
    POPSPEC_FUZZ_CHECK(
        (v.kind == codec::violation_kind::non_ascii_status ||
         v.kind == codec::violation_kind::nul_octet) &&
            v.offset < status_octets,
        std::string("violation ") + codec::to_string(v.kind) + " in a clean response" + where());
}

void pop2_reply(byte_reader& in) {
  codec::pop2_reply reply;
  reply.kind = static_cast<codec::pop2_reply_kind>(in.below(4));
  if (reply.kind == codec::pop2_reply_kind::count || reply.kind == codec::pop2_reply_kind::length)
    for (int i = 0; i < 8; ++i) reply.number = (reply.number << 8) | in.byte();
  reply.text = std::string(in.rest());
  const std::string wire = codec::serialize_pop2_reply(reply);
  codec::pop2_reply back;
  const std::error_code ec =
      codec::parse_pop2_reply(std::string_view(wire).substr(0, wire.size() - 2), back);
  const auto where = [&] { return "\n  serialised: " + fuzz::show(wire); };
  POPSPEC_FUZZ_CHECK(wire.ends_with("\r\n") && wire.size() <= codec::pop2_max_reply_line,
                     "not one reply line within 512 characters" + where());
  POPSPEC_FUZZ_CHECK(!ec, "does not parse back: " + ec.message() + where());
  POPSPEC_FUZZ_CHECK(back.kind == reply.kind && back.number == reply.number,
                     "kind or number changed" + where());
  // The text comes back cut short perhaps, with CR, LF and NUL as spaces, otherwise unchanged.
  POPSPEC_FUZZ_CHECK(back.text.size() <= reply.text.size(), "text grew" + where());
  for (std::size_t i = 0; i < back.text.size(); ++i) {
    const char c = reply.text[i];
    const char expected = (c == '\r' || c == '\n' || c == '\0') ? ' ' : c;
    POPSPEC_FUZZ_CHECK(back.text[i] == expected, "text changed at " + std::to_string(i) + where());
  }
}

void escape(byte_reader& in) {
  const std::string_view raw = in.rest();
  const std::string escaped = codec::escape_bytes(raw);
  for (const char c : escaped)
    POPSPEC_FUZZ_CHECK(c >= 0x20 && c <= 0x7e, "escape_bytes left a non-printable octet");
  const auto back = codec::unescape_bytes(escaped);
  POPSPEC_FUZZ_CHECK(back && *back == raw, "escape_bytes is not reversible: " + escaped);
}

std::vector<codec::line_event> frame(std::string_view bytes, std::size_t max_line,
                                     std::size_t chunk) {
  codec::line_framer framer(max_line);
  std::vector<codec::line_event> events;
  for (std::size_t pos = 0; pos < bytes.size(); pos += chunk) {
    framer.feed(bytes.substr(pos, chunk));
    POPSPEC_FUZZ_CHECK(framer.pending() <= max_line, "framer holds more than max_line octets");
    while (auto e = framer.next()) events.push_back(std::move(*e));
  }
  return events;
}

void framer(byte_reader& in) {
  const std::size_t max_line = 3 + in.below(64);
  const std::size_t chunk = 1 + in.below(16);
  const std::string_view bytes = in.rest();
  const auto whole = frame(bytes, max_line, bytes.size() + 1);
  const auto pieces = frame(bytes, max_line, chunk);
  POPSPEC_FUZZ_CHECK(whole == pieces, "line events depend on the chunking (chunk " +
                                          std::to_string(chunk) + ", max " +
                                          std::to_string(max_line) + "): " + fuzz::show(bytes));
  for (const auto& e : whole) {
    const std::size_t limit = e.kind == codec::line_kind::line ? max_line - 2 : max_line - 1;
    if (e.kind != codec::line_kind::too_long)
      POPSPEC_FUZZ_CHECK(e.text.size() <= limit, "a line over max_line was not too_long");
    POPSPEC_FUZZ_CHECK(e.text.find('\n') == std::string::npos, "LF inside a framed line");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  byte_reader in(data, size);
  switch (in.byte() % 6) {
    case 0:
      pop3_command(in);
      break;
    case 1:
      pop2_command(in);
      break;
    case 2:
      pop3_response(in);
      break;
    case 3:
      pop2_reply(in);
      break;
    case 4:
      escape(in);
      break;
    default:
      framer(in);
      break;
  }
  return 0;
}
