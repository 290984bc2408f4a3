#include "popspec/codec/line_framer.hpp"

#include <algorithm>
#include <utility>

namespace popspec::codec {

line_framer::line_framer(std::size_t max_line_with_crlf) : max_line_(max_line_with_crlf) {}

void line_framer::feed(std::string_view bytes) {
  while (!bytes.empty()) {
    const std::size_t lf = bytes.find('\n');
    const std::string_view segment = bytes.substr(0, lf);  // whole rest when no LF

    if (lf == std::string_view::npos) {
      if (!discarding_) {
        // The line is too long as soon as its octets so far leave no room for the terminator.
        if (partial_.size() + segment.size() >= max_line_) {
          discarded_head_ = std::move(partial_);
          const std::size_t room = max_line_ - std::min(max_line_, discarded_head_.size());
          discarded_head_.append(segment.substr(0, room));
          partial_.clear();
          discarding_ = true;
        } else {
          partial_.append(segment);
        }
      }
      return;
    }

    finish_line(segment);
    bytes.remove_prefix(lf + 1);
  }
}

void line_framer::finish_line(std::string_view last_segment) {
  if (discarding_) {
    ready_.push_back({line_kind::too_long, std::move(discarded_head_)});
    discarded_head_.clear();
    discarding_ = false;
    return;
  }
  // +1 for the LF itself; a CR before it is already counted in the text.
  if (partial_.size() + last_segment.size() + 1 > max_line_) {
    std::string head = std::move(partial_);
    const std::size_t room = max_line_ - std::min(max_line_, head.size());
    head.append(last_segment.substr(0, room));
    partial_.clear();
    ready_.push_back({line_kind::too_long, std::move(head)});
    return;
  }
  std::string text = std::move(partial_);
  partial_.clear();
  text.append(last_segment);
  if (!text.empty() && text.back() == '\r') {
    text.pop_back();
    ready_.push_back({line_kind::line, std::move(text)});
  } else {
    ready_.push_back({line_kind::bare_lf, std::move(text)});
  }
}

std::optional<line_event> line_framer::next() {
  if (ready_.empty()) return std::nullopt;
  line_event event = std::move(ready_.front());
  ready_.pop_front();
  return event;
}

std::size_t line_framer::pending() const {
  return partial_.size() + discarded_head_.size();
}

}  // namespace popspec::codec
