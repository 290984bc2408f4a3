#include "popspec/codec/escape.hpp"

namespace popspec::codec {

std::string escape_bytes(std::string_view bytes) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size());
  for (const char c : bytes) {
    const auto octet = static_cast<unsigned char>(c);
    switch (octet) {
      case '\\':
        out += "\\\\";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (octet >= 0x20 && octet <= 0x7E) {
          out += c;
        } else {
          out += "\\x";
          out += hex[octet >> 4];
          out += hex[octet & 0x0F];
        }
    }
  }
  return out;
}

}  // namespace popspec::codec
