// LAST, the "highest number accessed" of RFC 1225 (LAST.1-5, RETR.4, DELE.5, RSET.3, AUTH.8).
#include <gtest/gtest.h>

#include "session_fixture.hpp"

namespace popspec::pop3 {
namespace {

using test::session_fixture;

class Pop3LastTest : public ::testing::Test {
 protected:
  Pop3LastTest() : f(profile::rfc1225) {}
  void start_four() {
    f.start_with(
        {test::plain_message, test::plain_message, test::lines_message, test::dotted_message});
  }
  session_fixture f;
};

TEST_F(Pop3LastTest, IsZeroWhenNothingWasEverAccessed) {
  start_four();
  EXPECT_EQ(f.send("LAST"), "+OK 0\r\n");
}

TEST_F(Pop3LastTest, RetrRaisesItAndLowerRetrDoesNot) {
  start_four();
  f.send("RETR 3");
  EXPECT_EQ(f.send("LAST"), "+OK 3\r\n");
  f.send("RETR 1");
  EXPECT_EQ(f.send("LAST"), "+OK 3\r\n");
}

TEST_F(Pop3LastTest, DeleRaisesIt) {
  start_four();
  f.send("DELE 4");
  EXPECT_EQ(f.send("LAST"), "+OK 4\r\n");
}

TEST_F(Pop3LastTest, TopListAndFailedCommandsDoNotRaiseIt) {
  start_four();
  f.send("TOP 4 0");
  f.send("LIST 4");
  f.send("RETR 9");
  f.send("DELE 9");
  EXPECT_EQ(f.send("LAST"), "+OK 0\r\n");
}

TEST_F(Pop3LastTest, TheRfcExampleSequence) {
  // RFC 1225 LAST example: LAST 1, RETR 3 -> 3, DELE 2 -> 3, RSET -> 1. A first session
  // retrieves message 1 so the second starts at 1.
  start_four();
  f.send("RETR 1");
  ASSERT_EQ(f.send("QUIT"), "+OK popspec POP3 server signing off (4 messages left)\r\n");
  f.start();
  f.login();
  EXPECT_EQ(f.send("STAT"), "+OK 4 138\r\n");
  EXPECT_EQ(f.send("LAST"), "+OK 1\r\n");
  EXPECT_TRUE(f.send("RETR 3").starts_with("+OK "));
  EXPECT_EQ(f.send("LAST"), "+OK 3\r\n");
  EXPECT_EQ(f.send("DELE 2"), "+OK message 2 deleted\r\n");
  EXPECT_EQ(f.send("LAST"), "+OK 3\r\n");
  EXPECT_TRUE(f.send("RSET").starts_with("+OK "));
  EXPECT_EQ(f.send("LAST"), "+OK 1\r\n");
}

TEST_F(Pop3LastTest, PersistsAcrossSessionsThatReachUpdate) {
  start_four();
  f.send("RETR 2");
  f.send("QUIT");
  EXPECT_EQ(f.store.accessed("alice"), (std::vector<bool>{false, true, false, false}));
  f.start();
  f.login();
  EXPECT_EQ(f.send("LAST"), "+OK 2\r\n");
}

TEST_F(Pop3LastTest, IsNotRecordedBySessionsThatEndWithoutQuit) {
  start_four();
  f.send("RETR 3");
  f.s->on_disconnect();
  f.start();
  f.login();
  EXPECT_EQ(f.send("LAST"), "+OK 0\r\n");
  f.send("RETR 2");
  f.s->on_autologout();
  f.start();
  f.login();
  EXPECT_EQ(f.send("LAST"), "+OK 0\r\n");
}

TEST_F(Pop3LastTest, RetrievalsUndoneByRsetAreNotRecorded) {
  start_four();
  f.send("RETR 3");
  f.send("RSET");
  f.send("RETR 1");
  f.send("QUIT");
  EXPECT_EQ(f.store.accessed("alice"), (std::vector<bool>{true, false, false, false}));
}

TEST_F(Pop3LastTest, FollowsTheMessageWhenEarlierOnesAreRemoved) {
  start_four();
  f.send("RETR 3");
  f.send("DELE 1");
  f.send("QUIT");
  f.start();
  f.login();
  // Old message 3 is message 2 now.
  EXPECT_EQ(f.send("LAST"), "+OK 2\r\n");
}

TEST_F(Pop3LastTest, RefusesArguments) {
  start_four();
  EXPECT_EQ(f.send("LAST 1"), "-ERR LAST takes no arguments\r\n");
}

TEST_F(Pop3LastTest, IsNotValidBeforeAuthentication) {
  f.start();
  EXPECT_EQ(f.send("LAST"), "-ERR command not valid before authentication\r\n");
}

TEST(Pop3LastProfileTest, IsAnUnknownCommandUnderRfc1939) {
  session_fixture f;
  f.start_with({test::plain_message});
  EXPECT_EQ(f.send("LAST"), "-ERR unknown command\r\n");
}

TEST(Pop3LastProfileTest, Rfc1939SessionsRecordNoAccess) {
  session_fixture f;
  f.start_with({test::plain_message});
  f.send("RETR 1");
  f.send("QUIT");
  EXPECT_EQ(f.store.accessed("alice"), (std::vector<bool>{false}));
}

}  // namespace
}  // namespace popspec::pop3
