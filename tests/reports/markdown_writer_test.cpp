#include "popspec/reports/markdown.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "sample_results.hpp"

namespace popspec::reports {
namespace {

std::string markdown(const harness::run_results& run, const markdown_options& options = {}) {
  std::ostringstream out;
  write_markdown(run, out, options);
  return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Cell borders GFM would see: pipes not escaped by a backslash.
std::size_t unescaped_pipes(const std::string& line) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < line.size(); ++i)
    if (line[i] == '\\')
      ++i;
    else if (line[i] == '|')
      ++n;
  return n;
}

TEST(MarkdownWriterTest, StartsWithTheCountsLine) {
  EXPECT_EQ(lines_of(markdown(samples::every_verdict_run())).front(),
            "## popspec: 2 passed, 1 failed, 1 non-strict, 1 unsupported, 1 skipped, 1 timed out, "
            "1 error");
}

TEST(MarkdownWriterTest, TabulatesEveryVerdictCount) {
  const std::string md = markdown(samples::every_verdict_run());
  EXPECT_NE(
      md.find("| pass | fail | non-strict | unsupported | skipped | timeout | error | total |\n"
              "|---:|---:|---:|---:|---:|---:|---:|---:|\n"
              "| 2 | 1 | 1 | 1 | 1 | 1 | 1 | 8 |\n"),
      std::string::npos)
      << md;
}

TEST(MarkdownWriterTest, ListsFailuresTimeoutsAndErrorsButNotPasses) {
  const std::string md = markdown(samples::every_verdict_run());
  EXPECT_NE(md.find("### Failures (3)"), std::string::npos);
  EXPECT_NE(md.find("| `pop3/rfc1939/retr/deleted-message` | fail | `POP3-1939-RETR.3`, "
                    "`POP3-1939-DELE.2` |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| `pop3/rfc1939/quit/closes` | timeout |"), std::string::npos);
  EXPECT_EQ(md.find("counts-messages"), std::string::npos);
  EXPECT_NE(md.find("### Non-strict (1)"), std::string::npos);
}

TEST(MarkdownWriterTest, ShowsExpectedAgainstActualForTheFailingStep) {
  const std::string md = markdown(samples::every_verdict_run());
  EXPECT_NE(md.find("**Failing step 5** at "
                    "`scenarios/pop3/rfc1939/retr/deleted-message.json:42:7`"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("Expected:\n\n```text\n-ERR (any text)\n```\n"), std::string::npos) << md;
  EXPECT_NE(md.find("target:    +OK <text>\nreference: -ERR <text>"), std::string::npos) << md;
}

TEST(MarkdownWriterTest, EscapesMarkupSoHostileTextStaysText) {
  const std::string md = markdown(samples::every_verdict_run());
  // Outside code blocks and spans, no tag, link or emphasis survives unescaped.
  bool in_code_block = false;
  for (const auto& line : lines_of(md)) {
    if (line.rfind("```", 0) == 0) in_code_block = !in_code_block;
    if (in_code_block || line.rfind("```", 0) == 0) continue;
    std::string outside_spans;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '\\') {
        ++i;
        continue;
      }
      if (line[i] == '`') {  // skip a code span: a run of n backticks up to the next such run
        std::size_t n = 0;
        while (i + n < line.size() && line[i + n] == '`') ++n;
        const std::size_t end = line.find(std::string(n, '`'), i + n);
        if (end == std::string::npos) break;
        i = end + n - 1;
        continue;
      }
      outside_spans += line[i];
    }
    EXPECT_EQ(outside_spans.find('<'), std::string::npos) << line;
    EXPECT_EQ(outside_spans.find("]("), std::string::npos) << line;
    std::string without_bold = outside_spans;  // our own **labels** are the only emphasis
    for (auto at = without_bold.find("**"); at != std::string::npos; at = without_bold.find("**"))
      without_bold.erase(at, 2);
    EXPECT_EQ(without_bold.find('*'), std::string::npos) << line;
    EXPECT_EQ(outside_spans.find('_'), std::string::npos) << line;
    EXPECT_EQ(outside_spans.find('['), std::string::npos) << line;
    EXPECT_EQ(outside_spans.find('&'), std::string::npos) << line;
  }
  for (const char c : md) {
    const auto u = static_cast<unsigned char>(c);
    EXPECT_TRUE(u >= 0x20 || c == '\n') << "raw control octet " << int{u};
  }
}

TEST(MarkdownWriterTest, TableRowsKeepTheirFourCells) {
  const std::string md = markdown(samples::every_verdict_run());
  for (const auto& line : lines_of(md))
    if (line.rfind("| `", 0) == 0) {
      EXPECT_EQ(unescaped_pipes(line), 5u) << line;
    }
}

TEST(MarkdownWriterTest, CodeBlocksCannotBeClosedByTheirContent) {
  auto run = samples::every_verdict_run();
  run.scenarios[1].failure->actual = "```\n# not a heading\n````";
  const std::string md = markdown(run);
  EXPECT_NE(md.find("Actual:\n\n`````text\n```\n# not a heading\n````\n`````\n"), std::string::npos)
      << md;
}

TEST(MarkdownWriterTest, EmptyRunSaysNoScenariosRan) {
  const std::string md = markdown(samples::empty_run());
  EXPECT_EQ(lines_of(md).front(), "## popspec: 0 passed, 0 failed");
  EXPECT_NE(md.find("No scenarios ran."), std::string::npos);
}

TEST(MarkdownWriterTest, SaysSoWhenNothingFailed) {
  harness::run_results run = samples::empty_run();
  samples::add(run, samples::scenario("a", "g", harness::verdict::pass, "A"));
  EXPECT_NE(markdown(run).find("No failures."), std::string::npos);
}

TEST(MarkdownWriterTest, CapsLongListsToStayShort) {
  harness::run_results run = samples::empty_run();
  for (int i = 0; i < 30; ++i)
    samples::add(
        run, samples::scenario("f" + std::to_string(i), "g", harness::verdict::fail, "F", "why"));
  const std::string md = markdown(run, {.max_listed = 20, .max_detailed = 2});
  EXPECT_NE(md.find("| `f19` |"), std::string::npos);
  EXPECT_EQ(md.find("| `f20` |"), std::string::npos);
  EXPECT_NE(md.find("…and 10 more"), std::string::npos);
  EXPECT_NE(md.find("#### fail: `f1`"), std::string::npos);
  EXPECT_EQ(md.find("#### fail: `f2`"), std::string::npos);
}

}  // namespace
}  // namespace popspec::reports
