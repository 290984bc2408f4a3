// The scenario loader: everything is validated before anything runs, and every error names
// file:line:column and what was expected.
#include "popspec/harness/loader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace popspec::harness {
namespace {

const requirement_catalog& catalog() {
  static requirement_catalog c = [] {
    requirement_catalog cat;
    std::string error;
    bool ok = requirement_catalog::load(
        std::filesystem::path(POPSPEC_SOURCE_DIR) / "scenarios" / "requirements.json", cat, error);
    EXPECT_TRUE(ok) << error;
    return cat;
  }();
  return c;
}

load_result load(const std::string& text, const std::string& rel = "pop3/t.json") {
  load_result r;
  loader_options opts;
  opts.fixture_messages = 7;
  opts.folder_messages = 2;
  load_scenario_text(text, rel, "scenarios/" + rel, catalog(), opts, r);
  return r;
}

// A file with one scenario whose steps (JSON array text) are given.
std::string file(const std::string& steps, const std::string& extra = "",
                 const std::string& protocol = "pop3", const std::string& group = "pop3/t") {
  std::string req = protocol == "pop3" ? "POP3-1939-RETR.3" : "POP2-937-READ.4";
  return "{\"group\": \"" + group + "\", \"protocol\": \"" + protocol +
         "\", \"scenarios\": [{\"id\": \"s\", \"title\": \"t\", \"requirements\": [\"" + req +
         "\"]" + extra + ",\n \"steps\": " + steps + "}]}";
}

std::string errors(const load_result& r) {
  std::string out;
  for (const auto& e : r.errors) out += e.str() + "\n";
  return out;
}

bool has_error(const load_result& r, const std::string& needle) {
  return errors(r).find(needle) != std::string::npos;
}

TEST(ScenarioLoaderTest, LoadsAValidScenarioWithDefaults) {
  auto r = load(file(R"([{"connect": "main"}, {"login": "user"}, {"send": "STAT"}])"));
  ASSERT_TRUE(r.ok()) << errors(r);
  ASSERT_EQ(r.scenarios.size(), 1u);
  const auto& s = r.scenarios[0];
  EXPECT_EQ(s.id, "pop3/t/s");
  EXPECT_EQ(s.profiles, (std::vector<std::string>{"rfc1225", "rfc1939"}));
  EXPECT_EQ(s.fixture, fixture_need::any);
  EXPECT_FALSE(s.destructive);
  EXPECT_EQ(s.accounts, (std::set<std::string>{"user"}));
  ASSERT_EQ(s.steps.size(), 3u);
  EXPECT_EQ(s.steps[0].expect.at(0).any_of.at(0).status, "+OK");  // default greeting check
  EXPECT_EQ(s.steps[2].connection, "main");
  EXPECT_EQ(s.steps[2].expect.size(), 1u);  // one response read even without "expect"
}

TEST(ScenarioLoaderTest, NamesUnknownKeysWithPositionAndAlternatives) {
  auto r = load(file("[{\"connect\": \"main\"},\n   {\"send\": \"STAT\", \"expct\": {}}]"));
  ASSERT_EQ(r.errors.size(), 1u) << errors(r);
  EXPECT_EQ(r.errors[0].where.file, "scenarios/pop3/t.json");
  EXPECT_EQ(r.errors[0].where.line, 3u);
  EXPECT_EQ(r.errors[0].where.column, 21u);
  EXPECT_NE(r.errors[0].message.find("unknown key \"expct\""), std::string::npos);
  EXPECT_NE(r.errors[0].message.find("in step 2 of scenario \"s\""), std::string::npos);
  EXPECT_NE(r.errors[0].message.find("expected one of: comment, expect, on, send, timeout_ms"),
            std::string::npos);
}

TEST(ScenarioLoaderTest, ReportsSyntaxErrorsWithPosition) {
  auto r = load("{\"group\": \"pop3/t\",\n \"protocol\": \"pop3\" \"scenarios\": []}");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].str(),
            "scenarios/pop3/t.json:2:21: expected ',' or '}' after an object member");
}

TEST(ScenarioLoaderTest, GroupMustMatchTheFilePath) {
  auto r = load(file(R"([{"connect": "main"}])", "", "pop3", "pop3/other"));
  EXPECT_TRUE(has_error(r, "does not match the file's path (expected \"pop3/t\")")) << errors(r);
}

TEST(ScenarioLoaderTest, RequirementIdsMustExistAndMatchTheProtocol) {
  auto r = load(R"({"group": "pop3/t", "protocol": "pop3", "scenarios": [{"id": "s", "title": "t",
    "requirements": ["POP3-1939-NOPE.1", "POP2-937-READ.4"], "steps": [{"connect": "m"}]}]})");
  EXPECT_TRUE(has_error(r, "unknown requirement ID \"POP3-1939-NOPE.1\"")) << errors(r);
  EXPECT_TRUE(has_error(r, "POP2-937-READ.4 belongs to the other protocol")) << errors(r);
}

TEST(ScenarioLoaderTest, RegexesMustCompile) {
  auto r = load(file(R"([{"connect": "m", "expect": {"match": "(unclosed"}}])"));
  EXPECT_TRUE(has_error(r, "invalid regular expression")) << errors(r);
}

TEST(ScenarioLoaderTest, VariablesMustBeDefinedBeforeUse) {
  auto bad = load(file(R"([{"connect": "m"}, {"send": "UIDL ${uid}"}])"));
  EXPECT_TRUE(has_error(bad, "unknown variable ${uid}")) << errors(bad);
  auto good = load(file(R"J([{"connect": "m"}, {"login": "user"},
      {"send": "UIDL 1", "expect": {"match": "^\\+OK 1 (?<uid>\\S+)"}},
      {"send": "UIDL", "expect": {"contains": ["1 ${uid}"]}}])J"));
  EXPECT_TRUE(good.ok()) << errors(good);
}

TEST(ScenarioLoaderTest, CapturesServeTheirOwnOutcome) {
  auto r = load(file(R"J([{"connect": "m"}, {"login": "user"},
      {"send": "LIST 1", "expect": {"match": "^\\+OK 1 (?<size>\\d+)"}},
      {"send": "RETR 1", "expect": {"octets": "${size}"}}])J"));
  EXPECT_TRUE(r.ok()) << errors(r);
}

TEST(ScenarioLoaderTest, DeleteWithoutDestructiveIsRefused) {
  auto r = load(file(R"([{"connect": "m"}, {"login": "user"}, {"send": "dele 1"}])"));
  EXPECT_TRUE(has_error(r, "sends DELE but is not marked \"destructive\": true")) << errors(r);
  auto raw = load(file(R"([{"connect": "m"}, {"send_raw": "NOOP\r\nDELE 1\r\n"}])"));
  EXPECT_TRUE(has_error(raw, "sends DELE")) << errors(raw);
  auto ok = load(file(R"([{"connect": "m"}, {"login": "user"}, {"send": "DELE 1"}])",
                      ", \"destructive\": true"));
  EXPECT_TRUE(ok.ok()) << errors(ok);
}

TEST(ScenarioLoaderTest, StatusMustSuitTheProtocol) {
  auto r = load(file(R"([{"connect": "m", "expect": {"status": "+"}}])"));
  EXPECT_TRUE(has_error(r, "unknown status \"+\" for POP3")) << errors(r);
  auto p2 = load(file(R"([{"connect": "m", "expect": {"status": "+OK"}}])", "", "pop2", "pop3/t"));
  EXPECT_TRUE(has_error(p2, "for POP2")) << errors(p2);
}

TEST(ScenarioLoaderTest, PipelinedSendsNeedOneExpectationPerCommand) {
  auto r =
      load(file(R"([{"connect": "m"}, {"send": ["NOOP", "NOOP"], "expect": {"status": "+OK"}}])"));
  EXPECT_TRUE(has_error(r, "describes 1 response(s) but the step sends 2 command(s)")) << errors(r);
  auto ok = load(file(R"([{"connect": "m"}, {"send": ["NOOP", "NOOP"], "expect": "reference"}])"));
  ASSERT_TRUE(ok.ok()) << errors(ok);
  EXPECT_EQ(ok.scenarios[0].steps[1].expect.size(), 2u);
}

TEST(ScenarioLoaderTest, ConnectionsMustBeOpenWhereUsed) {
  auto r = load(file(R"([{"connect": "a"}, {"drop": "a"}, {"send": "NOOP"}])"));
  EXPECT_TRUE(has_error(r, "no connection is open here")) << errors(r);
  auto twice = load(file(R"([{"connect": "a"}, {"connect": "a"}])"));
  EXPECT_TRUE(has_error(twice, "connection \"a\" is already open")) << errors(twice);
  auto on = load(file(R"([{"connect": "a"}, {"send": "NOOP", "on": "b"}])"));
  EXPECT_TRUE(has_error(on, "connection \"b\" is not open here (open: a)")) << errors(on);
}

TEST(ScenarioLoaderTest, FixtureMessagesNeedTheStandardFixture) {
  auto r = load(file(
      R"([{"connect": "m"}, {"login": "user"}, {"send": "RETR 1", "expect": {"message": 1}}])"));
  EXPECT_TRUE(has_error(r, "need the scenario's \"fixture\": \"standard\"")) << errors(r);
  auto range = load(
      file(R"([{"connect": "m"}, {"login": "user"}, {"send": "RETR 9", "expect": {"message": 9}}])",
           ", \"fixture\": \"standard\""));
  EXPECT_TRUE(has_error(range, "has no message 9 (it has 7)")) << errors(range);
}

TEST(ScenarioLoaderTest, OutcomeCombinationsAreChecked) {
  auto r = load(file(
      R"([{"connect": "m"}, {"send": "NOOP", "expect": {"closed": true, "status": "-ERR"}}])"));
  EXPECT_TRUE(has_error(r, "cannot be combined")) << errors(r);
  auto data = load(file(
      R"([{"connect": "m"}, {"send": "LIST", "expect": {"status": "-ERR", "line_count": 1}}])"));
  EXPECT_TRUE(has_error(data, "data checks need \"status\": \"+OK\"")) << errors(data);
  auto verdict_name = load(file(
      R"([{"connect": "m"}, {"send": "NOOP", "expect": {"any_of": [{"status": "+OK", "verdict": "passed"}]}}])"));
  EXPECT_TRUE(has_error(verdict_name, "unknown verdict \"passed\"")) << errors(verdict_name);
}

TEST(ScenarioLoaderTest, WireTextIsOctets) {
  auto r = load(file(R"([{"connect": "m"}, {"send_raw": "\u00ff\u0000\r\n"}])"));
  ASSERT_TRUE(r.ok()) << errors(r);
  EXPECT_EQ(r.scenarios[0].steps[1].raw->text, std::string("\xff\0\r\n", 4));
  auto wide = load(file(R"([{"connect": "m"}, {"send": "NOOP \u0100"}])"));
  EXPECT_TRUE(has_error(wide, "U+0100 is not one octet")) << errors(wide);
  auto crlf = load(file(R"([{"connect": "m"}, {"send": "NOOP\r\n"}])"));
  EXPECT_TRUE(has_error(crlf, "must not contain CR or LF")) << errors(crlf);
}

TEST(ScenarioLoaderTest, CollectsEveryErrorNotJustTheFirst) {
  auto r = load(file(R"([{"connect": "m", "x": 1}, {"send": "NOOP", "y": 2}, {"sleep_ms": -1}])"));
  EXPECT_GE(r.errors.size(), 3u) << errors(r);
}

TEST(ScenarioLoaderTest, MultilineRuleFollowsTheCommand) {
  EXPECT_TRUE(pop3_command_is_multiline("RETR 1"));
  EXPECT_TRUE(pop3_command_is_multiline("top 1 0"));
  EXPECT_TRUE(pop3_command_is_multiline("LIST"));
  EXPECT_FALSE(pop3_command_is_multiline("LIST 1"));
  EXPECT_TRUE(pop3_command_is_multiline("UIDL"));
  EXPECT_FALSE(pop3_command_is_multiline("UIDL 2"));
  EXPECT_TRUE(pop3_command_is_multiline("CAPA"));
  EXPECT_FALSE(pop3_command_is_multiline("STAT"));
}

TEST(ScenarioLoaderTest, TreeLoaderSkipsReservedFilesAndRejectsBadPaths) {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / ("popspec-loader-test-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "pop3");
  std::ofstream(root / "schema.json") << "{}";
  std::ofstream(root / "requirements.json") << "{}";
  std::ofstream(root / "pop3" / "t.json") << file(R"([{"connect": "m"}])");
  std::ofstream(root / "pop3" / "Bad_Name.json") << "{}";
  auto r = load_scenario_tree(root, catalog(), {});
  fs::remove_all(root);
  EXPECT_EQ(r.scenarios.size(), 1u);
  EXPECT_TRUE(has_error(r, "Bad_Name.json: scenario file paths must be lower-case")) << errors(r);
}

TEST(ScenarioLoaderTest, CaptureDefinesVariablesForLaterStepsAndImpliesPositiveData) {
  auto r = load(file(R"([{"connect": "main"}, {"login": "user"},
    {"send": "UIDL", "expect": {"capture": ["^1 (?<u1>\\S+)$", "^(?!1 ${u1}$)(?<other>.+)$"]}},
    {"send": "UIDL 1", "expect": {"match": "^\\+OK 1 ${u1} ${other}"}}])"));
  ASSERT_TRUE(r.ok()) << errors(r);
  const auto& o = r.scenarios[0].steps[2].expect[0].any_of[0];
  ASSERT_TRUE(o.capture);
  EXPECT_EQ(o.capture->size(), 2u);
  EXPECT_EQ(o.status, std::optional<std::string>("+OK"));
  EXPECT_TRUE(o.wants_data());
}

TEST(ScenarioLoaderTest, CaptureNeedsANamedGroupAndNoBuiltInName) {
  auto r = load(file(R"([{"connect": "main"}, {"send": "CAPA", "expect": {"capture": "^TOP$"}}])"));
  EXPECT_TRUE(has_error(r, "needs a named group")) << errors(r);
  r = load(
      file(R"([{"connect": "main"}, {"send": "CAPA", "expect": {"capture": "^(?<user>.+)$"}}])"));
  EXPECT_TRUE(has_error(r, "is a built-in variable")) << errors(r);
  r = load(file(R"([{"connect": "main"}, {"login": "user"}, {"send": "READ 1",
    "expect": {"capture": "^(?<x>.+)$"}}])",
                "", "pop2", "pop2/t"));
  EXPECT_TRUE(has_error(r, "\"capture\" is for POP3 multi-line data")) << errors(r);
}

}  // namespace
}  // namespace popspec::harness
