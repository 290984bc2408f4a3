// Stopping the server: stop(), SIGTERM, and what happens to sessions still open.
#include "popspec/server/server.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <string>
#include <thread>

#include "server_test_support.hpp"

namespace popspec::server::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ShutdownTest, StopDropsEverySessionWithoutCommitting) {
  running_server s;
  client pop3 = pop3_logged_in(s.pop3_port());
  EXPECT_THAT(pop3.command("DELE 1").value_or(""), StartsWith("+OK"));
  EXPECT_THAT(pop3.command("DELE 2").value_or(""), StartsWith("+OK"));
  client pop2 = connect_greeted(s.pop2_port());
  EXPECT_THAT(pop2.command("HELO alice wonderland").value_or(""), StartsWith("-"));  // locked
  client idle = connect_greeted(s.pop3_port());

  s.srv().stop();
  EXPECT_TRUE(pop3.wait_closed());
  EXPECT_TRUE(idle.wait_closed());
  EXPECT_EQ(pop3.unread, "");  // dropped: no QUIT reply, no UPDATE
  EXPECT_EQ(s.store().contents("alice"), three_messages());
  EXPECT_EQ(s.store().commit_count(), 0u);
  EXPECT_FALSE(s.store().is_locked("alice"));
  EXPECT_EQ(s.srv().open_connections(), 0u);
}

TEST(ShutdownTest, StopDropsAPop2SessionWithAckdMarksWithoutCommitting) {
  running_server s;
  client pop2 = connect_greeted(s.pop2_port());
  EXPECT_THAT(pop2.command("HELO alice wonderland").value_or(""), StartsWith("#3"));
  EXPECT_THAT(pop2.command("READ 1").value_or(""), StartsWith("="));
  pop2.send("RETR\r\n");
  EXPECT_TRUE(pop2.read_exactly(three_messages()[0].size()).has_value());
  EXPECT_THAT(pop2.command("ACKD").value_or(""), StartsWith("="));
  s.srv().stop();
  EXPECT_TRUE(pop2.wait_closed());
  EXPECT_EQ(s.store().contents("alice"), three_messages());
  EXPECT_FALSE(s.store().is_locked("alice"));
}

TEST(ShutdownTest, StopRefusesNewConnectionsAndIsIdempotent) {
  running_server s;
  const auto port = s.pop3_port();
  s.srv().stop();
  s.srv().stop();
  client late(port,
              /*must_connect=*/false);  // either refused outright or closed without a greeting
  EXPECT_FALSE(late.read_line(500ms).has_value());
}

TEST(ShutdownTest, StopFromAnotherThreadEndsRunOnTheServingThread) {
  store::memory_store st;
  store::user_db users;
  users.add("alice", "wonderland");
  server_options options;
  options.pop3 = listen_address{};
  server srv(options, st, users);
  std::string error;
  ASSERT_FALSE(srv.listen(error)) << error;
  std::thread serving([&] { srv.run(false); });
  client c = connect_greeted(srv.pop3_port());
  srv.stop();
  serving.join();  // would hang if run() did not return
  EXPECT_TRUE(c.wait_closed());
}

TEST(ShutdownTest, SigtermEndsRunAndDropsSessionsWhenSignalsAreHandled) {
  store::memory_store st;
  st.add_mailbox("alice", "", three_messages());
  store::user_db users;
  users.add("alice", "wonderland");
  server_options options;
  options.pop3 = listen_address{};
  server srv(options, st, users);
  std::string error;
  ASSERT_FALSE(srv.listen(error)) << error;
  std::thread serving([&] { srv.run(true); });
  // Once a greeting arrives, run() has installed its signal handling.
  client c = pop3_logged_in(srv.pop3_port());
  EXPECT_THAT(c.command("DELE 1").value_or(""), StartsWith("+OK"));
  ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
  serving.join();
  EXPECT_TRUE(c.wait_closed());
  EXPECT_EQ(st.contents("alice"), three_messages());
  EXPECT_FALSE(st.is_locked("alice"));
}

TEST(ShutdownTest, ListenReportsAPortAlreadyInUse) {
  running_server first;
  store::memory_store st;
  store::user_db users;
  server_options options;
  options.pop3 = listen_address{"127.0.0.1", first.pop3_port()};
  server second(options, st, users);
  std::string error;
  EXPECT_TRUE(second.listen(error));
  EXPECT_THAT(error, HasSubstr("cannot listen on 127.0.0.1:" + std::to_string(first.pop3_port())));
  EXPECT_EQ(second.pop3_port(), 0);
}

TEST(ShutdownTest, ListenRefusesWhenNoListenerIsConfigured) {
  store::memory_store st;
  store::user_db users;
  server srv(server_options{}, st, users);
  std::string error;
  EXPECT_TRUE(srv.listen(error));
  EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace popspec::server::testing
