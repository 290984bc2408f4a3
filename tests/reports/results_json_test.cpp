#include "popspec/reports/json_results.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>

#include "popspec/reports/errc.hpp"
#include "sample_results.hpp"
#include "test_support.hpp"

namespace popspec::reports {
namespace {
using nlohmann::json;
using namespace std::string_literals;

std::string written(const harness::run_results& r) {
  std::ostringstream out;
  write_json(r, out);
  return out.str();
}

// Validates `document` against reports/schema/results-v1.schema.json with Debian's
// python3-jsonschema; returns the validator's exit code and messages.
test::command_result validate(const json& document) {
  test::scratch_dir dir;
  test::write_file(dir / "results.json", document.dump());
  return test::run_command(
      "/usr/bin/python3 -c 'import json, sys, jsonschema\n"
      "schema = json.load(open(sys.argv[1]))\n"
      "jsonschema.Draft202012Validator.check_schema(schema)\n"
      "errors = "
      "list(jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2]))))\n"
      "[print(list(e.absolute_path), e.message[:200]) for e in errors]\n"
      "sys.exit(1 if errors else 0)' " +
      test::quote(test::source_path("reports/schema/results-v1.schema.json")) + " " +
      test::quote(dir / "results.json"));
}

TEST(JsonResultsTest, CarriesSchemaIdAndVersion) {
  const json j = to_json(samples::every_verdict_run());
  EXPECT_EQ(j["$schema"], "urn:popspec:schema:results-v1");
  EXPECT_EQ(j["schema_version"], 1);
}

TEST(JsonResultsTest, CountsEveryVerdictInTheSummary) {
  const json s = to_json(samples::every_verdict_run())["summary"];
  EXPECT_EQ(s, json::parse(R"({"pass": 2, "fail": 1, "non_strict": 1, "unsupported": 1,
                               "skipped": 1, "timeout": 1, "error": 1, "total": 8})"));
}

TEST(JsonResultsTest, WritesEveryScenarioField) {
  const json s = to_json(samples::every_verdict_run())["scenarios"][1];
  EXPECT_EQ(s["id"], "pop3/rfc1939/retr/deleted-message");
  EXPECT_EQ(s["verdict"], "fail");
  EXPECT_EQ(s["group"], "pop3/rfc1939/retr");
  EXPECT_EQ(s["file"], "pop3/rfc1939/retr/deleted-message.json");
  EXPECT_EQ(s["requirements"][1]["level"], "MUST NOT");
  EXPECT_EQ(s["requirements"][0]["rfc"], "1939");
  EXPECT_EQ(s["failure"]["step_index"], 4);
  EXPECT_EQ(s["failure"]["expected"], "-ERR (any text)");
  EXPECT_EQ(s["differences"][0]["reference"], "-ERR <text>");
  EXPECT_EQ(s["transcript"][0]["direction"], "server_to_client");
  EXPECT_EQ(s["transcript"][0]["data"], "+OK POP3 ready\\r\\n");
}

TEST(JsonResultsTest, WritesNullForAScenarioWithoutFailingStep) {
  EXPECT_TRUE(to_json(samples::every_verdict_run())["scenarios"][0]["failure"].is_null());
}

TEST(JsonResultsTest, RoundTripIsIdentical) {
  for (const auto& run :
       {samples::every_verdict_run(), samples::second_target_run(), samples::empty_run()}) {
    const json first = to_json(run);
    harness::run_results back;
    std::string error;
    ASSERT_FALSE(from_json(first, back, error)) << error;
    EXPECT_EQ(to_json(back), first);
    EXPECT_EQ(written(back), written(run));
  }
}

TEST(JsonResultsTest, WrittenTextReadsBackToTheSameText) {
  const std::string text = written(samples::every_verdict_run());
  harness::run_results back;
  std::string error;
  ASSERT_FALSE(parse_results(text, back, error)) << error;
  EXPECT_EQ(written(back), text);
}

TEST(JsonResultsTest, TranscriptOctetsSurviveTheRoundTripExactly) {
  const auto run = samples::every_verdict_run();
  harness::run_results back;
  std::string error;
  ASSERT_FALSE(from_json(to_json(run), back, error)) << error;
  ASSERT_EQ(back.scenarios.size(), run.scenarios.size());
  for (std::size_t i = 0; i < run.scenarios.size(); ++i) {
    ASSERT_EQ(back.scenarios[i].transcript.size(), run.scenarios[i].transcript.size());
    for (std::size_t t = 0; t < run.scenarios[i].transcript.size(); ++t)
      EXPECT_EQ(back.scenarios[i].transcript[t].bytes, run.scenarios[i].transcript[t].bytes);
  }
}

TEST(JsonResultsTest, EscapesNonPrintableTranscriptOctetsReadably) {
  const json data = to_json(samples::every_verdict_run())["scenarios"][1]["transcript"][6]["data"];
  EXPECT_NE(data.get<std::string>().find("NUL\\x00 ESC\\x1B[31m"), std::string::npos) << data;
}

TEST(JsonResultsTest, StoresInvalidUtf8TextAsReplacementCharacters) {
  auto run = samples::every_verdict_run();
  run.scenarios[0].title = "bad \xff title";
  const json j = to_json(run);
  EXPECT_EQ(j["scenarios"][0]["title"], "bad \xef\xbf\xbd title");
  EXPECT_NO_THROW((void)j.dump());
}

TEST(JsonResultsTest, WritesNonFiniteDurationsAsZero) {
  auto run = samples::every_verdict_run();
  run.meta.duration_ms = std::numeric_limits<double>::quiet_NaN();
  run.scenarios[0].duration_ms = std::numeric_limits<double>::infinity();
  const json j = to_json(run);
  EXPECT_EQ(j["metadata"]["duration_ms"], 0.0);
  EXPECT_EQ(j["scenarios"][0]["duration_ms"], 0.0);
}

TEST(JsonResultsTest, ProducedResultsValidateAgainstTheSchema) {
  for (const auto& run :
       {samples::every_verdict_run(), samples::second_target_run(), samples::empty_run()}) {
    const auto result = validate(to_json(run));
    EXPECT_EQ(result.exit_code, 0) << result.output;
  }
}

TEST(JsonResultsTest, SchemaRejectsWhatTheWriterMustNotProduce) {
  // The validation above means something only if the schema can say no.
  json missing_summary = to_json(samples::every_verdict_run());
  missing_summary.erase("summary");
  EXPECT_EQ(validate(missing_summary).exit_code, 1);

  json bad_escape = to_json(samples::every_verdict_run());
  bad_escape["scenarios"][0]["transcript"][0]["data"] = "raw \x1b escape";
  EXPECT_EQ(validate(bad_escape).exit_code, 1);

  json bad_verdict = to_json(samples::every_verdict_run());
  bad_verdict["scenarios"][0]["verdict"] = "passed";
  EXPECT_EQ(validate(bad_verdict).exit_code, 1);
}

struct bad_document {
  std::string name;
  std::function<void(json&)> spoil;
  errc code;
  std::string message;
};

TEST(JsonResultsTest, RejectsBadDocumentsNamingWhereTheyWentWrong) {
  const std::vector<bad_document> cases{
      {"not an object", [](json& j) { j = json::array(); }, errc::invalid_results,
       "/: expected an object"},
      {"future version", [](json& j) { j["schema_version"] = 2; }, errc::unsupported_version,
       "/schema_version: unsupported schema_version 2 (this popspec reads 1)"},
      {"no scenarios", [](json& j) { j.erase("scenarios"); }, errc::invalid_results,
       "/: missing member \"scenarios\""},
      {"unknown verdict", [](json& j) { j["scenarios"][3]["verdict"] = "passed"; },
       errc::invalid_results, "/scenarios/3/verdict: unknown verdict \"passed\""},
      {"bad level", [](json& j) { j["scenarios"][1]["requirements"][0]["level"] = "must"; },
       errc::invalid_results, "/scenarios/1/requirements/0/level: unknown requirement level"},
      {"bad escape", [](json& j) { j["scenarios"][0]["transcript"][1]["data"] = "\\q"; },
       errc::invalid_results, "/scenarios/0/transcript/1/data: malformed escape"},
      {"negative count", [](json& j) { j["summary"]["pass"] = -1; }, errc::invalid_results,
       "/summary/pass: expected a non-negative integer"},
      {"string duration", [](json& j) { j["scenarios"][2]["duration_ms"] = "12"; },
       errc::invalid_results, "/scenarios/2/duration_ms: expected a non-negative number"},
      {"summary disagrees", [](json& j) { j["summary"]["pass"] = 3; }, errc::inconsistent_summary,
       "/summary: counts (pass 3,"},
  };
  for (const auto& c : cases) {
    json j = to_json(samples::every_verdict_run());
    c.spoil(j);
    harness::run_results out;
    out.meta.target = "left over";
    std::string error;
    EXPECT_EQ(from_json(j, out, error), make_error_code(c.code)) << c.name;
    EXPECT_EQ(error.rfind(c.message, 0), 0u) << c.name << ": " << error;
    EXPECT_TRUE(out.scenarios.empty() && out.meta.target.empty()) << c.name;
  }
}

TEST(JsonResultsTest, IgnoresMembersItDoesNotKnow) {
  json j = to_json(samples::every_verdict_run());
  j["written_by_a_newer_popspec"] = true;
  j["scenarios"][0]["new_field"] = json::array();
  harness::run_results out;
  std::string error;
  EXPECT_FALSE(from_json(j, out, error)) << error;
}

TEST(JsonResultsTest, ReportsWhereTextIsNotJson) {
  harness::run_results out;
  std::string error;
  EXPECT_EQ(parse_results("{\"schema_version\": 1,\n  oops}", out, error), errc::not_json);
  EXPECT_EQ(error.rfind("not JSON: parse error at line 2, column 3", 0), 0u) << error;
}

TEST(JsonResultsTest, ReadsResultsFilesAndNamesTheFileInErrors) {
  test::scratch_dir dir;
  harness::run_results out;
  std::string error;

  std::ostringstream text;
  write_json(samples::every_verdict_run(), text);
  test::write_file(dir / "good.json", text.str());
  EXPECT_FALSE(read_results_file(dir / "good.json", out, error)) << error;
  EXPECT_EQ(out.scenarios.size(), 8u);

  EXPECT_EQ(read_results_file(dir / "missing.json", out, error), errc::cannot_read);
  EXPECT_EQ(error,
            "cannot read " + (dir / "missing.json").string() + ": No such file or directory");

  EXPECT_EQ(read_results_file(dir.path(), out, error), errc::cannot_read);
  EXPECT_EQ(error, "cannot read " + dir.path().string() + ": is a directory");

  test::write_file(dir / "junk.json", "<testsuites/>");
  EXPECT_EQ(read_results_file(dir / "junk.json", out, error), errc::not_json);
  EXPECT_EQ(error.rfind((dir / "junk.json").string() + ": not JSON: ", 0), 0u) << error;

  test::write_file(dir / "old.json", R"({"schema_version": 0})");
  EXPECT_EQ(read_results_file(dir / "old.json", out, error), errc::unsupported_version);
  EXPECT_EQ(error.rfind((dir / "old.json").string() + ": /schema_version: ", 0), 0u) << error;
}

}  // namespace
}  // namespace popspec::reports
