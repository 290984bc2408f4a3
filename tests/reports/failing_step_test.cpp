// Transcript entries carry the step they belong to: the JSON results keep it (optional, so older
// results still read), and the HTML report highlights the failing step's entries.
#include <gtest/gtest.h>

#include <sstream>

#include "popspec/reports/html.hpp"
#include "popspec/reports/json_results.hpp"
#include "sample_results.hpp"

namespace popspec::reports {
namespace {

using harness::direction;

harness::run_results run_with_failing_step() {
  harness::run_results run;
  run.meta = samples::metadata("127.0.0.1:1110");
  auto s = samples::scenario("pop3/x/failing", "pop3/x", harness::verdict::fail, "Fails at step 2",
                             "step 2 (STAT): wrong");
  s.transcript = {
      samples::entry(direction::server_to_client, "+OK ready\r\n", 0.4, "main", 0),
      samples::entry(direction::client_to_server, "STAT\r\n", 1.0, "main", 1),
      samples::entry(direction::server_to_client, "+OK 9 9\r\n", 1.6, "main", 1),
      samples::entry(direction::event, "end of scenario: closing without QUIT", 2.0, "main"),
  };
  s.failure = harness::step_failure{1, "x.json:9:9", "+OK 7 106188", "+OK 9 9"};
  samples::add(run, std::move(s));
  return run;
}

TEST(FailingStepTest, JsonResultsKeepTheStepOfEachTranscriptEntry) {
  auto run = run_with_failing_step();
  auto j = to_json(run);
  const auto& t = j["scenarios"][0]["transcript"];
  EXPECT_EQ(t[1]["step_index"], 1);
  EXPECT_FALSE(t[3].contains("step_index"));
  harness::run_results back;
  std::string error;
  ASSERT_FALSE(from_json(j, back, error)) << error;
  const auto& bt = back.scenarios[0].transcript;
  ASSERT_EQ(bt.size(), 4u);
  EXPECT_EQ(bt[0].step_index, std::optional<std::size_t>(0));
  EXPECT_EQ(bt[2].step_index, std::optional<std::size_t>(1));
  EXPECT_FALSE(bt[3].step_index);
}

TEST(FailingStepTest, HtmlHighlightsOnlyTheFailingStepsEntries) {
  std::ostringstream out;
  write_html(std::vector<harness::run_results>{run_with_failing_step()}, out);
  const std::string html = out.str();
  std::size_t n = 0;
  for (auto at = html.find("<li class=\"t-"); at != std::string::npos;
       at = html.find("<li class=\"t-", at + 1)) {
    auto end = html.find('>', at);
    if (html.substr(at, end - at).find("failing-step") != std::string::npos) ++n;
  }
  EXPECT_EQ(n, 2u);  // STAT and its answer, not the greeting or the closing event
}

}  // namespace
}  // namespace popspec::reports
