// POP3 response parser (codec::response_parser), fed in chunks whose sizes come from the input.
//
// Input: one control byte, then `k` chunk sizes, then the response octets.
//   control bit 0: the response is multi-line if +OK (as after RETR);
//   control bit 1: tiny limits (so every limit error and the violation cap are reachable);
//   control bits 2-5: k, the number of chunk-size bytes that follow (chunk = byte + 1, cycled).
// Properties: the result does not depend on the chunking (the one-shot parse_response gives the
// same); consumption stops at the end of the response; memory stays within the limits; the data
// is CRLF-terminated lines; a violation-free +OK multi-line response re-serialises to exactly the
// octets it was parsed from.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "popspec/codec/pop3_response.hpp"
#include "support/byte_reader.hpp"
#include "support/check.hpp"

using namespace popspec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::byte_reader in(data, size);
  const std::uint8_t control = in.byte();
  const bool multiline = (control & 1u) != 0;
  codec::response_limits limits;
  if ((control & 2u) != 0) limits = codec::response_limits{24, 32, 160, 3};
  std::vector<std::size_t> chunks;
  for (unsigned i = 0, k = (control >> 2) & 15u; i < k; ++i) chunks.push_back(in.byte() + 1u);
  const bool chunked = !chunks.empty();
  if (!chunked) chunks.push_back(SIZE_MAX);  // one feed of everything: the one-shot parse itself
  const std::string_view bytes = in.rest();
  const auto where = [&] {
    return "\n  multi-line " + std::to_string(multiline) + ", control " + std::to_string(control) +
           ", input: " + fuzz::show(bytes);
  };

  // Chunked, as a socket would deliver it.
  codec::response_parser parser(multiline, limits);
  std::error_code ec;
  std::size_t consumed = 0;
  for (std::size_t i = 0; consumed < bytes.size() && !parser.done() && !parser.failed(); ++i) {
    const std::size_t chunk = std::min(chunks[i % chunks.size()], bytes.size() - consumed);
    const std::size_t used = parser.feed(bytes.substr(consumed, chunk), ec);
    POPSPEC_FUZZ_CHECK(used <= chunk, "consumed more than it was given" + where());
    consumed += used;
    if (ec) break;
    // Short of an error or the end of the response, a chunk is consumed whole.
    if (!parser.done()) POPSPEC_FUZZ_CHECK(used == chunk, "stopped early in a chunk" + where());
  }
  POPSPEC_FUZZ_CHECK(parser.failed() == static_cast<bool>(ec),
                     "failed() disagrees with ec" + where());
  if (parser.done()) POPSPEC_FUZZ_CHECK(!ec && !parser.finish(), "done but an error" + where());
  if (!parser.done() && !parser.failed())
    POPSPEC_FUZZ_CHECK(parser.finish() == codec::codec_errc::incomplete,
                       "an unfinished response is not incomplete" + where());

  // All at once gives the same. Without chunk sizes the chunked parse above was itself one feed
  // of everything, so there is nothing to compare (and a second parse would halve exec/s).
  const codec::response& r = parser.result();
  if (chunked) {
    codec::response once;
    std::error_code once_ec;
    const std::size_t once_used = codec::parse_response(bytes, multiline, once, once_ec, limits);
    if (parser.done()) {
      POPSPEC_FUZZ_CHECK(!once_ec && once_used == consumed && once == r,
                         "chunked and one-shot parses differ" + where());
    } else if (parser.failed()) {
      POPSPEC_FUZZ_CHECK(once_ec == ec, "chunked error " + ec.message() + " but one-shot " +
                                            once_ec.message() + where());
    } else {
      POPSPEC_FUZZ_CHECK(
          once_ec == codec::codec_errc::incomplete,
          "one-shot parse of an unfinished response: " + once_ec.message() + where());
    }
  }
  if (!parser.done()) return 0;

  // Bounds and shape of a parsed response. Only "+OK" and "-ERR" (any case) start one.
  const auto starts = [&](std::string_view indicator) {
    if (r.status_line.size() < indicator.size()) return false;
    for (std::size_t i = 0; i < indicator.size(); ++i)
      if (std::toupper(static_cast<unsigned char>(r.status_line[i])) != indicator[i]) return false;
    return true;
  };
  POPSPEC_FUZZ_CHECK(r.ok ? starts("+OK") : starts("-ERR"),
                     "done, but the status line starts with neither +OK nor -ERR" + where());
  POPSPEC_FUZZ_CHECK(r.wire_octets == consumed, "wire_octets is not what was consumed" + where());
  POPSPEC_FUZZ_CHECK(r.status_line.size() < limits.max_status_line,
                     "status line over limit" + where());
  // Data lines are delivered with CRLF even when the server ended them with a bare LF (recorded
  // as a violation), so the data may hold up to twice the wire octets, never more.
  POPSPEC_FUZZ_CHECK(r.data.size() <= 2 * limits.max_response, "data over limit" + where());
  POPSPEC_FUZZ_CHECK(r.violations.size() <= limits.max_violations, "too many violations" + where());
  for (const auto& v : r.violations)
    POPSPEC_FUZZ_CHECK(v.offset < r.wire_octets, "violation offset outside the response" + where());
  POPSPEC_FUZZ_CHECK(r.multiline == (multiline && r.ok), "multiline flag wrong" + where());
  if (!r.multiline) {
    POPSPEC_FUZZ_CHECK(r.data.empty() && r.line_count == 0,
                       "data in a single-line response" + where());
  } else {
    POPSPEC_FUZZ_CHECK(r.data.empty() || r.data.ends_with("\r\n"), "data not CRLF-ended" + where());
    // CRLF-ended lines (checked above and by the round trip): one LF per line.
    POPSPEC_FUZZ_CHECK(
        static_cast<std::size_t>(std::count(r.data.begin(), r.data.end(), '\n')) == r.line_count,
        "line_count differs from the data lines" + where());
  }

  // Serialise again: a clean response is reproduced octet for octet.
  if (r.violations.empty() && r.violations_dropped == 0 &&
      r.status_line.find('\r') == std::string::npos) {
    std::string status;
    codec::append_status(status, r.ok, r.text);
    if (status == r.status_line + "\r\n") {
      std::string wire = status;
      if (r.multiline) {
        codec::append_dot_stuffed(wire, r.data);
        codec::append_terminator(wire);
      }
      POPSPEC_FUZZ_CHECK(wire == bytes.substr(0, consumed),
                         "re-serialised as " + fuzz::show(wire) + where());
    }
  }
  return 0;
}
