// Baselines: reading expectations files, and sorting a run's verdicts into as-pinned, new
// problems and stale entries (popspec run --baseline).
#include "popspec/harness/baseline.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace popspec::harness {
namespace {

using ::testing::HasSubstr;

scenario_result result(std::string id, verdict v, std::string reason = "") {
  scenario_result r;
  r.id = std::move(id);
  r.result = v;
  r.reason = std::move(reason);
  return r;
}

run_results run_of(std::vector<scenario_result> scenarios) {
  run_results r;
  r.meta.target = "127.0.0.1:1110";
  r.meta.popspec_version = "0.0.0";
  for (auto& s : scenarios) {
    r.summary.count(s.result);
    r.scenarios.push_back(std::move(s));
  }
  return r;
}

baseline parse_ok(std::string_view text) {
  baseline b;
  std::string error;
  EXPECT_TRUE(parse_baseline_expectations(text, "known.json", b, error)) << error;
  return b;
}

std::string parse_error(std::string_view text) {
  baseline b;
  std::string error;
  EXPECT_FALSE(parse_baseline_expectations(text, "known.json", b, error));
  EXPECT_TRUE(b.expect.empty());
  return error;
}

std::set<std::string, std::less<>> ids(std::initializer_list<const char*> list) {
  return {list.begin(), list.end()};
}

TEST(BaselineFileTest, ReadsEntriesWithVerdictAndNote) {
  auto b = parse_ok(R"({"baseline": 1, "description": "Dovecot 2.3", "unlisted": "pass",
    "expect": {"a/b/c": {"verdict": "fail", "note": "USER twice is accepted"},
               "a/b/d": {"note": "SHOULD only", "verdict": "non_strict"}}})");
  EXPECT_EQ(b.source, "known.json");
  EXPECT_EQ(b.description, "Dovecot 2.3");
  EXPECT_EQ(b.unlisted, unlisted_policy::pass);
  ASSERT_EQ(b.expect.size(), 2u);
  EXPECT_EQ(b.expect.at("a/b/c").expected, verdict::fail);
  EXPECT_EQ(b.expect.at("a/b/c").note, "USER twice is accepted");
  EXPECT_EQ(b.expect.at("a/b/c").where.str(), "known.json:2:16");
  EXPECT_EQ(b.expect.at("a/b/d").expected, verdict::non_strict);
}

TEST(BaselineFileTest, UnlistedScenariosMayDeviateByDefault) {
  EXPECT_EQ(parse_ok(R"({"baseline": 1, "expect": {}})").unlisted, unlisted_policy::no_failure);
}

TEST(BaselineFileTest, NamesLineAndColumnOfAnUnknownVerdict) {
  EXPECT_EQ(parse_error("{\"baseline\": 1,\n \"expect\": {\"x\": {\"verdict\": \"passed\", "
                        "\"note\": \"n\"}}}"),
            "known.json:2:30: \"verdict\" must be one of pass, fail, non_strict, unsupported, "
            "skipped, timeout, error");
}

TEST(BaselineFileTest, RequiresANoteForEveryEntry) {
  EXPECT_THAT(parse_error(R"({"baseline": 1, "expect": {"x": {"verdict": "fail"}}})"),
              HasSubstr("known.json:1:33: missing \"note\""));
  EXPECT_THAT(parse_error(R"({"baseline": 1, "expect": {"x": {"verdict": "fail", "note": ""}}})"),
              HasSubstr("\"note\" must be a non-empty string"));
  EXPECT_THAT(
      parse_error(R"({"baseline": 1, "expect": {"x": {"verdict": "fail", "note": "a\nb"}}})"),
      HasSubstr("\"note\" must be one line"));
}

TEST(BaselineFileTest, RefusesUnknownKeysAtEveryLevel) {
  EXPECT_THAT(parse_error(R"({"baseline": 1, "expect": {}, "expected": {}})"),
              HasSubstr("known.json:1:31: unknown key \"expected\""));
  EXPECT_THAT(
      parse_error(
          R"({"baseline": 1, "expect": {"x": {"verdict": "fail", "note": "n", "why": 1}}})"),
      HasSubstr("unknown key \"why\" (expected verdict, note)"));
}

TEST(BaselineFileTest, RequiresFormatVersionOneAndTheExpectObject) {
  EXPECT_THAT(parse_error(R"({"baseline": 2, "expect": {}})"),
              HasSubstr("baseline format 2 is not supported"));
  EXPECT_THAT(parse_error(R"({"baseline": 1})"), HasSubstr("missing \"expect\""));
  EXPECT_THAT(parse_error(R"({"expect": {}})"), HasSubstr("missing \"baseline\""));
  EXPECT_THAT(parse_error(R"({"baseline": 1, "expect": [], "unlisted": "all"})"),
              HasSubstr("\"unlisted\" must be \"pass\" or \"no-failure\""));
}

TEST(BaselineFileTest, ReportsJsonSyntaxErrorsWithPosition) {
  EXPECT_THAT(parse_error("{\"baseline\": 1,\n  \"expect\": {,}}"), HasSubstr("known.json:2:14:"));
}

TEST(BaselineFileTest, TellsExpectationsFromResultsDocuments) {
  EXPECT_TRUE(is_baseline_expectations(nlohmann::json::parse(R"({"baseline": 1})")));
  EXPECT_FALSE(is_baseline_expectations(nlohmann::json::parse(R"({"scenarios": []})")));
  EXPECT_FALSE(is_baseline_expectations(nlohmann::json::parse("[]")));
}

TEST(BaselineCompareTest, PinnedFailureDoesNotCountAsNewProblem) {
  auto b = parse_ok(R"({"baseline": 1, "expect": {"s/1": {"verdict": "fail", "note": "known"}}})");
  auto c = compare_with_baseline(
      run_of({result("s/1", verdict::fail), result("s/2", verdict::pass)}), b, ids({"s/1", "s/2"}));
  EXPECT_EQ(c.matched, 1u);
  EXPECT_EQ(c.known_problems, 1u);
  EXPECT_EQ(c.new_problems(), 0u);
  EXPECT_EQ(c.stale(), 0u);
  EXPECT_TRUE(c.findings.empty());
}

TEST(BaselineCompareTest, UnpinnedFailureIsANewProblem) {
  auto b = parse_ok(R"({"baseline": 1, "expect": {}})");
  auto c = compare_with_baseline(run_of({result("s/1", verdict::fail, "step 3: -ERR expected"),
                                         result("s/2", verdict::timeout)}),
                                 b, ids({"s/1", "s/2"}));
  EXPECT_EQ(c.new_fail, 1u);
  EXPECT_EQ(c.new_timeout, 1u);
  ASSERT_EQ(c.findings.size(), 2u);
  EXPECT_EQ(c.findings[0].kind, baseline_finding_kind::new_problem);
  EXPECT_EQ(c.findings[0].explanation, "fail, not in the baseline");
}

TEST(BaselineCompareTest, FailureWithAnotherVerdictThanPinnedIsANewProblem) {
  auto b = parse_ok(
      R"({"baseline": 1, "expect": {"s/1": {"verdict": "non_strict", "note": "SHOULD only"}}})");
  auto c = compare_with_baseline(run_of({result("s/1", verdict::error)}), b, ids({"s/1"}));
  EXPECT_EQ(c.new_error, 1u);
  ASSERT_EQ(c.findings.size(), 1u);
  EXPECT_EQ(c.findings[0].explanation, "error, the baseline pins non_strict");
  EXPECT_EQ(c.findings[0].note, "SHOULD only");
}

TEST(BaselineCompareTest, PinnedFailureThatNowPassesIsStale) {
  auto b = parse_ok(R"({"baseline": 1, "expect": {"s/1": {"verdict": "fail", "note": "known"}}})");
  auto c = compare_with_baseline(run_of({result("s/1", verdict::pass)}), b, ids({"s/1"}));
  EXPECT_EQ(c.new_problems(), 0u);
  EXPECT_EQ(c.stale(), 1u);
  EXPECT_EQ(c.findings[0].explanation, "pass, the baseline pins fail");
}

TEST(BaselineCompareTest, StrictBaselineMakesUnlistedDeviationsStale) {
  auto strict = parse_ok(R"({"baseline": 1, "unlisted": "pass", "expect": {}})");
  auto lenient = parse_ok(R"({"baseline": 1, "expect": {}})");
  auto run = run_of({result("s/1", verdict::non_strict), result("s/2", verdict::unsupported)});
  EXPECT_EQ(compare_with_baseline(run, strict, ids({"s/1", "s/2"})).stale(), 2u);
  EXPECT_EQ(compare_with_baseline(run, lenient, ids({"s/1", "s/2"})).stale(), 0u);
}

TEST(BaselineCompareTest, EntryForAVanishedScenarioIsStaleButUnselectedOnesAreNot) {
  auto b = parse_ok(R"({"baseline": 1, "expect": {
    "s/gone": {"verdict": "fail", "note": "renamed since"},
    "s/other": {"verdict": "fail", "note": "not selected this time"}}})");
  auto c =
      compare_with_baseline(run_of({result("s/1", verdict::pass)}), b, ids({"s/1", "s/other"}));
  EXPECT_EQ(c.not_run, 1u);
  ASSERT_EQ(c.stale(), 1u);
  EXPECT_EQ(c.findings[0].id, "s/gone");
  EXPECT_FALSE(c.findings[0].actual.has_value());
  EXPECT_EQ(c.findings[0].explanation, "no such scenario any more: remove the entry");
}

TEST(BaselineCompareTest, EarlierResultsPinEveryVerdict) {
  auto earlier = run_of({result("s/1", verdict::fail, "USER twice"), result("s/2", verdict::pass),
                         result("s/3", verdict::non_strict, "extra argument ignored")});
  auto b = baseline_from_results(earlier, "before.json");
  EXPECT_EQ(b.expect.size(), 3u);
  EXPECT_EQ(b.expect.at("s/1").note, "USER twice");
  EXPECT_EQ(b.unlisted, unlisted_policy::no_failure);

  auto same = compare_with_baseline(earlier, b, ids({"s/1", "s/2", "s/3"}));
  EXPECT_EQ(same.matched, 3u);
  EXPECT_TRUE(same.findings.empty());

  auto now = run_of({result("s/1", verdict::fail), result("s/2", verdict::non_strict),
                     result("s/3", verdict::non_strict), result("s/4", verdict::fail)});
  auto c = compare_with_baseline(now, b, ids({"s/1", "s/2", "s/3", "s/4"}));
  EXPECT_EQ(c.matched, 2u);
  EXPECT_EQ(c.stale(), 1u);   // s/2 passed before
  EXPECT_EQ(c.new_fail, 1u);  // s/4 is new and fails
}

TEST(BaselineWriteTest, WrittenBaselinePinsEveryNonPassVerdictAndReadsBack) {
  auto run = run_of({result("s/1", verdict::fail, "step 2: +OK, expected -ERR"),
                     result("s/2", verdict::pass), result("s/3", verdict::unsupported, "")});
  auto doc = baseline_expectations_from(run, "test target");
  EXPECT_EQ(doc["unlisted"], "pass");
  EXPECT_EQ(doc["expect"].size(), 2u);
  EXPECT_EQ(doc["expect"]["s/3"]["note"], "unsupported");
  auto b = parse_ok(doc.dump(2));
  auto c = compare_with_baseline(run, b, ids({"s/1", "s/2", "s/3"}));
  EXPECT_EQ(c.matched, 2u);
  EXPECT_TRUE(c.findings.empty());
}

TEST(BaselineFormatTest, SummaryNamesEveryFinding) {
  auto b = parse_ok(R"({"baseline": 1, "expect": {"s/1": {"verdict": "fail", "note": "known"}}})");
  auto c = compare_with_baseline(
      run_of({result("s/1", verdict::pass), result("s/2", verdict::fail, "step 3 went wrong")}), b,
      ids({"s/1", "s/2"}));
  c.source = "known.json";
  std::string text = format_baseline_comparison(c);
  EXPECT_THAT(text, HasSubstr("baseline known.json: 0 as pinned, 1 new problem, 1 stale\n"));
  EXPECT_THAT(text, HasSubstr("  NEW    s/2: fail, not in the baseline; step 3 went wrong\n"));
  EXPECT_THAT(text, HasSubstr("  STALE  s/1: pass, the baseline pins fail (note: known)\n"));
  EXPECT_THAT(text, HasSubstr("exit code 4"));
}

}  // namespace
}  // namespace popspec::harness
