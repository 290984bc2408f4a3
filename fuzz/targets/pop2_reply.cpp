// POP2 reply parser (codec::parse_pop2_reply) and greeting check on arbitrary lines.
// Properties: a parsed reply serialises to a line that parses back to the same reply, without
// leading zeros it is the very same line; a parsed greeting round-trips the same way; an error
// still reports the reply kind once the indicator was recognised.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "popspec/codec/pop2_reply.hpp"
#include "support/check.hpp"

using namespace popspec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const auto where = [&] { return "\n  line: " + fuzz::show(line); };

  codec::pop2_reply reply;
  if (codec::parse_pop2_reply(line, reply)) {
    if (!line.empty() && (line[0] == '+' || line[0] == '-' || line[0] == '#' || line[0] == '='))
      POPSPEC_FUZZ_CHECK(codec::indicator(reply.kind) == line[0],
                         "the kind of a refused reply is not its indicator" + where());
    return 0;
  }
  POPSPEC_FUZZ_CHECK(!line.empty() && codec::indicator(reply.kind) == line[0],
                     "parsed kind is not the indicator" + where());
  const std::string wire = codec::serialize_pop2_reply(reply);
  codec::pop2_reply again;
  const std::error_code ec =
      codec::parse_pop2_reply(std::string_view(wire).substr(0, wire.size() - 2), again);
  POPSPEC_FUZZ_CHECK(!ec && again == reply,
                     "serialised as " + fuzz::show(wire) + " which does not parse back" + where());
  const bool leading_zero = line.size() > 2 && line[1] == '0' && line[2] >= '0' && line[2] <= '9';
  if (!leading_zero)
    POPSPEC_FUZZ_CHECK(wire == std::string(line) + "\r\n",
                       "not canonical: " + fuzz::show(wire) + where());

  codec::pop2_greeting greeting;
  if (reply.kind == codec::pop2_reply_kind::ok && !codec::parse_pop2_greeting(reply, greeting)) {
    const std::string greeting_wire = codec::serialize_pop2_greeting(greeting);
    codec::pop2_reply greeting_reply;
    codec::pop2_greeting greeting_again;
    const bool ok =
        !codec::parse_pop2_reply(
            std::string_view(greeting_wire).substr(0, greeting_wire.size() - 2), greeting_reply) &&
        !codec::parse_pop2_greeting(greeting_reply, greeting_again);
    POPSPEC_FUZZ_CHECK(ok && greeting_again == greeting,
                       "greeting does not round-trip via " + fuzz::show(greeting_wire) + where());
  }
  return 0;
}
