#pragma once
// Makes arbitrary octets readable in one line, for transcripts and diagnostics.
#include <string>
#include <string_view>

namespace popspec::codec {

// Printable ASCII (0x20-0x7E) stays as is, except the backslash, which becomes "\\". CR, LF and
// TAB become "\r", "\n" and "\t"; every other octet becomes "\xNN" (two upper-case hex digits).
// The mapping is injective, so a transcript can always be read back to the exact octets.
std::string escape_bytes(std::string_view bytes);

}  // namespace popspec::codec
