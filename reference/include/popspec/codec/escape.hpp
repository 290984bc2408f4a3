#pragma once
// Makes arbitrary octets readable in one line, for transcripts and diagnostics.
#include <optional>
#include <string>
#include <string_view>

namespace popspec::codec {

// Printable ASCII (0x20-0x7E) stays as is, except the backslash, which becomes "\\". CR, LF and
// TAB become "\r", "\n" and "\t"; every other octet becomes "\xNN" (two upper-case hex digits).
// The mapping is injective, so a transcript can always be read back to the exact octets.
std::string escape_bytes(std::string_view bytes);

// The inverse of escape_bytes. Characters outside escapes are taken as they are and hex digits
// may be lower case, so hand-edited text still reads back; a malformed escape ("\q", "\x4", a
// trailing "\") gives nullopt.
std::optional<std::string> unescape_bytes(std::string_view text);

}  // namespace popspec::codec
