#include "popspec/pop3/version.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace popspec::pop3 {
namespace {

// CAPA's IMPLEMENTATION names this version; it must be the project's (top-level CMakeLists.txt).
TEST(Pop3VersionTest, MatchesTheProjectVersionInCMakeLists) {
  std::ifstream file(std::string(POPSPEC_SOURCE_DIR) + "/CMakeLists.txt");
  ASSERT_TRUE(file) << "cannot read CMakeLists.txt";
  std::stringstream text;
  text << file.rdbuf();
  const std::string cmake = text.str();
  std::smatch m;
  ASSERT_TRUE(std::regex_search(cmake, m, std::regex(R"(project\(popspec\s+VERSION\s+([0-9.]+))")));
  EXPECT_EQ(m[1].str(), popspec_version);
}

}  // namespace
}  // namespace popspec::pop3
