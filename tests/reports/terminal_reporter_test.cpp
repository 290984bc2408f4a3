#include "popspec/reports/terminal.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <regex>
#include <sstream>

#include "popspec/reports/counts.hpp"
#include "sample_results.hpp"

namespace popspec::reports {
namespace {

// Feeds a whole run through a terminal reporter, as the runner would.
std::string report(const harness::run_results& run, terminal_options options) {
  std::ostringstream out;
  auto reporter = make_terminal_reporter(out, options);
  reporter->on_run_start(run.meta, run.scenarios.size());
  for (const auto& s : run.scenarios) reporter->on_scenario_done(s);
  reporter->on_run_end(run);
  return out.str();
}

std::string last_line(const std::string& text) {
  std::string t = text;
  if (!t.empty() && t.back() == '\n') t.pop_back();
  return t.substr(t.rfind('\n') + 1);
}

// Sets an environment variable for one test and restores it afterwards.
class scoped_env {
 public:
  scoped_env(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      ::setenv(name, value, 1);
    else
      ::unsetenv(name);
  }
  ~scoped_env() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

const terminal_options plain{.live = false, .color = false, .level = verbosity::normal};
const terminal_options live_colour{.live = true, .color = true, .level = verbosity::normal};

TEST(FormatCountsTest, StartsWithPassedAndFailedAndOmitsOtherZeroCounts) {
  harness::run_summary s;
  s.pass = 112, s.fail = 3, s.skipped = 4, s.total = 119;
  EXPECT_EQ(format_counts(s), "112 passed, 3 failed, 4 skipped");
  s.non_strict = 2;
  EXPECT_EQ(format_counts(s), "112 passed, 3 failed, 2 non-strict, 4 skipped");
  EXPECT_EQ(format_counts({}), "0 passed, 0 failed");
}

TEST(FormatCountsTest, NamesEveryNonZeroVerdict) {
  harness::run_summary s;
  s.pass = 1, s.non_strict = 2, s.unsupported = 3, s.skipped = 4, s.timeout = 5, s.error = 1;
  EXPECT_EQ(format_counts(s),
            "1 passed, 0 failed, 2 non-strict, 3 unsupported, 4 skipped, 5 timed out, 1 error");
  s.error = 2;
  EXPECT_EQ(format_counts(s).substr(format_counts(s).rfind(", ")), ", 2 errors");
}

TEST(TerminalReporterTest, EndsWithTheCountsLine) {
  const auto run = samples::every_verdict_run();
  EXPECT_EQ(last_line(report(run, plain)),
            "2 passed, 1 failed, 1 non-strict, 1 unsupported, 1 skipped, 1 timed out, 1 error");
  EXPECT_EQ(last_line(report(samples::empty_run(), plain)), "0 passed, 0 failed");
}

TEST(TerminalReporterTest, WritesOnePlainLinePerScenarioWhenNotATerminal) {
  const std::string out = report(samples::every_verdict_run(), plain);
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  EXPECT_EQ(out.find('\r'), std::string::npos);
  EXPECT_NE(out.find("[1/8] PASS        pop3/rfc1939/stat/counts-messages (12 ms)\n"),
            std::string::npos)
      << out;
  EXPECT_NE(
      out.find("[6/8] TIMEOUT     pop3/rfc1939/quit/closes: no answer to QUIT within 5000 ms\n"),
      std::string::npos)
      << out;
  EXPECT_NE(out.find("popspec 0.1.0: 8 scenarios, pop3 (rfc1939) against 127.0.0.1:1110\n"),
            std::string::npos);
}

TEST(TerminalReporterTest, RedrawsOneProgressLineOnATerminal) {
  auto options = live_colour;
  options.width = 200;
  const std::string out = report(samples::every_verdict_run(), options);
  EXPECT_NE(out.find("[8/8] 2 passed, 1 failed, 1 non-strict, 1 unsupported, 1 skipped, 1 timed "
                     "out, 1 error · misc/no-requirements\r\x1b[K"),
            std::string::npos)
      << out;
  // Passes only update the live line; problems get a line of their own.
  EXPECT_EQ(out.find("PASS "), std::string::npos);
  EXPECT_NE(out.find("FAIL"), std::string::npos);
}

TEST(TerminalReporterTest, KeepsTheLiveLineNarrowerThanTheTerminal) {
  auto options = live_colour;
  options.width = 30;
  const std::string out = report(samples::every_verdict_run(), options);
  const std::string erase = "\r\x1b[K";
  std::size_t lines = 0;
  for (auto at = out.find(erase); at != std::string::npos; at = out.find(erase, at + 1)) {
    // The live line starts after the previous newline or erasure.
    const auto newline = out.rfind('\n', at);
    const auto erased = at == 0 ? std::string::npos : out.rfind("\x1b[K", at - 1);
    std::size_t start = newline == std::string::npos ? 0 : newline + 1;
    if (erased != std::string::npos && erased + 3 > start) start = erased + 3;
    const std::string line = out.substr(start, at - start);
    std::size_t columns = 0;
    for (const char c : line) columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    EXPECT_LT(columns, 30u) << line;
    ++lines;
  }
  EXPECT_EQ(lines, 8u);
}

TEST(TerminalReporterTest, ColoursOnlyWhenAsked) {
  EXPECT_EQ(report(samples::every_verdict_run(), {.live = true, .color = false}).find("\x1b[3"),
            std::string::npos);
  EXPECT_NE(report(samples::every_verdict_run(), live_colour).find("\x1b[1;31m"),
            std::string::npos);
}

TEST(TerminalReporterTest, NoEscapeSequenceFromAServerReachesTheTerminal) {
  for (const auto& options : {plain, live_colour}) {
    for (const auto level : {verbosity::quiet, verbosity::normal, verbosity::verbose}) {
      auto o = options;
      o.level = level;
      const std::string out = report(samples::every_verdict_run(), o);
      // The only escape sequences are our own colours and the line eraser.
      const std::string without_ours =
          std::regex_replace(out, std::regex("\x1b\\[([0-9;]*m|K)"), "");
      EXPECT_EQ(without_ours.find('\x1b'), std::string::npos) << without_ours;
      for (const char c : without_ours) {
        const auto u = static_cast<unsigned char>(c);
        EXPECT_TRUE(u >= 0x20 || c == '\n' || c == '\r') << "raw control octet " << int{u};
        if (c == '\r') {
          EXPECT_TRUE(o.live);
        }
      }
    }
  }
}

TEST(TerminalReporterTest, QuietPrintsOnlyProblemsAndTheCountsLine) {
  const std::string out = report(samples::every_verdict_run(),
                                 {.live = true, .color = false, .level = verbosity::quiet});
  EXPECT_EQ(out.find('\r'), std::string::npos);
  EXPECT_EQ(out.find("popspec 0.1.0"), std::string::npos);
  EXPECT_EQ(out.find("NON-STRICT"), std::string::npos);
  EXPECT_NE(out.find("FAIL "), std::string::npos);
  EXPECT_NE(out.find("TIMEOUT "), std::string::npos);
  EXPECT_NE(out.find("ERROR "), std::string::npos);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 4);
}

TEST(TerminalReporterTest, VerboseShowsTheFailingStepAndTranscript) {
  auto options = plain;
  options.level = verbosity::verbose;
  const std::string out = report(samples::every_verdict_run(), options);
  EXPECT_NE(
      out.find("      Failing step 5 at scenarios/pop3/rfc1939/retr/deleted-message.json:42:7\n"
               "        Expected: -ERR (any text)\n"),
      std::string::npos)
      << out;
  EXPECT_NE(out.find("      transcript:\n"), std::string::npos);
  EXPECT_NE(out.find("S: +OK NUL\\x00 ESC\\x1B[31m"), std::string::npos);
}

TEST(TerminalReporterTest, VerboseRecapsFailuresBeforeTheCountsLine) {
  auto options = plain;
  options.level = verbosity::verbose;
  const std::string out = report(samples::every_verdict_run(), options);
  const auto recap = out.find("\nFailures:\n  pop3/rfc1939/retr/deleted-message: the server");
  ASSERT_NE(recap, std::string::npos) << out;
  EXPECT_NE(out.find("\nRan 8 scenarios in 5.1 s\n", recap), std::string::npos) << out;
}

TEST(TerminalReporterTest, NormalModeLeavesTheFailureDetailsToPopspecRun) {
  // `popspec run` prints a detailed block for each failure; a recap would repeat it.
  const std::string out = report(samples::every_verdict_run(), plain);
  EXPECT_EQ(out.find("Failures:"), std::string::npos) << out;
  EXPECT_NE(out.find("\nRan 8 scenarios in 5.1 s\n"), std::string::npos) << out;
}

class DetectTerminalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY);
    ASSERT_GE(master_, 0);
    ASSERT_EQ(::grantpt(master_), 0);
    ASSERT_EQ(::unlockpt(master_), 0);
    terminal_ = ::open(::ptsname(master_), O_RDWR | O_NOCTTY);
    ASSERT_GE(terminal_, 0);
    ASSERT_EQ(::pipe(pipe_), 0);
  }
  void TearDown() override {
    for (const int fd : {master_, terminal_, pipe_[0], pipe_[1]})
      if (fd >= 0) ::close(fd);
  }
  int master_ = -1, terminal_ = -1, pipe_[2] = {-1, -1};
  scoped_env term_{"TERM", "xterm"};
  scoped_env no_color_{"NO_COLOR", nullptr};
};

TEST_F(DetectTerminalTest, ATerminalGetsTheLiveLineAndColours) {
  const auto o = detect_terminal(terminal_, verbosity::verbose);
  EXPECT_TRUE(o.live);
  EXPECT_TRUE(o.color);
  EXPECT_EQ(o.level, verbosity::verbose);
}

TEST_F(DetectTerminalTest, APipeGetsPlainLinesWithoutColour) {
  const auto o = detect_terminal(pipe_[1]);
  EXPECT_FALSE(o.live);
  EXPECT_FALSE(o.color);
}

TEST_F(DetectTerminalTest, NoColorTurnsColoursOffButKeepsTheLiveLine) {
  scoped_env no_color("NO_COLOR", "1");
  const auto o = detect_terminal(terminal_);
  EXPECT_TRUE(o.live);
  EXPECT_FALSE(o.color);
}

TEST_F(DetectTerminalTest, AnEmptyNoColorIsIgnored) {
  scoped_env no_color("NO_COLOR", "");
  EXPECT_TRUE(detect_terminal(terminal_).color);
}

TEST_F(DetectTerminalTest, ADumbTerminalIsTreatedAsPlainOutput) {
  scoped_env term("TERM", "dumb");
  const auto o = detect_terminal(terminal_);
  EXPECT_FALSE(o.live);
  EXPECT_FALSE(o.color);
}

TEST_F(DetectTerminalTest, TakesTheWidthFromColumnsWhenNotATerminal) {
  scoped_env columns("COLUMNS", "132");
  EXPECT_EQ(detect_terminal(pipe_[1]).width, 132u);
}

}  // namespace
}  // namespace popspec::reports
