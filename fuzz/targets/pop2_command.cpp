// POP2 command parser (codec::parse_pop2_command) and argument quoting on arbitrary lines.
// Properties: strict keyword case only ever refuses more, never parses differently; what parses
// and serialises parses back to the same command; unquoting then quoting then unquoting is
// stable.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "popspec/codec/pop2_command.hpp"
#include "support/check.hpp"

using namespace popspec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const auto where = [&] { return "\n  line: " + fuzz::show(line); };

  codec::pop2_command lenient;
  const std::error_code lenient_ec = codec::parse_pop2_command(line, lenient);
  codec::pop2_command strict;
  const std::error_code strict_ec = codec::parse_pop2_command(line, strict, {true});
  if (!strict_ec)
    POPSPEC_FUZZ_CHECK(
        !lenient_ec && strict == lenient,
        "strict parse accepted what the lenient one refused or read differently" + where());
  if (!lenient_ec) {
    std::string wire;
    if (!codec::serialize_pop2_command(lenient, wire)) {
      POPSPEC_FUZZ_CHECK(wire.size() >= 2 && wire.ends_with("\r\n"), "no CRLF" + where());
      codec::pop2_command again;
      const std::error_code ec = codec::parse_pop2_command(
          std::string_view(wire).substr(0, wire.size() - 2), again, {true});
      POPSPEC_FUZZ_CHECK(!ec && again == lenient, "serialised as " + fuzz::show(wire) +
                                                      " which does not parse back" + where());
    }
  }

  // Quoting: the line read as one quoted argument.
  std::string unquoted;
  if (!codec::pop2_unquote(line, unquoted)) {
    std::string quoted;
    if (!codec::pop2_quote(unquoted, quoted)) {
      std::string again;
      const std::error_code ec = codec::pop2_unquote(quoted, again);
      POPSPEC_FUZZ_CHECK(!ec && again == unquoted,
                         "quote/unquote round trip failed via " + fuzz::show(quoted) + where());
      // A quoted argument is one <word>: every space is escaped by a backslash.
      bool escaped = false;
      for (const char c : quoted) {
        POPSPEC_FUZZ_CHECK(escaped || c != ' ', "an unescaped space after quoting" + where());
        escaped = !escaped && c == '\\';
      }
    }
  }
  return 0;
}
