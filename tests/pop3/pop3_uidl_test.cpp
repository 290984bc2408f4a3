// UIDL (RFC 1939 §7 UIDL.1-13).
#include <gtest/gtest.h>

#include "session_fixture.hpp"

namespace popspec::pop3 {
namespace {

using test::multiline;
using test::session_fixture;

class Pop3UidlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    f.start_with({test::plain_message, test::dotted_message, test::plain_message});
    uids = f.store.uids("alice");
    ASSERT_EQ(uids.size(), 3u);
  }
  session_fixture f;
  std::vector<std::string> uids;
};

TEST_F(Pop3UidlTest, ListsEveryMessagesUniqueId) {
  EXPECT_EQ(f.send("UIDL"), multiline("+OK unique-id listing follows",
                                      {"1 " + uids[0], "2 " + uids[1], "3 " + uids[2]}));
}

TEST_F(Pop3UidlTest, OneMessageGetsOneLine) {
  EXPECT_EQ(f.send("UIDL 2"), "+OK 2 " + uids[1] + "\r\n");
}

TEST_F(Pop3UidlTest, IdenticalMessagesStillHaveDifferentIds) {
  EXPECT_NE(uids[0], uids[2]);
}

TEST_F(Pop3UidlTest, DeletedMessagesAreNotListed) {
  f.send("DELE 2");
  EXPECT_EQ(f.send("UIDL"),
            multiline("+OK unique-id listing follows", {"1 " + uids[0], "3 " + uids[2]}));
  EXPECT_EQ(f.send("UIDL 2"), "-ERR message 2 is deleted\r\n");
}

TEST_F(Pop3UidlTest, RefusesMissingAndMalformedNumbersAndExtraArguments) {
  EXPECT_EQ(f.send("UIDL 4"), "-ERR no such message\r\n");
  EXPECT_EQ(f.send("UIDL 0"), "-ERR no such message\r\n");
  EXPECT_EQ(f.send("UIDL z"), "-ERR invalid message number\r\n");
  EXPECT_EQ(f.send("UIDL 1 2"), "-ERR UIDL takes at most one message number\r\n");
}

TEST_F(Pop3UidlTest, IdsAreStableAcrossSessionsEvenWithoutUpdate) {
  const std::string first = f.send("UIDL");
  f.s->on_disconnect();
  f.start();
  f.login();
  EXPECT_EQ(f.send("UIDL"), first);
}

TEST_F(Pop3UidlTest, IdsSurviveTheRemovalOfOtherMessages) {
  f.send("DELE 1");
  f.send("QUIT");
  f.start();
  f.login();
  EXPECT_EQ(f.send("UIDL"),
            multiline("+OK unique-id listing follows", {"1 " + uids[1], "2 " + uids[2]}));
}

TEST(Pop3UidlEmptyTest, AnEmptyMaildropGivesAnEmptyListing) {
  session_fixture f;
  f.start_with({});
  EXPECT_EQ(f.send("UIDL"), "+OK unique-id listing follows\r\n.\r\n");
}

TEST(Pop3UidlProfileTest, IsAnUnknownCommandUnderRfc1225) {
  session_fixture f(profile::rfc1225);
  f.start_with({test::plain_message});
  EXPECT_EQ(f.send("UIDL"), "-ERR unknown command\r\n");
}

}  // namespace
}  // namespace popspec::pop3
