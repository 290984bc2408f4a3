// ${name} substitution and regex capture names.
#include "popspec/harness/variables.hpp"

#include <gtest/gtest.h>

namespace popspec::harness {
namespace {

TEST(VariablesTest, ExpandsDefinedNames) {
  variable_map vars{{"user", "alice"}, {"n", "3"}};
  EXPECT_EQ(expand("USER ${user} ${n}", vars).text, "USER alice 3");
}

TEST(VariablesTest, ReportsTheFirstUndefinedName) {
  auto x = expand("${user} ${nope}", {{"user", "a"}});
  ASSERT_TRUE(x.undefined);
  EXPECT_EQ(*x.undefined, "nope");
  EXPECT_TRUE(x.text.empty());
}

TEST(VariablesTest, DoubleDollarWritesALiteralReference) {
  EXPECT_EQ(expand("$${user} $5", {{"user", "a"}}).text, "${user} $5");
}

TEST(VariablesTest, EscapesValuesInsideRegexes) {
  EXPECT_EQ(expand("^${uid}$", {{"uid", "a.b+c"}}, true).text, "^a\\.b\\+c$");
}

TEST(VariablesTest, ScanFindsNamesAndSyntaxErrors) {
  auto scan = scan_template("${a}${b_2}");
  EXPECT_EQ(scan.names, (std::vector<std::string>{"a", "b_2"}));
  EXPECT_FALSE(scan_template("${unterminated").error.empty());
  EXPECT_FALSE(scan_template("${9x}").error.empty());
}

TEST(VariablesTest, FindsNamedGroupsButNotLookbehinds) {
  auto names =
      regex_capture_names(R"(^\+OK (?<n>\d+) (?'size'\d+) (?P<x>.)(?<=a)(?<!b)\(?<no>\)[(?<no2>])");
  EXPECT_EQ(names, (std::vector<std::string>{"n", "size", "x"}));
}

TEST(VariablesTest, KnowsTheBuiltIns) {
  EXPECT_TRUE(is_builtin_variable("apop_digest"));
  EXPECT_FALSE(is_builtin_variable("uid"));
}

}  // namespace
}  // namespace popspec::harness
