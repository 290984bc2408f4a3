// Many connections at once, and the max_connections limit.
#include "popspec/server/server.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server_test_support.hpp"

namespace popspec::server::testing {
namespace {

using ::testing::StartsWith;

TEST(ConnectionsTest, Serves1000ConcurrentConnections) {
  running_server s;
  std::vector<client> clients;
  clients.reserve(1000);
  for (int i = 0; i < 1000; ++i) {
    const bool pop2 = i % 4 == 3;
    clients.emplace_back(pop2 ? s.pop2_port() : s.pop3_port());
    ASSERT_TRUE(clients.back().connected()) << "connection " << i;
  }
  // Every one is greeted and answered while all are open.
  for (std::size_t i = 0; i < clients.size(); ++i) {
    const bool pop2 = i % 4 == 3;
    EXPECT_THAT(clients[i].read_line().value_or(""), StartsWith(pop2 ? "+ POP2" : "+OK"))
        << "connection " << i;
  }
  EXPECT_EQ(s.srv().open_connections(), 1000u);
  for (std::size_t i = 0; i < clients.size(); ++i) {
    if (i % 4 == 3) continue;
    EXPECT_THAT(clients[i].command("USER alice").value_or(""), StartsWith("+OK"))
        << "connection " << i;
  }
  clients.clear();
  EXPECT_TRUE(eventually([&] { return s.srv().open_connections() == 0; }));
}

TEST(ConnectionsTest, RefusesConnectionsBeyondTheLimitWithOneErrorLine) {
  auto options = running_server::default_options();
  options.max_connections = 3;
  running_server s(options);
  std::vector<client> admitted;
  for (int i = 0; i < 3; ++i) admitted.push_back(connect_greeted(s.pop3_port()));

  client over3(s.pop3_port());
  EXPECT_EQ(over3.read_line().value_or(""), "-ERR [SYS/TEMP] too many connections\r\n");
  EXPECT_TRUE(over3.wait_closed());
  client over2(s.pop2_port());
  EXPECT_EQ(over2.read_line().value_or(""), "- too many connections\r\n");
  EXPECT_TRUE(over2.wait_closed());
  over3.close();
  over2.close();

  // The admitted ones are unaffected, and a freed slot is given to the next connection.
  EXPECT_THAT(admitted[0].command("USER alice").value_or(""), StartsWith("+OK"));
  admitted.pop_back();
  EXPECT_TRUE(eventually([&] { return s.srv().open_connections() == 2; }));
  client next(s.pop3_port());
  EXPECT_THAT(next.read_line().value_or(""), StartsWith("+OK"));
}

TEST(ConnectionsTest, Rfc1225ProfileRefusesWithoutAResponseCode) {
  auto options = running_server::default_options();
  options.max_connections = 1;
  options.pop3_profile = pop3::profile::rfc1225;
  running_server s(options);
  client admitted = connect_greeted(s.pop3_port());
  client over(s.pop3_port());
  EXPECT_EQ(over.read_line().value_or(""), "-ERR too many connections\r\n");
  EXPECT_TRUE(over.wait_closed());
}

}  // namespace
}  // namespace popspec::server::testing
