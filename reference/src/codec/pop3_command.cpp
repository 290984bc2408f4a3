#include "popspec/codec/pop3_command.hpp"

namespace popspec::codec {
namespace {

constexpr bool is_vchar(char c) {
  return c >= 0x21 && c <= 0x7E;
}
constexpr bool is_vchar_or_space(char c) {
  return c >= 0x20 && c <= 0x7E;
}

bool keyword_is_pass(std::string_view keyword) {
  return ascii_upper(keyword) == "PASS";
}

}  // namespace

std::string ascii_upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::error_code parse_command(std::string_view line, command& out, const command_limits& limits) {
  out.keyword.clear();
  out.args.clear();
  if (line.empty()) return codec_errc::empty_command;
  if (line.size() + 2 > limits.max_line) return codec_errc::command_too_long;
  for (const char c : line) {
    if (!is_vchar_or_space(c)) return codec_errc::invalid_character;
  }

  const std::size_t keyword_end = line.find(' ');
  const std::string_view keyword = line.substr(0, keyword_end);
  if (keyword.empty()) return codec_errc::empty_argument;
  if (keyword.size() < 3 || keyword.size() > 4) return codec_errc::keyword_length;
  out.keyword = ascii_upper(keyword);
  if (keyword_end == std::string_view::npos) return {};

  std::string_view rest = line.substr(keyword_end + 1);
  std::vector<std::string> args;
  if (limits.pass_takes_rest && out.keyword == "PASS") {
    if (rest.empty()) return codec_errc::empty_argument;
    if (rest.size() > limits.max_argument) return codec_errc::argument_too_long;
    args.emplace_back(rest);
  } else {
    // Every space starts a new argument, so "A  B" and "A " contain an empty argument.
    while (true) {
      const std::size_t space = rest.find(' ');
      const std::string_view arg = rest.substr(0, space);
      if (arg.empty()) return codec_errc::empty_argument;
      if (arg.size() > limits.max_argument) return codec_errc::argument_too_long;
      args.emplace_back(arg);
      if (space == std::string_view::npos) break;
      rest.remove_prefix(space + 1);
    }
  }
  out.args = std::move(args);
  return {};
}

std::string serialize_command(const command& c) {
  std::string out = c.keyword;
  for (const auto& arg : c.args) {
    out += ' ';
    out += arg;
  }
  out += "\r\n";
  return out;
}

std::error_code check_command(const command& c, const command_limits& limits) {
  if (c.keyword.empty() && c.args.empty()) return codec_errc::empty_command;
  for (const char ch : c.keyword) {
    if (!is_vchar(ch)) return codec_errc::invalid_character;
  }
  if (c.keyword.size() < 3 || c.keyword.size() > 4) return codec_errc::keyword_length;

  const bool rest_of_line = limits.pass_takes_rest && keyword_is_pass(c.keyword);
  if (rest_of_line && c.args.size() > 1) return codec_errc::too_many_arguments;
  std::size_t line_size = c.keyword.size() + 2;  // + CRLF
  for (const auto& arg : c.args) {
    if (arg.empty()) return codec_errc::empty_argument;
    for (const char ch : arg) {
      if (!(rest_of_line ? is_vchar_or_space(ch) : is_vchar(ch))) {
        return codec_errc::invalid_character;
      }
    }
    if (arg.size() > limits.max_argument) return codec_errc::argument_too_long;
    line_size += 1 + arg.size();
  }
  if (line_size > limits.max_line) return codec_errc::command_too_long;
  return {};
}

}  // namespace popspec::codec
