// POP3 command parser (codec::parse_command) on arbitrary lines. Properties, under three sets of
// limits (RFC 1939's 40-octet arguments, the server's RFC 2449 limits, PASS without rest-of-line):
// a failure leaves no arguments and at most a well-formed keyword; a success is canonical: it
// passes check_command, and serialising it gives back the input with the keyword upper-cased,
// which parses to the same command.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "popspec/codec/pop3_command.hpp"
#include "support/check.hpp"

namespace {

using namespace popspec;

bool upper_keyword(std::string_view k) {
  if (k.size() < 3 || k.size() > 4) return false;
  for (const char c : k)
    if (c < 0x21 || c > 0x7e || (c >= 'a' && c <= 'z')) return false;
  return true;
}

void check(std::string_view line, const codec::command_limits& limits) {
  codec::command cmd;
  const std::error_code ec = codec::parse_command(line, cmd, limits);
  const auto where = [&] { return "\n  line: " + fuzz::show(line); };
  if (ec) {
    POPSPEC_FUZZ_CHECK(cmd.args.empty(), "arguments left after " + ec.message() + where());
    POPSPEC_FUZZ_CHECK(cmd.keyword.empty() || upper_keyword(cmd.keyword),
                       "malformed keyword left after " + ec.message() + where());
    return;
  }
  POPSPEC_FUZZ_CHECK(upper_keyword(cmd.keyword), "accepted keyword " + cmd.keyword + where());
  const std::error_code check_ec = codec::check_command(cmd, limits);
  POPSPEC_FUZZ_CHECK(!check_ec, "parsed, but check_command says " + check_ec.message() + where());
  const std::string wire = codec::serialize_command(cmd);
  const std::size_t keyword_end = std::min(line.find(' '), line.size());
  const std::string expected = codec::ascii_upper(line.substr(0, keyword_end)) +
                               std::string(line.substr(keyword_end)) + "\r\n";
  POPSPEC_FUZZ_CHECK(wire == expected, "serialised as " + fuzz::show(wire) + where());
  codec::command again;
  const std::error_code again_ec =
      codec::parse_command(std::string_view(wire).substr(0, wire.size() - 2), again, limits);
  POPSPEC_FUZZ_CHECK(!again_ec && again == cmd, "round trip changed the command" + where());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  check(line, codec::command_limits{});  // RFC 1939: 40-octet arguments
  // The other limits can only change the outcome for a line that could hold an argument over
  // 40 octets, or for PASS; skipping the rest keeps the target fast (it runs millions of times).
  if (line.size() > 45) check(line, codec::command_limits{255, 255, true});  // the server's
  if (line.size() >= 4 && codec::ascii_upper(line.substr(0, 4)) == "PASS")
    check(line, codec::command_limits{255, 40, false});  // PASS as an ordinary command
  return 0;
}
