// The committed requirement catalog (scenarios/requirements.json).
#include "popspec/harness/requirements.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace popspec::harness {
namespace {

TEST(RequirementCatalogTest, CommittedCatalogLoadsWithEveryRequirement) {
  requirement_catalog cat;
  std::string error;
  ASSERT_TRUE(requirement_catalog::load(
      std::filesystem::path(POPSPEC_SOURCE_DIR) / "scenarios" / "requirements.json", cat, error))
      << error;
  EXPECT_EQ(cat.all().size(), 373u);
  const requirement* r = cat.find("POP3-1939-RETR.3");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->level, requirement_level::must);
  EXPECT_EQ(r->rfc, "1939");
  EXPECT_EQ(cat.find("POP3-1939-STAT.4")->level, requirement_level::should_not);
  EXPECT_EQ(cat.find("POP2-937-REPLY.4")->basis, "D/G");
  EXPECT_EQ(cat.find("POP3-1939-NOPE.1"), nullptr);
}

TEST(RequirementCatalogTest, RejectsMalformedCatalogs) {
  requirement_catalog cat;
  std::string error;
  EXPECT_FALSE(requirement_catalog::parse("[]", cat, error));
  EXPECT_FALSE(requirement_catalog::parse(
      R"({"requirements": [{"id": "X", "rfc": "1", "section": "s", "level": "OUGHT",
          "basis": "K", "role": "S", "sentence": "x"}]})",
      cat, error));
  EXPECT_NE(error.find("unknown level \"OUGHT\""), std::string::npos);
}

TEST(RequirementCatalogTest, OnlyMustLevelsAreStrict) {
  EXPECT_TRUE(is_strict(requirement_level::must));
  EXPECT_TRUE(is_strict(requirement_level::must_not));
  EXPECT_FALSE(is_strict(requirement_level::should));
  EXPECT_FALSE(is_strict(requirement_level::should_not));
  EXPECT_FALSE(is_strict(requirement_level::may));
}

}  // namespace
}  // namespace popspec::harness
