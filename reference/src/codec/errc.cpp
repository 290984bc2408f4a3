#include "popspec/codec/errc.hpp"

namespace popspec::codec {
namespace {

class codec_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "popspec.codec"; }

  std::string message(int value) const override {
    switch (static_cast<codec_errc>(value)) {
      case codec_errc::empty_command:
        return "empty command line";
      case codec_errc::keyword_length:
        return "command keyword is not 3 or 4 characters long";
      case codec_errc::invalid_character:
        return "command contains a character that is not printable ASCII";
      case codec_errc::empty_argument:
        return "empty keyword or argument (leading, trailing or doubled space)";
      case codec_errc::argument_too_long:
        return "command argument longer than the argument limit";
      case codec_errc::command_too_long:
        return "command line longer than the line limit (CRLF included)";
      case codec_errc::too_many_arguments:
        return "command has more arguments than its form allows";
      case codec_errc::status_line_too_long:
        return "response status line longer than the parser limit";
      case codec_errc::data_line_too_long:
        return "multi-line response data line longer than the parser limit";
      case codec_errc::response_too_large:
        return "response larger than the parser limit";
      case codec_errc::bad_status_indicator:
        return "response does not start with +OK or -ERR";
      case codec_errc::incomplete:
        return "input ended before the response was complete";
    }
    return "unknown popspec.codec error " + std::to_string(value);
  }
};

}  // namespace

const std::error_category& codec_category() noexcept {
  static const codec_category_impl category;
  return category;
}

}  // namespace popspec::codec
