#pragma once
// Stored message text -> POP wire form (RFC 1939 §11, RFC 937 =ccc): every line ends in CRLF
// whatever the storage used (LF or CRLF), and a final line without a newline gets one. Nothing
// is dot-stuffed here; that belongs to the POP3 multi-line framing.
#include <cstdint>
#include <string>
#include <string_view>

namespace popspec::store {

// Appends the wire form of `stored` to `out`. A CR that is not followed by LF is data and is
// kept as it is; every LF not preceded by CR becomes CRLF.
void append_wire_form(std::string_view stored, std::string& out);
std::string to_wire_form(std::string_view stored);
// Octets of to_wire_form(stored), without building it.
std::uint64_t wire_size(std::string_view stored);

}  // namespace popspec::store
