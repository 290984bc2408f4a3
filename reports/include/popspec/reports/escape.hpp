#pragma once
// Text escaping shared by every writer. Results hold two kinds of strings:
//  - transcript octets, which are whatever a (possibly hostile) server sent, and
//  - text meant for people (titles, reasons, expected/actual), which should be UTF-8 but, coming
//    from scenario files and servers, may not be.
// Nothing from either may reach a report unescaped: not a NUL, not an ESC, not invalid UTF-8.
#include <optional>
#include <string>
#include <string_view>

namespace popspec::reports {

// Transcript octets to the readable, reversible form used in JSON results: printable ASCII
// (0x20-0x7E) stays as is except the backslash ("\\"); CR, LF and TAB become "\r", "\n" and "\t";
// every other octet becomes "\xNN" (upper-case hex). The result is printable ASCII only.
std::string escape_octets(std::string_view bytes);

// The inverse of escape_octets. Characters outside escapes are taken as they are, so hand-edited
// text still reads back; a malformed escape ("\q", "\x4", a trailing "\") gives nullopt.
std::optional<std::string> unescape_octets(std::string_view text);

// `text` as valid UTF-8: each invalid sequence becomes U+FFFD, everything else is unchanged.
// What a JSON string needs (JSON itself escapes control characters reversibly).
std::string valid_utf8(std::string_view text);

// `text` made safe to show on a terminal or in a document: valid UTF-8, with control characters
// (C0 except TAB, and LF unless `keep_newlines` is false; DEL; C1), bidirectional overrides and the
// non-characters U+FFFE/U+FFFF written as visible escapes ("\x1B", "\r", "\u{202E}"). Not
// reversible: for display only.
std::string printable_text(std::string_view text, bool keep_newlines = true);

}  // namespace popspec::reports
