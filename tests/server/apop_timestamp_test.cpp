#include "popspec/server/apop_timestamp.hpp"

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

namespace popspec::server {
namespace {

TEST(ApopTimestampTest, HasThePidCounterEpochAtHostnameForm) {
  apop_timestamp_source source("mail.example.org");
  const std::string pid = std::to_string(::getpid());
  EXPECT_THAT(source.next(),
              ::testing::MatchesRegex("<" + pid + "\\.[0-9]+\\.[0-9]+@mail\\.example\\.org>"));
}

TEST(ApopTimestampTest, NeverRepeatsAcrossSourcesInOneProcess) {
  apop_timestamp_source a("h");
  apop_timestamp_source b("h");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    EXPECT_TRUE(seen.insert(a.next()).second);
    EXPECT_TRUE(seen.insert(b.next()).second);
  }
}

}  // namespace
}  // namespace popspec::server
