#include "popspec/store/mbox_format.hpp"

namespace popspec::store {

namespace {

constexpr std::string_view separator = "From ";

// Length of the line starting at `pos`, including its LF (or up to the end of `text`).
std::size_t line_length(std::string_view text, std::size_t pos) {
  const auto lf = text.find('\n', pos);
  return lf == std::string_view::npos ? text.size() - pos : lf - pos + 1;
}

// `pos` starts a line. If the line just before it is empty ("\n" or "\r\n") and starts at or
// after `floor` (the first line of the body), returns where that empty line starts, else `pos`.
std::size_t strip_blank_line_before(std::string_view text, std::size_t floor, std::size_t pos) {
  if (pos >= floor + 2 && text.substr(pos - 2, 2) == "\r\n" &&
      (pos - 2 == floor || text[pos - 3] == '\n'))
    return pos - 2;
  if (pos >= floor + 1 && text[pos - 1] == '\n' && (pos - 1 == floor || text[pos - 2] == '\n'))
    return pos - 1;
  return pos;
}

// Whether `line` is ">" * n + "From " with n >= 1 (at least `min_quotes`).
bool is_quoted_from(std::string_view line, std::size_t min_quotes, std::size_t max_quotes) {
  std::size_t quotes = 0;
  while (quotes < line.size() && line[quotes] == '>') ++quotes;
  return quotes >= min_quotes && quotes <= max_quotes && line.substr(quotes).starts_with(separator);
}

}  // namespace

std::error_code split_mbox(std::string_view file, std::vector<mbox_extent>& out) {
  out.clear();
  if (file.empty()) return {};
  if (!file.starts_with(separator)) return std::make_error_code(std::errc::illegal_byte_sequence);
  std::size_t pos = 0;
  while (pos < file.size()) {
    const std::size_t len = line_length(file, pos);
    if (file.substr(pos, len).starts_with(separator)) {
      if (!out.empty()) {
        out.back().end = pos;
        out.back().body_end = strip_blank_line_before(file, out.back().body_begin, pos);
      }
      out.push_back({pos, pos + len, pos + len, pos + len});
    }
    pos += len;
  }
  out.back().end = file.size();
  out.back().body_end = strip_blank_line_before(file, out.back().body_begin, file.size());
  return {};
}

std::string unescape_mbox_body(std::string_view stored_body, mbox_variant variant) {
  std::string out;
  out.reserve(stored_body.size());
  std::size_t pos = 0;
  while (pos < stored_body.size()) {
    const std::size_t len = line_length(stored_body, pos);
    const std::string_view line = stored_body.substr(pos, len);
    const bool escaped = variant == mbox_variant::mboxrd
                             ? is_quoted_from(line, 1, std::string_view::npos)
                             : is_quoted_from(line, 1, 1);
    out.append(escaped ? line.substr(1) : line);
    pos += len;
  }
  return out;
}

std::string make_mbox_entry(std::string_view message, std::string_view envelope_sender,
                            std::string_view asctime_date) {
  std::string out;
  out.reserve(message.size() + 64);
  out.append(separator).append(envelope_sender).append(" ").append(asctime_date).append("\n");
  std::size_t pos = 0;
  while (pos < message.size()) {
    std::size_t len = line_length(message, pos);
    std::string_view line = message.substr(pos, len);
    pos += len;
    // Store with LF line endings, as MTAs write mbox files.
    if (line.ends_with('\n')) line.remove_suffix(1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (is_quoted_from(line, 0, std::string_view::npos)) out.push_back('>');
    out.append(line).append("\n");
  }
  out.append("\n");
  return out;
}

}  // namespace popspec::store
