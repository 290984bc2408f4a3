// The POP2 (RFC 937) listener over TCP: byte-exact RETR, ACKD committed only on QUIT, the T2
// inactivity timeout, line limits, and the maildrop lock shared with POP3.
#include "popspec/server/server.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "server_test_support.hpp"

namespace popspec::server::testing {
namespace {

using ::testing::StartsWith;

std::string length_reply(std::size_t n) {
  return "=" + std::to_string(n);
}

TEST(Pop2ConnectionTest, GreetsWithPlusPop2AndTheConfiguredHostName) {
  running_server s;
  client c(s.pop2_port());
  EXPECT_THAT(c.read_line().value_or(""), StartsWith("+ POP2 test.example"));
}

TEST(Pop2ConnectionTest, FetchesEveryMessageByteExactAndCommitsAckdOnQuit) {
  running_server s;
  client c = connect_greeted(s.pop2_port());
  EXPECT_THAT(c.command("HELO alice wonderland").value_or(""), StartsWith("#3"));
  const auto messages = three_messages();
  EXPECT_THAT(c.command("READ 1").value_or(""), StartsWith(length_reply(messages[0].size())));
  for (std::size_t i = 0; i < messages.size(); ++i) {
    c.send("RETR\r\n");
    // Exactly =ccc octets, no stuffing, no terminator.
    EXPECT_EQ(c.read_exactly(messages[i].size()).value_or(""), messages[i]);
    // ACKD the second message, ACKS the others; each answers the next message's length.
    const auto next = c.command(i == 1 ? "ACKD" : "ACKS").value_or("");
    if (i + 1 < messages.size())
      EXPECT_THAT(next, StartsWith(length_reply(messages[i + 1].size())));
    else
      EXPECT_THAT(next, StartsWith("=0"));
  }
  EXPECT_THAT(c.command("QUIT").value_or(""), StartsWith("+"));
  EXPECT_TRUE(c.wait_closed());
  EXPECT_EQ(s.store().contents("alice"), (std::vector<std::string>{messages[0], messages[2]}));
}

TEST(Pop2ConnectionTest, ADroppedConnectionAfterAckdRemovesNothing) {
  running_server s;
  {
    client c = connect_greeted(s.pop2_port());
    EXPECT_THAT(c.command("HELO alice wonderland").value_or(""), StartsWith("#3"));
    EXPECT_THAT(c.command("READ 1").value_or(""), StartsWith("="));
    c.send("RETR\r\n");
    EXPECT_TRUE(c.read_exactly(three_messages()[0].size()).has_value());
    EXPECT_THAT(c.command("ACKD").value_or(""), StartsWith("="));
  }
  EXPECT_TRUE(eventually([&] { return !s.store().is_locked("alice"); }));
  EXPECT_EQ(s.store().contents("alice"), three_messages());
  EXPECT_EQ(s.store().commit_count(), 0u);
}

TEST(Pop2ConnectionTest, AnswersMinusAndClosesWhenTheInactivityTimeoutPasses) {
  auto options = running_server::default_options();
  options.pop2_timeout = std::chrono::seconds(1);
  running_server s(options);
  client c = connect_greeted(s.pop2_port());
  EXPECT_THAT(c.command("HELO alice wonderland").value_or(""), StartsWith("#3"));
  const auto start = std::chrono::steady_clock::now();
  const auto reply = c.read_line(5000ms);
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(reply.has_value()) << "no reply to the timeout";
  EXPECT_THAT(*reply, StartsWith("-"));
  EXPECT_GE(waited, 900ms);
  EXPECT_TRUE(c.wait_closed());
  EXPECT_TRUE(eventually([&] { return !s.store().is_locked("alice"); }));
  EXPECT_EQ(s.store().commit_count(), 0u);
}

TEST(Pop2ConnectionTest, AnswersMinusAndClosesOnACommandLineOver512Octets) {
  running_server s;
  client c = connect_greeted(s.pop2_port());
  c.send("HELO alice " + std::string(600, 'x') + "\r\n");
  EXPECT_THAT(c.read_line().value_or(""), StartsWith("-"));
  EXPECT_TRUE(c.wait_closed());
}

TEST(Pop2ConnectionTest, APop2AndAPop3SessionCannotHoldOneMaildropAtOnce) {
  running_server s;
  {
    client pop3 = pop3_logged_in(s.pop3_port());
    client pop2 = connect_greeted(s.pop2_port());
    EXPECT_THAT(pop2.command("HELO alice wonderland").value_or(""), StartsWith("-"));
    EXPECT_TRUE(pop2.wait_closed());
  }
  EXPECT_TRUE(eventually([&] { return !s.store().is_locked("alice"); }));
  client pop2 = connect_greeted(s.pop2_port());
  EXPECT_THAT(pop2.command("HELO alice wonderland").value_or(""), StartsWith("#3"));
  client pop3 = connect_greeted(s.pop3_port());
  EXPECT_THAT(pop3.command("USER alice").value_or(""), StartsWith("+OK"));
  EXPECT_THAT(pop3.command("PASS wonderland").value_or(""), StartsWith("-ERR [IN-USE]"));
}

TEST(Pop2ConnectionTest, ServesBothProtocolsFromOneServer) {
  running_server s;
  ASSERT_NE(s.pop3_port(), 0);
  ASSERT_NE(s.pop2_port(), 0);
  EXPECT_NE(s.pop3_port(), s.pop2_port());
  client pop3(s.pop3_port());
  client pop2(s.pop2_port());
  EXPECT_THAT(pop3.read_line().value_or(""), StartsWith("+OK"));
  EXPECT_THAT(pop2.read_line().value_or(""), StartsWith("+ POP2"));
}

}  // namespace
}  // namespace popspec::server::testing
