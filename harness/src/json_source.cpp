#include "popspec/harness/json_source.hpp"

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <set>

namespace popspec::harness {

source_position json_document::value_at(const std::string& pointer) const {
  auto it = value_positions.find(pointer);
  return it == value_positions.end() ? source_position{} : it->second;
}

source_position json_document::key_at(const std::string& pointer) const {
  auto it = key_positions.find(pointer);
  return it == key_positions.end() ? value_at(pointer) : it->second;
}

std::string pointer_append(const std::string& base, std::string_view key) {
  std::string out = base + "/";
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string pointer_append(const std::string& base, std::size_t index) {
  return base + "/" + std::to_string(index);
}

namespace {

constexpr int max_depth = 64;

class parser {
 public:
  parser(std::string_view text, json_document& doc) : text_(text), doc_(doc) {}

  bool run(json_parse_error& error) {
    skip_ws();
    bool ok = parse_value(doc_.value, "", 0);
    if (ok) {
      skip_ws();
      if (pos_ != text_.size()) ok = fail("unexpected text after the JSON document");
    }
    if (!ok) error = error_;
    return ok;
  }

 private:
  bool fail(std::string message) {
    if (error_.message.empty()) error_ = {here(), std::move(message)};
    return false;
  }

  source_position here() const { return {line_, column_}; }

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }

  // Advances one byte, keeping line and column (a column counts characters, not UTF-8 bytes).
  void advance() {
    unsigned char c = static_cast<unsigned char>(text_[pos_++]);
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column_;
    }
  }

  void skip_ws() {
    while (!at_end()) {
      char c = peek();
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        advance();
      else
        break;
    }
  }

  bool expect_literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word)
      return fail(
          "invalid literal (expected a string, number, object, array, true, false or null)");
    for (std::size_t i = 0; i < word.size(); ++i) advance();
    return true;
  }

  bool parse_value(nlohmann::json& out, const std::string& pointer, int depth) {
    if (depth > max_depth) return fail("nesting deeper than 64 levels");
    doc_.value_positions[pointer] = here();
    if (at_end()) return fail("unexpected end of input (expected a value)");
    switch (peek()) {
      case '{':
        return parse_object(out, pointer, depth);
      case '[':
        return parse_array(out, pointer, depth);
      case '"': {
        std::string s;
        if (!parse_string(s)) return false;
        out = std::move(s);
        return true;
      }
      case 't':
        out = true;
        return expect_literal("true");
      case 'f':
        out = false;
        return expect_literal("false");
      case 'n':
        out = nullptr;
        return expect_literal("null");
      default:
        if (peek() == '-' || (peek() >= '0' && peek() <= '9')) return parse_number(out);
        return fail(
            "unexpected character (expected a string, number, object, array, true, "
            "false or null)");
    }
  }

  bool parse_object(nlohmann::json& out, const std::string& pointer, int depth) {
    out = nlohmann::json::object();
    advance();  // '{'
    skip_ws();
    if (peek() == '}') {
      advance();
      return true;
    }
    std::set<std::string, std::less<>> seen;
    for (;;) {
      skip_ws();
      if (peek() != '"') return fail("expected '\"' to start an object key");
      source_position key_pos = here();
      std::string key;
      if (!parse_string(key)) return false;
      if (!seen.insert(key).second) {
        error_ = {key_pos, "duplicate key \"" + key + "\""};
        return false;
      }
      std::string member = pointer_append(pointer, key);
      doc_.key_positions[member] = key_pos;
      skip_ws();
      if (peek() != ':') return fail("expected ':' after an object key");
      advance();
      skip_ws();
      nlohmann::json value;
      if (!parse_value(value, member, depth + 1)) return false;
      out[key] = std::move(value);
      skip_ws();
      if (peek() == ',') {
        advance();
        continue;
      }
      if (peek() == '}') {
        advance();
        return true;
      }
      return fail("expected ',' or '}' after an object member");
    }
  }

  bool parse_array(nlohmann::json& out, const std::string& pointer, int depth) {
    out = nlohmann::json::array();
    advance();  // '['
    skip_ws();
    if (peek() == ']') {
      advance();
      return true;
    }
    for (std::size_t index = 0;; ++index) {
      skip_ws();
      nlohmann::json value;
      if (!parse_value(value, pointer_append(pointer, index), depth + 1)) return false;
      out.push_back(std::move(value));
      skip_ws();
      if (peek() == ',') {
        advance();
        continue;
      }
      if (peek() == ']') {
        advance();
        return true;
      }
      return fail("expected ',' or ']' after an array element");
    }
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  std::optional<std::uint32_t> parse_hex4() {
    if (text_.size() - pos_ < 4) return std::nullopt;
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = peek();
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        v |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v |= static_cast<std::uint32_t>(c - 'A' + 10);
      else
        return std::nullopt;
      advance();
    }
    return v;
  }

  // Checks one UTF-8 encoded character starting at pos_ and copies it.
  bool copy_utf8_char(std::string& out) {
    auto lead = static_cast<unsigned char>(peek());
    std::size_t len = lead < 0x80           ? 1
                      : (lead >> 5) == 0x6  ? 2
                      : (lead >> 4) == 0xE  ? 3
                      : (lead >> 3) == 0x1E ? 4
                                            : 0;
    if (len == 0 || text_.size() - pos_ < len) return fail("invalid UTF-8 in string");
    std::uint32_t cp = len == 1   ? lead
                       : len == 2 ? (lead & 0x1Fu)
                       : len == 3 ? (lead & 0x0Fu)
                                  : (lead & 0x07u);
    for (std::size_t i = 1; i < len; ++i) {
      auto c = static_cast<unsigned char>(text_[pos_ + i]);
      if ((c & 0xC0) != 0x80) return fail("invalid UTF-8 in string");
      cp = (cp << 6) | (c & 0x3Fu);
    }
    static constexpr std::uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return fail("invalid UTF-8 in string");
    for (std::size_t i = 0; i < len; ++i) {
      out += text_[pos_];
      advance();
    }
    return true;
  }

  bool parse_string(std::string& out) {
    advance();  // opening quote
    for (;;) {
      if (at_end()) return fail("unterminated string");
      char c = peek();
      if (c == '"') {
        advance();
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20)
        return fail("control character in string (write it as \\u00XX)");
      if (c != '\\') {
        if (!copy_utf8_char(out)) return false;
        continue;
      }
      advance();
      if (at_end()) return fail("unterminated string");
      char e = peek();
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          advance();
          auto cp = parse_hex4();
          if (!cp) return fail("expected four hex digits after \\u");
          if (*cp >= 0xD800 && *cp <= 0xDBFF) {
            if (peek() != '\\' || pos_ + 1 >= text_.size() || text_[pos_ + 1] != 'u')
              return fail("unpaired UTF-16 surrogate in \\u escape");
            advance();
            advance();
            auto low = parse_hex4();
            if (!low || *low < 0xDC00 || *low > 0xDFFF)
              return fail("unpaired UTF-16 surrogate in \\u escape");
            *cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
          } else if (*cp >= 0xDC00 && *cp <= 0xDFFF) {
            return fail("unpaired UTF-16 surrogate in \\u escape");
          }
          append_utf8(out, *cp);
          continue;  // parse_hex4 already advanced
        }
        default:
          return fail("invalid escape sequence in string");
      }
      advance();
    }
  }

  bool parse_number(nlohmann::json& out) {
    std::size_t start = pos_;
    bool integral = true;
    if (peek() == '-') advance();
    if (peek() == '0') {
      advance();
    } else if (peek() >= '1' && peek() <= '9') {
      while (peek() >= '0' && peek() <= '9') advance();
    } else {
      return fail("invalid number");
    }
    if (peek() == '.') {
      integral = false;
      advance();
      if (!(peek() >= '0' && peek() <= '9')) return fail("expected a digit after '.'");
      while (peek() >= '0' && peek() <= '9') advance();
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      advance();
      if (peek() == '+' || peek() == '-') advance();
      if (!(peek() >= '0' && peek() <= '9')) return fail("expected a digit in the exponent");
      while (peek() >= '0' && peek() <= '9') advance();
    }
    std::string_view digits = text_.substr(start, pos_ - start);
    if (integral) {
      if (digits.front() == '-') {
        std::int64_t v = 0;
        auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
        if (ec == std::errc() && p == digits.data() + digits.size()) {
          out = v;
          return true;
        }
      } else {
        std::uint64_t v = 0;
        auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
        if (ec == std::errc() && p == digits.data() + digits.size()) {
          out = v;
          return true;
        }
      }
    }
    out = std::strtod(std::string(digits).c_str(), nullptr);
    return true;
  }

  std::string_view text_;
  json_document& doc_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t column_ = 1;
  json_parse_error error_;
};

}  // namespace

bool parse_json_with_positions(std::string_view text, json_document& out, json_parse_error& error) {
  out = json_document{};
  parser p(text, out);
  return p.run(error);
}

}  // namespace popspec::harness
