// Selecting scenarios by ID, glob, group prefix, RFC and requirement ID.
#include "popspec/harness/selection.hpp"

#include <gtest/gtest.h>

namespace popspec::harness {
namespace {

scenario make(std::string id, std::vector<std::string> reqs) {
  scenario s;
  s.id = std::move(id);
  s.requirements = std::move(reqs);
  return s;
}

std::vector<std::string> ids(const selection& sel) {
  std::vector<std::string> out;
  for (const auto* s : sel.scenarios) out.push_back(s->id);
  return out;
}

class SelectionTest : public ::testing::Test {
 protected:
  std::vector<scenario> all{make("pop3/rfc1939/retr/deleted", {"POP3-1939-RETR.3"}),
                            make("pop3/rfc1939/retrieve/x", {"POP3-1939-RETR.2"}),
                            make("pop3/rfc2449/capa/tags", {"POP3-2449-CAPA.9"}),
                            make("pop2/rfc937/read/zero", {"POP2-937-READ.5"})};
};

TEST_F(SelectionTest, SelectsEverythingWithoutPatterns) {
  EXPECT_EQ(select_scenarios(all, {}, {}).scenarios.size(), 4u);
}

TEST_F(SelectionTest, GlobStarCrossesSlashes) {
  EXPECT_EQ(ids(select_scenarios(all, {"pop3/*/retr/*"}, {})),
            (std::vector<std::string>{"pop3/rfc1939/retr/deleted"}));
  EXPECT_TRUE(glob_match("pop3/*", "pop3/a/b/c"));
  EXPECT_TRUE(glob_match("a?c", "abc"));
  EXPECT_FALSE(glob_match("a?c", "ac"));
}

TEST_F(SelectionTest, GroupPrefixStopsAtPathSegments) {
  EXPECT_EQ(ids(select_scenarios(all, {"pop3/rfc1939/retr"}, {})),
            (std::vector<std::string>{"pop3/rfc1939/retr/deleted"}));
}

TEST_F(SelectionTest, RfcPatternSelectsByCitedRequirements) {
  EXPECT_EQ(ids(select_scenarios(all, {"RFC937"}, {})),
            (std::vector<std::string>{"pop2/rfc937/read/zero"}));
  EXPECT_EQ(select_scenarios(all, {"rfc1939"}, {}).scenarios.size(), 2u);
}

TEST_F(SelectionTest, RequirementGlobSelectsCitingScenarios) {
  EXPECT_EQ(ids(select_scenarios(all, {"POP3-1939-RETR.*"}, {"pop3/rfc1939/retrieve/*"})),
            (std::vector<std::string>{"pop3/rfc1939/retr/deleted"}));
}

TEST_F(SelectionTest, ReportsPatternsThatMatchNothing) {
  auto sel = select_scenarios(all, {"pop3/rfc1939/retr/*", "pop3/typo"}, {});
  EXPECT_EQ(sel.unmatched, (std::vector<std::string>{"pop3/typo"}));
}

}  // namespace
}  // namespace popspec::harness
