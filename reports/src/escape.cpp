#include "popspec/reports/escape.hpp"

#include <cstdint>

#include "popspec/codec/escape.hpp"

namespace popspec::reports {
namespace {
constexpr char hex_digits[] = "0123456789ABCDEF";
constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

void append_hex_octet(std::string& out, unsigned char c) {
  out += "\\x";
  out += hex_digits[c >> 4];
  out += hex_digits[c & 0x0F];
}

// Decodes one UTF-8 sequence at the start of `s` (non-empty). Returns its length and sets `cp`, or
// returns 0 when the sequence is invalid: overlong, a surrogate, beyond U+10FFFF, or truncated.
std::size_t decode_utf8(std::string_view s, char32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  std::size_t len = 0;
  char32_t min = 0;
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() < len) return 0;
  for (std::size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

bool needs_display_escape(char32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||             // C0, DEL, C1
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||  // bidi overrides
         cp == 0x200E || cp == 0x200F || cp == 0x061C ||                      // bidi marks
         cp == 0xFFFE || cp == 0xFFFF;
}
}  // namespace

std::string escape_octets(std::string_view bytes) {
  return codec::escape_bytes(bytes);
}

std::optional<std::string> unescape_octets(std::string_view text) {
  return codec::unescape_bytes(text);
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    char32_t cp = 0;
    const std::size_t len = decode_utf8(text, cp);
    if (len == 0) {
      out += replacement;
      text.remove_prefix(1);
    } else {
      out += text.substr(0, len);
      text.remove_prefix(len);
    }
  }
  return out;
}

std::string printable_text(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    char32_t cp = 0;
    const std::size_t len = decode_utf8(text, cp);
    if (len == 0) {
      out += replacement;
      text.remove_prefix(1);
      continue;
    }
    if ((cp == '\n' && keep_newlines) || cp == '\t' || !needs_display_escape(cp)) {
      out += text.substr(0, len);
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp < 0x80) {
      append_hex_octet(out, static_cast<unsigned char>(cp));
    } else {
      out += "\\u{";
      std::string digits;
      for (char32_t v = cp; v != 0; v >>= 4) digits.insert(digits.begin(), hex_digits[v & 0x0F]);
      out += digits;
      out += '}';
    }
    text.remove_prefix(len);
  }
  return out;
}

}  // namespace popspec::reports
