// Requirement coverage (`popspec coverage`): the untestable.json notes, the covered / untestable /
// missing / client classification, the counts, and the text and JSON forms.
#include "popspec/harness/coverage.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "popspec/harness/loader.hpp"
#include "popspec/store/fixture.hpp"

namespace popspec::harness {
namespace {

// Five requirements over two RFCs: three server-role (one "S+C"), two client-role.
constexpr std::string_view catalog_json = R"({"requirements": [
  {"id": "POP3-1939-RETR.1", "rfc": "1939", "section": "5", "level": "MUST", "basis": "D",
   "role": "S", "sentence": "RETR sends the message."},
  {"id": "POP3-1939-GEN.1", "rfc": "1939", "section": "3", "level": "MUST", "basis": "D",
   "role": "S", "sentence": "The server listens on port 110."},
  {"id": "POP3-1939-GEN.2", "rfc": "1939", "section": "3", "level": "SHOULD", "basis": "D",
   "role": "S+C", "sentence": "Both sides do something."},
  {"id": "POP3-1939-CLI.1", "rfc": "1939", "section": "3", "level": "MUST", "basis": "D",
   "role": "C", "sentence": "The client waits for the greeting."},
  {"id": "POP2-937-HELO.1", "rfc": "937", "section": "HELO", "level": "MUST", "basis": "D",
   "role": "S", "sentence": "HELO is answered."}
]})";

requirement_catalog test_catalog() {
  requirement_catalog catalog;
  std::string error;
  EXPECT_TRUE(requirement_catalog::parse(catalog_json, catalog, error)) << error;
  return catalog;
}

scenario make_scenario(std::string id, std::vector<std::string> requirements) {
  scenario s;
  s.id = std::move(id);
  s.requirements = std::move(requirements);
  return s;
}

untestable_notes parse_notes(std::string_view json) {
  untestable_notes notes;
  std::string error;
  EXPECT_TRUE(untestable_notes::parse(json, notes, error)) << error;
  return notes;
}

std::string parse_error(std::string_view json) {
  untestable_notes notes;
  std::string error;
  EXPECT_FALSE(untestable_notes::parse(json, notes, error)) << json;
  return error;
}

const requirement_coverage& row_of(const coverage_report& report, std::string_view id) {
  for (const auto& rc : report.rfcs)
    for (const auto& row : rc.rows)
      if (row.req.id == id) return row;
  ADD_FAILURE() << "no row for " << id;
  static const requirement_coverage none;
  return none;
}

TEST(NormalizeRfcTest, AcceptsTheNumberWithOrWithoutAnRfcPrefix) {
  EXPECT_EQ(normalize_rfc("1939"), "1939");
  EXPECT_EQ(normalize_rfc("rfc937"), "937");
  EXPECT_EQ(normalize_rfc("RFC 2449"), "2449");
  EXPECT_EQ(normalize_rfc("0937"), "937");
}

TEST(NormalizeRfcTest, RejectsRfcsTheCatalogDoesNotCover) {
  EXPECT_EQ(normalize_rfc("1081"), "");
  EXPECT_EQ(normalize_rfc("rfc"), "");
  EXPECT_EQ(normalize_rfc("19x9"), "");
  EXPECT_EQ(normalize_rfc(""), "");
}

TEST(UntestableNotesTest, ReadsNotesFiledUnderEachRfc) {
  auto notes = parse_notes(R"({"description": "why", "rfc937": [],
    "rfc1939": [{"id": "POP3-1939-GEN.1", "reason": "the port is configuration"}]})");
  ASSERT_EQ(notes.all().size(), 1u);
  const untestable_note* note = notes.find("POP3-1939-GEN.1");
  ASSERT_NE(note, nullptr);
  EXPECT_EQ(note->rfc, "1939");
  EXPECT_EQ(note->reason, "the port is configuration");
  EXPECT_EQ(notes.find("POP3-1939-RETR.1"), nullptr);
}

TEST(UntestableNotesTest, RejectsAKeyThatIsNotAnRfcOfTheCatalog) {
  EXPECT_NE(parse_error(R"({"rfc1081": []})").find("unknown key \"rfc1081\""), std::string::npos);
  EXPECT_NE(parse_error(R"({"RFC1939": []})").find("unknown key"), std::string::npos);
  EXPECT_NE(parse_error(R"({"rfc0937": []})").find("unknown key"), std::string::npos);
}

TEST(UntestableNotesTest, RejectsMalformedEntries) {
  EXPECT_NE(parse_error("{").find("not valid JSON"), std::string::npos);
  EXPECT_NE(parse_error("[]").find("expected an object"), std::string::npos);
  EXPECT_NE(parse_error(R"({"rfc1939": {}})").find("must be an array"), std::string::npos);
  EXPECT_NE(parse_error(R"({"rfc1939": ["POP3-1939-GEN.1"]})").find("rfc1939[0]"),
            std::string::npos);
  EXPECT_NE(parse_error(R"({"rfc1939": [{"id": "POP3-1939-GEN.1"}]})").find("needs both"),
            std::string::npos);
  EXPECT_NE(parse_error(R"({"rfc1939": [{"id": "POP3-1939-GEN.1", "reason": ""}]})")
                .find("non-empty string"),
            std::string::npos);
  EXPECT_NE(parse_error(R"({"rfc1939": [{"id": "X", "reason": "r", "note": "n"}]})")
                .find("unknown key \"note\""),
            std::string::npos);
  EXPECT_NE(parse_error(R"({"description": 3})").find("description"), std::string::npos);
}

TEST(UntestableNotesTest, RejectsARequirementListedTwice) {
  EXPECT_NE(parse_error(R"({"rfc1939": [{"id": "POP3-1939-GEN.1", "reason": "a"}],
                            "rfc937": [{"id": "POP3-1939-GEN.1", "reason": "b"}]})")
                .find("listed twice"),
            std::string::npos);
}

TEST(CoverageTest, CitedServerRequirementIsCoveredWithItsScenarios) {
  std::vector<scenario> scenarios{make_scenario("pop3/rfc1939/retr/a", {"POP3-1939-RETR.1"}),
                                  make_scenario("pop3/rfc1939/retr/b", {"POP3-1939-RETR.1"})};
  auto report = compute_coverage(test_catalog(), scenarios, {});
  const auto& row = row_of(report, "POP3-1939-RETR.1");
  EXPECT_EQ(row.status, coverage_status::covered);
  EXPECT_EQ(row.scenarios,
            (std::vector<std::string>{"pop3/rfc1939/retr/a", "pop3/rfc1939/retr/b"}));
  EXPECT_EQ(report.scenario_count, 2u);
}

TEST(CoverageTest, AScenarioCitingARequirementTwiceCountsOnce) {
  std::vector<scenario> scenarios{
      make_scenario("pop3/rfc1939/retr/a", {"POP3-1939-RETR.1", "POP3-1939-RETR.1"})};
  auto report = compute_coverage(test_catalog(), scenarios, {});
  EXPECT_EQ(row_of(report, "POP3-1939-RETR.1").scenarios.size(), 1u);
}

TEST(CoverageTest, UncitedRequirementWithANoteIsUntestableWithItsReason) {
  auto notes = parse_notes(R"({"rfc1939": [{"id": "POP3-1939-GEN.1", "reason": "port"}]})");
  auto report = compute_coverage(test_catalog(), {}, notes);
  const auto& row = row_of(report, "POP3-1939-GEN.1");
  EXPECT_EQ(row.status, coverage_status::untestable);
  EXPECT_EQ(row.reason, "port");
  EXPECT_TRUE(report.warnings.empty());
}

TEST(CoverageTest, UncitedUnexplainedServerRequirementIsMissing) {
  auto report = compute_coverage(test_catalog(), {}, {});
  EXPECT_EQ(row_of(report, "POP3-1939-RETR.1").status, coverage_status::missing);
  EXPECT_EQ(row_of(report, "POP2-937-HELO.1").status, coverage_status::missing);
}

TEST(CoverageTest, ServerAndClientRoleCountsAsAServerRequirement) {
  auto report = compute_coverage(test_catalog(), {}, {});
  EXPECT_EQ(row_of(report, "POP3-1939-GEN.2").status, coverage_status::missing);
}

TEST(CoverageTest, ClientRequirementsAreListedApartWhetherCitedOrNot) {
  std::vector<scenario> scenarios{make_scenario("x/y/z", {"POP3-1939-CLI.1"})};
  auto report = compute_coverage(test_catalog(), scenarios, {});
  const auto& row = row_of(report, "POP3-1939-CLI.1");
  EXPECT_EQ(row.status, coverage_status::client);
  EXPECT_EQ(row.scenarios.size(), 1u);
  EXPECT_EQ(report.totals.client, 1u);
  EXPECT_EQ(report.totals.client_cited, 1u);
  EXPECT_EQ(report.totals.server, 4u);
}

TEST(CoverageTest, CountsPerRfcAndInTotal) {
  std::vector<scenario> scenarios{make_scenario("a/b/c", {"POP3-1939-RETR.1"})};
  auto notes = parse_notes(R"({"rfc1939": [{"id": "POP3-1939-GEN.1", "reason": "port"}]})");
  auto report = compute_coverage(test_catalog(), scenarios, notes);
  ASSERT_EQ(report.rfcs.size(), 4u);  // every RFC, in coverage_rfcs order, even without rows
  EXPECT_EQ(report.rfcs[0].rfc, "937");
  EXPECT_EQ(report.rfcs[0].protocol, "POP2");
  EXPECT_EQ(report.rfcs[0].counts.missing, 1u);
  EXPECT_EQ(report.rfcs[1].rfc, "1225");
  EXPECT_TRUE(report.rfcs[1].rows.empty());
  EXPECT_EQ(report.rfcs[2].rfc, "1939");
  EXPECT_EQ(report.rfcs[2].protocol, "POP3");
  const auto& c = report.rfcs[2].counts;
  EXPECT_EQ(c.server, 3u);
  EXPECT_EQ(c.covered, 1u);
  EXPECT_EQ(c.untestable, 1u);
  EXPECT_EQ(c.missing, 1u);
  EXPECT_EQ(c.client, 1u);
  EXPECT_EQ(report.totals.server, 4u);
  EXPECT_EQ(report.totals.missing, 2u);
  EXPECT_DOUBLE_EQ(report.totals.accounted_percent(), 50.0);
  EXPECT_DOUBLE_EQ(report.totals.covered_percent(), 25.0);
}

TEST(CoverageTest, SelectingAnRfcLeavesTheOthersOut) {
  coverage_options options;
  options.rfcs = {"937"};
  auto report = compute_coverage(test_catalog(), {}, {}, options);
  ASSERT_EQ(report.rfcs.size(), 1u);
  EXPECT_EQ(report.rfcs[0].rfc, "937");
  EXPECT_EQ(report.totals.server, 1u);
}

TEST(CoverageTest, NoteForACitedRequirementIsReportedAsStaleButStillCovered) {
  std::vector<scenario> scenarios{make_scenario("a/b/c", {"POP3-1939-GEN.1"})};
  auto notes = parse_notes(R"({"rfc1939": [{"id": "POP3-1939-GEN.1", "reason": "port"}]})");
  auto report = compute_coverage(test_catalog(), scenarios, notes);
  EXPECT_EQ(row_of(report, "POP3-1939-GEN.1").status, coverage_status::covered);
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("stale"), std::string::npos);
  EXPECT_EQ(report.note_errors, 0u);
}

TEST(CoverageTest, NoteNamingAnUnknownRequirementIsANoteError) {
  auto notes = parse_notes(R"({"rfc1939": [{"id": "POP3-1939-NOPE.1", "reason": "typo"}]})");
  auto report = compute_coverage(test_catalog(), {}, notes);
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("POP3-1939-NOPE.1 is not in the requirement catalog"),
            std::string::npos);
  EXPECT_EQ(report.note_errors, 1u);
}

TEST(CoverageTest, NoteFiledUnderAnotherRfcExplainsNothing) {
  auto notes = parse_notes(R"({"rfc937": [{"id": "POP3-1939-GEN.1", "reason": "port"}]})");
  auto report = compute_coverage(test_catalog(), {}, notes);
  EXPECT_EQ(row_of(report, "POP3-1939-GEN.1").status, coverage_status::missing);
  EXPECT_EQ(report.note_errors, 1u);
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("belongs to RFC 1939"), std::string::npos);
}

TEST(CoverageTest, NoteForAClientRequirementIsAWarningOnly) {
  auto notes = parse_notes(R"({"rfc1939": [{"id": "POP3-1939-CLI.1", "reason": "client"}]})");
  auto report = compute_coverage(test_catalog(), {}, notes);
  EXPECT_EQ(row_of(report, "POP3-1939-CLI.1").status, coverage_status::client);
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("client requirement"), std::string::npos);
  EXPECT_EQ(report.note_errors, 0u);
}

TEST(CoverageTest, PercentagesRoundDownSoIncompleteNeverShowsAHundred) {
  EXPECT_EQ(format_percent(99.96), "99.9%");
  EXPECT_EQ(format_percent(100.0), "100.0%");
  EXPECT_EQ(format_percent(50.0), "50.0%");
  EXPECT_EQ(format_percent(0.0), "0.0%");
  coverage_counts none;
  EXPECT_DOUBLE_EQ(none.accounted_percent(), 100.0);
}

TEST(CoverageTextTest, ListsEverySectionWithCountsReasonsAndTotals) {
  std::vector<scenario> scenarios{make_scenario("a/b/c", {"POP3-1939-RETR.1"})};
  auto notes = parse_notes(R"({"rfc1939": [{"id": "POP3-1939-GEN.1", "reason": "port reason"}]})");
  std::ostringstream out;
  write_coverage_text(compute_coverage(test_catalog(), scenarios, notes), out);
  const std::string text = out.str();
  EXPECT_NE(text.find("RFC 1939 (POP3): 3 server-role requirements: 1 covered, 1 untestable, "
                      "1 missing (66.6% covered or explained); 1 client-role requirement"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("POP3-1939-RETR.1  MUST        1 scenario\n"), std::string::npos) << text;
  EXPECT_NE(text.find("port reason"), std::string::npos);
  EXPECT_NE(text.find("Both sides do something."), std::string::npos);  // the missing row
  EXPECT_NE(text.find("The client waits for the greeting."), std::string::npos);
  EXPECT_NE(text.find("\nTotal: 4 server-role requirements: 1 covered, 1 untestable, 2 missing"),
            std::string::npos)
      << text;
}

TEST(CoverageTextTest, MissingOnlyLeavesOutCoveredUntestableAndClientRows) {
  std::vector<scenario> scenarios{make_scenario("a/b/c", {"POP3-1939-RETR.1"})};
  auto notes = parse_notes(R"({"rfc1939": [{"id": "POP3-1939-GEN.1", "reason": "port reason"}]})");
  std::ostringstream out;
  write_coverage_text(compute_coverage(test_catalog(), scenarios, notes), out, {true});
  const std::string text = out.str();
  EXPECT_EQ(text.find("POP3-1939-RETR.1"), std::string::npos) << text;
  EXPECT_EQ(text.find("port reason"), std::string::npos) << text;
  EXPECT_EQ(text.find("POP3-1939-CLI.1"), std::string::npos) << text;
  EXPECT_NE(text.find("POP3-1939-GEN.2"), std::string::npos) << text;
  EXPECT_NE(text.find("POP2-937-HELO.1"), std::string::npos) << text;
}

TEST(CoverageTextTest, SaysNoneWhenNothingIsMissing) {
  coverage_options options;
  options.rfcs = {"937"};
  std::vector<scenario> scenarios{make_scenario("a/b/c", {"POP2-937-HELO.1"})};
  std::ostringstream out;
  write_coverage_text(compute_coverage(test_catalog(), scenarios, {}, options), out, {true});
  EXPECT_NE(out.str().find("Missing (neither covered nor explained): none"), std::string::npos)
      << out.str();
}

TEST(CoverageJsonTest, HoldsEveryRowWithItsStatusAndTheCounts) {
  std::vector<scenario> scenarios{make_scenario("a/b/c", {"POP3-1939-RETR.1"})};
  auto notes = parse_notes(R"({"rfc1939": [{"id": "POP3-1939-GEN.1", "reason": "port"}]})");
  std::ostringstream out;
  write_coverage_json(compute_coverage(test_catalog(), scenarios, notes), out);
  auto doc = nlohmann::json::parse(out.str());
  EXPECT_EQ(doc["format"], "popspec-coverage");
  EXPECT_EQ(doc["version"], 1);
  EXPECT_EQ(doc["scenarios"], 1);
  EXPECT_EQ(doc["totals"]["server"], 4);
  EXPECT_EQ(doc["totals"]["missing"], 2);
  EXPECT_DOUBLE_EQ(doc["totals"]["accounted_percent"].get<double>(), 50.0);
  ASSERT_EQ(doc["rfcs"].size(), 4u);
  EXPECT_EQ(doc["rfcs"][2]["rfc"], "1939");
  const auto& rows = doc["rfcs"][2]["requirements"];
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0]["id"], "POP3-1939-RETR.1");
  EXPECT_EQ(rows[0]["status"], "covered");
  EXPECT_EQ(rows[0]["scenarios"], nlohmann::json::array({"a/b/c"}));
  EXPECT_EQ(rows[1]["status"], "untestable");
  EXPECT_EQ(rows[1]["reason"], "port");
  EXPECT_EQ(rows[2]["status"], "missing");
  EXPECT_EQ(rows[2]["level"], "SHOULD");
  EXPECT_EQ(rows[3]["status"], "client");
  EXPECT_EQ(rows[3]["role"], "C");
  EXPECT_TRUE(doc["warnings"].empty());
}

// The repository's own notes must name server-role requirements of the RFC they are filed under,
// or `popspec coverage` would silently leave those requirements unexplained.
TEST(CoverageRepositoryTest, EveryUntestableNoteNamesAServerRequirementOfItsRfc) {
  const std::filesystem::path root = std::filesystem::path(POPSPEC_SOURCE_DIR) / "scenarios";
  requirement_catalog catalog;
  std::string error;
  ASSERT_TRUE(requirement_catalog::load(root / "requirements.json", catalog, error)) << error;
  untestable_notes notes;
  ASSERT_TRUE(untestable_notes::load(root / "untestable.json", notes, error)) << error;
  loader_options options;
  options.fixture_messages = store::standard_messages().size();
  options.folder_messages = store::standard_folder_messages().size();
  options.folder_name = std::string(store::standard_folder_name);
  auto loaded = load_scenario_tree(root, catalog, options);
  ASSERT_TRUE(loaded.ok()) << (loaded.errors.empty() ? "" : loaded.errors.front().str());
  auto report = compute_coverage(catalog, loaded.scenarios, notes);
  EXPECT_EQ(report.note_errors, 0u);
  for (const auto& w : report.warnings)
    EXPECT_EQ(w.find("client requirement"), std::string::npos) << w;
}

}  // namespace
}  // namespace popspec::harness
