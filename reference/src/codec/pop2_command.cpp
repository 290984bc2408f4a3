#include "popspec/codec/pop2_command.hpp"

#include <array>
#include <limits>
#include <optional>
#include <vector>

namespace popspec::codec {

namespace {

class pop2_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "popspec.pop2"; }
  std::string message(int ev) const override {
    switch (static_cast<pop2_errc>(ev)) {
      case pop2_errc::empty_line:
        return "empty line";
      case pop2_errc::line_too_long:
        return "line longer than 512 characters (counting CRLF)";
      case pop2_errc::unknown_keyword:
        return "unknown command keyword";
      case pop2_errc::lower_case_keyword:
        return "command keyword not in upper case";
      case pop2_errc::missing_argument:
        return "missing argument";
      case pop2_errc::unexpected_argument:
        return "unexpected argument";
      case pop2_errc::bad_spacing:
        return "not exactly one space between keyword and arguments";
      case pop2_errc::bad_number:
        return "message number is not decimal digits";
      case pop2_errc::bad_character:
        return "control character or non-ASCII octet";
      case pop2_errc::dangling_backslash:
        return "argument ends in a lone quoting backslash";
      case pop2_errc::unknown_indicator:
        return "reply does not start with +, -, # or =";
      case pop2_errc::missing_number:
        return "no number right after the # or = indicator";
      case pop2_errc::number_out_of_range:
        return "number does not fit in 64 bits";
      case pop2_errc::missing_space:
        return "reply text not separated by a space";
      case pop2_errc::bad_greeting:
        return "not a greeting of the form \"+ POP2 host [text]\"";
      case pop2_errc::unquotable:
        return "argument holds CR, LF or a non-ASCII octet, which cannot be quoted";
    }
    return "unknown pop2 error";
  }
};

constexpr std::array<std::string_view, 8> keyword_names{"HELO", "FOLD", "READ", "RETR",
                                                        "ACKS", "ACKD", "NACK", "QUIT"};

char to_upper_ascii(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Characters RFC 937 lets stand unquoted in an argument. <print> lists letters, digits and
// <punct>; <punct> leaves out '.' and ';', which we take for an oversight (host names, file
// names and the RFC's own example "FOLD /usr/spool/mail/smith" style of name need '.') and
// accept like every other visible ASCII character.
bool is_visible(unsigned char c) {
  return c >= 0x21 && c <= 0x7E;
}

std::optional<pop2_keyword> match_keyword(std::string_view word, bool strict, std::error_code& ec) {
  if (word.size() != 4) {
    ec = make_error_code(pop2_errc::unknown_keyword);
    return std::nullopt;
  }
  for (std::size_t i = 0; i < keyword_names.size(); ++i) {
    const std::string_view name = keyword_names[i];
    bool same = true;
    for (std::size_t j = 0; j < 4; ++j) same = same && to_upper_ascii(word[j]) == name[j];
    if (!same) continue;
    if (strict && word != name) {
      ec = make_error_code(pop2_errc::lower_case_keyword);
      return std::nullopt;
    }
    return static_cast<pop2_keyword>(i);
  }
  ec = make_error_code(pop2_errc::unknown_keyword);
  return std::nullopt;
}

// Splits HELO's arguments at unquoted spaces ("\ " is part of a word). An empty piece means a
// leading, trailing or doubled space.
std::vector<std::string_view> split_words(std::string_view args) {
  std::vector<std::string_view> words;
  std::size_t start = 0;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == '\\') {
      ++i;  // the quoted character, whatever it is, belongs to the word
    } else if (args[i] == ' ') {
      words.push_back(args.substr(start, i - start));
      start = i + 1;
    }
  }
  words.push_back(args.substr(start));  // start <= args.size() always
  return words;
}

// Checks a <word> (no unquoted SP) and unquotes it.
std::error_code unquote_word(std::string_view wire, std::string& out) {
  if (wire.empty()) return make_error_code(pop2_errc::bad_spacing);
  return pop2_unquote(wire, out);
}

}  // namespace

const std::error_category& pop2_category() {
  static const pop2_category_impl category;
  return category;
}

std::error_code make_error_code(pop2_errc e) {
  return {static_cast<int>(e), pop2_category()};
}

std::string_view to_string(pop2_keyword k) {
  return keyword_names[static_cast<std::size_t>(k)];
}

std::error_code pop2_quote(std::string_view raw, std::string& out) {
  std::string quoted;
  quoted.reserve(raw.size());
  for (char ch : raw) {
    const auto c = static_cast<unsigned char>(ch);
    // A CR or LF inside a line would end it (the framer splits at LF), and RFC 937's <any> is
    // ASCII only, so these have no representation at all.
    if (c == '\r' || c == '\n' || c >= 0x80) return make_error_code(pop2_errc::unquotable);
    if (c == ' ' || c == '\\' || !is_visible(c)) quoted.push_back('\\');
    quoted.push_back(ch);
  }
  out = std::move(quoted);
  return {};
}

std::error_code pop2_unquote(std::string_view wire, std::string& out) {
  std::string raw;
  raw.reserve(wire.size());
  for (std::size_t i = 0; i < wire.size(); ++i) {
    auto c = static_cast<unsigned char>(wire[i]);
    if (c == '\\') {
      if (i + 1 == wire.size()) return make_error_code(pop2_errc::dangling_backslash);
      c = static_cast<unsigned char>(wire[++i]);
      // RFC 937: <quote> <any>, <any> being one of the 128 ASCII codes.
      if (c >= 0x80) return make_error_code(pop2_errc::bad_character);
    } else if (c != ' ' && !is_visible(c)) {
      return make_error_code(pop2_errc::bad_character);
    }
    raw.push_back(static_cast<char>(c));
  }
  out = std::move(raw);
  return {};
}

std::error_code parse_pop2_command(std::string_view line, pop2_command& out,
                                   const pop2_parse_options& options) {
  if (line.empty()) return make_error_code(pop2_errc::empty_line);
  if (line.size() + 2 > pop2_max_command_line) return make_error_code(pop2_errc::line_too_long);
  if (line.front() == ' ') return make_error_code(pop2_errc::bad_spacing);

  const std::size_t space = line.find(' ');
  const std::string_view word = line.substr(0, space);
  const bool has_args = space != std::string_view::npos;
  const std::string_view args = has_args ? line.substr(space + 1) : std::string_view{};

  std::error_code ec;
  const auto keyword = match_keyword(word, options.strict_keyword_case, ec);
  if (!keyword) return ec;

  pop2_command cmd;
  cmd.keyword = *keyword;
  switch (*keyword) {
    case pop2_keyword::helo: {
      if (!has_args) return make_error_code(pop2_errc::missing_argument);
      const auto words = split_words(args);
      for (const auto w : words)
        if (w.empty()) return make_error_code(pop2_errc::bad_spacing);
      if (words.size() < 2) return make_error_code(pop2_errc::missing_argument);
      if (words.size() > 2) return make_error_code(pop2_errc::unexpected_argument);
      if ((ec = unquote_word(words[0], cmd.user))) return ec;
      if ((ec = unquote_word(words[1], cmd.password))) return ec;
      break;
    }
    case pop2_keyword::fold:
      // <mailbox> is a <string>: everything after the single separating SP, spaces included.
      if (!has_args || args.empty()) return make_error_code(pop2_errc::missing_argument);
      if ((ec = pop2_unquote(args, cmd.mailbox))) return ec;
      break;
    case pop2_keyword::read: {
      if (!has_args) break;
      if (args.empty() || args.front() == ' ' || args.back() == ' ')
        return make_error_code(pop2_errc::bad_spacing);
      if (args.find(' ') != std::string_view::npos)
        return make_error_code(pop2_errc::unexpected_argument);
      std::uint64_t n = 0;
      constexpr auto max = std::numeric_limits<std::uint64_t>::max();
      for (char c : args) {
        if (!is_digit(c)) return make_error_code(pop2_errc::bad_number);
        const auto digit = static_cast<std::uint64_t>(c - '0');
        n = (n > (max - digit) / 10) ? max : n * 10 + digit;  // saturate: names no message
      }
      cmd.number = n;
      break;
    }
    case pop2_keyword::retr:
    case pop2_keyword::acks:
    case pop2_keyword::ackd:
    case pop2_keyword::nack:
    case pop2_keyword::quit:
      if (has_args) {
        return make_error_code(args.empty() ? pop2_errc::bad_spacing
                                            : pop2_errc::unexpected_argument);
      }
      break;
  }
  out = std::move(cmd);
  return {};
}

std::error_code serialize_pop2_command(const pop2_command& cmd, std::string& out) {
  std::string line(to_string(cmd.keyword));
  std::error_code ec;
  const auto append_arg = [&](const std::string& raw) -> std::error_code {
    if (raw.empty()) return make_error_code(pop2_errc::missing_argument);
    std::string quoted;
    if (auto e = pop2_quote(raw, quoted)) return e;
    line.push_back(' ');
    line += quoted;
    return {};
  };
  switch (cmd.keyword) {
    case pop2_keyword::helo:
      if ((ec = append_arg(cmd.user))) return ec;
      if ((ec = append_arg(cmd.password))) return ec;
      break;
    case pop2_keyword::fold:
      if ((ec = append_arg(cmd.mailbox))) return ec;
      break;
    case pop2_keyword::read:
      if (cmd.number) line += " " + std::to_string(*cmd.number);
      break;
    default:
      break;
  }
  line += "\r\n";
  if (line.size() > pop2_max_command_line) return make_error_code(pop2_errc::line_too_long);
  out = std::move(line);
  return {};
}

}  // namespace popspec::codec
