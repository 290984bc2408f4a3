#include "markup.hpp"

#include <algorithm>
#include <cctype>

#include "popspec/reports/escape.hpp"

namespace popspec::reports::detail {
namespace {
bool is_ascii_punctuation(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x80 && std::ispunct(u) != 0;
}
}  // namespace

std::string html(std::string_view text) {
  const std::string printable = printable_text(text);
  std::string out;
  out.reserve(printable.size() + printable.size() / 8);
  for (const char c : printable) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string xml_text(std::string_view text) {
  // printable_text leaves only TAB and LF of the C0 range, both allowed in XML 1.0, and escapes
  // U+FFFE/U+FFFF, which XML forbids.
  const std::string printable = printable_text(text);
  std::string out;
  out.reserve(printable.size() + printable.size() / 8);
  for (const char c : printable) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string xml_attribute(std::string_view text) {
  const std::string printable = printable_text(text);
  std::string out;
  out.reserve(printable.size() + printable.size() / 8);
  for (const char c : printable) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\t':
        out += "&#9;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string markdown_inline(std::string_view text) {
  const std::string printable = printable_text(text, false);
  std::string out;
  out.reserve(printable.size() + printable.size() / 4);
  for (const char c : printable) {
    if (c == '\t') {
      out += ' ';
    } else {
      if (is_ascii_punctuation(c)) out += '\\';
      out += c;
    }
  }
  return out;
}

std::string markdown_code_span(std::string_view text, bool in_table) {
  std::string body;
  for (const char c : printable_text(text, false)) {
    if (c == '|' && in_table) body += '\\';
    body += c == '\t' ? ' ' : c;
  }
  if (body.empty()) return "` `";
  std::size_t longest = 0;
  for (std::size_t run = 0; const char c : body) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  // A space on each side keeps a leading or trailing backtick from joining the fence; CommonMark
  // strips one such space from each side.
  const bool pad =
      body.front() == '`' || body.back() == '`' || body.front() == ' ' || body.back() == ' ';
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

std::string markdown_code_block(std::string_view text) {
  std::string body = printable_text(text);
  while (!body.empty() && body.back() == '\n') body.pop_back();
  std::size_t longest = 0;
  for (std::size_t run = 0; const char c : body) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  return fence + "text\n" + body + "\n" + fence + "\n";
}

std::string attribute_token(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (!(u < 0x80 && (std::isalnum(u) != 0 || c == '.' || c == '_' || c == '-'))) c = '_';
  }
  return out;
}

}  // namespace popspec::reports::detail
