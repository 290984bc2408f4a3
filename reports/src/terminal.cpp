#include "popspec/reports/terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "details_text.hpp"
#include "popspec/reports/counts.hpp"
#include "popspec/reports/escape.hpp"

namespace popspec::reports {
namespace {
using harness::verdict;

constexpr std::string_view reset = "\x1b[0m";
constexpr std::string_view clear_line = "\r\x1b[K";

std::string_view colour_of(verdict v) {
  switch (v) {
    case verdict::pass:
      return "\x1b[32m";  // green
    case verdict::fail:
      return "\x1b[1;31m";  // bold red
    case verdict::non_strict:
      return "\x1b[33m";  // yellow
    case verdict::unsupported:
      return "\x1b[36m";  // cyan
    case verdict::skipped:
      return "\x1b[2m";  // dim
    case verdict::timeout:
      return "\x1b[35m";  // magenta
    case verdict::error:
      return "\x1b[1;35m";  // bold magenta
  }
  return "";
}

std::string tag_of(verdict v) {
  std::string tag(verdict_label(v));
  for (char& c : tag) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  tag.resize(11, ' ');  // the longest tag, "UNSUPPORTED"
  return tag;
}

// Keeps the first `columns` code points of printable (valid UTF-8) text.
std::string truncate_columns(const std::string& text, std::size_t columns) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (count++ == columns) return text.substr(0, i);
  }
  return text;
}

std::string indent(const std::string& text, std::string_view prefix) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::size_t stop = end == std::string::npos ? text.size() : end;
    out += prefix;
    out.append(text, start, stop - start);
    out += '\n';
    start = stop + 1;
  }
  return out;
}

class terminal_reporter final : public harness::progress_listener {
 public:
  terminal_reporter(std::ostream& out, terminal_options options) : out_(out), options_(options) {
    if (options_.width < 20) options_.width = 20;
  }

  void on_run_start(const harness::run_metadata& meta, std::size_t scenario_count) override {
    expected_ = scenario_count;
    done_ = 0;
    seen_ = {};
    problems_.clear();
    if (options_.level == verbosity::quiet) return;
    out_ << "popspec " << printable_text(meta.popspec_version, false) << ": " << scenario_count
         << (scenario_count == 1 ? " scenario" : " scenarios") << ", "
         << printable_text(meta.protocol, false);
    if (!meta.profile.empty()) out_ << " (" << printable_text(meta.profile, false) << ")";
    out_ << " against " << printable_text(meta.target, false) << "\n";
    // A slow target's discovery can time out, and its scenarios then read "unsupported": say so
    // before they do.
    if (auto it = meta.options.find("discovery_unanswered"); it != meta.options.end())
      out_ << "warning: during capability discovery " << printable_text(it->second, false)
           << "; scenarios needing what they would have shown are marked unsupported (a slow "
              "target may need a longer --timeout)\n";
    out_ << std::flush;
  }

  void on_scenario_done(const harness::scenario_result& s) override {
    ++done_;
    seen_.count(s.result);
    if (is_failure(s.result)) problems_.push_back(printable_text(s.id, false) + reason_suffix(s));
    erase_live_line();
    const bool quiet = options_.level == verbosity::quiet;
    const bool verbose = options_.level == verbosity::verbose;
    // On a terminal the live line shows progress, so only what needs attention gets a line of
    // its own; in a log every scenario does, so the log shows progress too.
    const bool noteworthy = is_failure(s.result) || s.result == verdict::non_strict ||
                            (verbose && s.result != verdict::pass);
    if (quiet ? is_failure(s.result) : (!options_.live || noteworthy)) write_result_line(s);
    if (verbose && (is_failure(s.result) || s.result == verdict::non_strict)) {
      out_ << indent(printable_text(detail::scenario_details(s)), "      ");
      if (!s.transcript.empty())
        out_ << "      transcript:\n"
             << indent(printable_text(detail::transcript_text(s)), "      ");
    }
    if (options_.live && !quiet) draw_live_line(s);
    out_ << std::flush;
  }

  void on_run_end(const harness::run_results& results) override {
    erase_live_line();
    if (options_.level != verbosity::quiet) {
      // In normal mode `popspec run` prints a detailed block per failure itself (failure_text):
      // a recap here would only repeat it. Verbose mode recaps the failures shown inline.
      if (!problems_.empty() && options_.level == verbosity::verbose) {
        out_ << "\n" << paint(verdict::fail, "Failures:") << "\n";
        for (const auto& p : problems_) out_ << "  " << p << "\n";
      }
      out_ << "\nRan " << results.summary.total
           << (results.summary.total == 1 ? " scenario in " : " scenarios in ")
           << detail::format_duration(results.meta.duration_ms) << "\n";
    }
    const auto& s = results.summary;
    const bool bad = s.fail + s.timeout + s.error > 0;
    out_ << paint(bad ? verdict::fail : verdict::pass, format_counts(s)) << "\n" << std::flush;
  }

 private:
  static std::string reason_suffix(const harness::scenario_result& s) {
    return s.reason.empty() ? std::string() : ": " + printable_text(s.reason, false);
  }

  std::string paint(verdict v, std::string_view text) const {
    if (!options_.color) return std::string(text);
    return std::string(colour_of(v)) + std::string(text) + std::string(reset);
  }

  void write_result_line(const harness::scenario_result& s) {
    const std::string total = std::to_string(expected_);
    std::string counter = std::to_string(done_);
    counter.insert(0, total.size() > counter.size() ? total.size() - counter.size() : 0, ' ');
    out_ << "[" << counter << "/" << total << "] " << paint(s.result, tag_of(s.result)) << " "
         << printable_text(s.id, false);
    if (s.result == verdict::pass)
      out_ << " (" << detail::format_duration(s.duration_ms) << ")";
    else
      out_ << reason_suffix(s);
    out_ << "\n";
  }

  void draw_live_line(const harness::scenario_result& s) {
    const std::string line = "[" + std::to_string(done_) + "/" + std::to_string(expected_) + "] " +
                             format_counts(seen_) + " · " + printable_text(s.id, false);
    out_ << truncate_columns(line, options_.width - 1);
    live_line_shown_ = true;
  }

  void erase_live_line() {
    if (!live_line_shown_) return;
    out_ << clear_line;
    live_line_shown_ = false;
  }

  std::ostream& out_;
  terminal_options options_;
  std::size_t expected_ = 0;
  std::size_t done_ = 0;
  harness::run_summary seen_;
  std::vector<std::string> problems_;
  bool live_line_shown_ = false;
};
}  // namespace

terminal_options detect_terminal(int fd, verbosity level) {
  terminal_options options;
  options.level = level;
  const char* term = std::getenv("TERM");
  const bool tty = ::isatty(fd) == 1 && !(term && std::string_view(term) == "dumb");
  const char* no_color = std::getenv("NO_COLOR");
  options.live = tty;
  options.color = tty && !(no_color && *no_color != '\0');
  winsize size{};
  if (tty && ::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    options.width = size.ws_col;
  } else if (const char* columns = std::getenv("COLUMNS")) {
    const long n = std::strtol(columns, nullptr, 10);
    if (n > 0 && n < 10'000) options.width = static_cast<std::size_t>(n);
  }
  return options;
}

std::unique_ptr<harness::progress_listener> make_terminal_reporter(std::ostream& out,
                                                                   terminal_options options) {
  return std::make_unique<terminal_reporter>(out, options);
}

}  // namespace popspec::reports
