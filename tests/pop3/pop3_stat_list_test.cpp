// STAT and LIST (RFC 1939 §5 STAT.1-7, LIST.1-9; RFC 1225 STAT, LIST; sizes per §11 FMT).
#include <gtest/gtest.h>

#include "session_fixture.hpp"

namespace popspec::pop3 {
namespace {

using test::multiline;
using test::session_fixture;

class Pop3StatListTest : public ::testing::TestWithParam<profile> {
 protected:
  void SetUp() override {
    f = std::make_unique<session_fixture>(GetParam());
    f->start_with({test::plain_message, test::dotted_message, test::lines_message});
  }
  std::unique_ptr<session_fixture> f;
};

TEST_P(Pop3StatListTest, StatGivesCountAndOctetsAndNothingElse) {
  EXPECT_EQ(f->send("STAT"), "+OK 3 115\r\n");
}

TEST_P(Pop3StatListTest, SizesAreTheWireOctetsWithCrlfBeforeStuffing) {
  // FMT.2-4: the size is what RETR delivers after un-stuffing, CRLF counted as 2.
  EXPECT_EQ(f->send("LIST 1"), "+OK 1 " + std::to_string(test::plain_message.size()) + "\r\n");
  EXPECT_EQ(f->send("LIST 2"), "+OK 2 " + std::to_string(test::dotted_message.size()) + "\r\n");
}

TEST_P(Pop3StatListTest, ListWithoutArgumentIsMultiLine) {
  EXPECT_EQ(f->send("LIST"), multiline("+OK 3 messages (115 octets)", {"1 23", "2 51", "3 41"}));
}

TEST_P(Pop3StatListTest, StatAndListSkipDeletedMessages) {
  EXPECT_TRUE(f->send("DELE 2").starts_with("+OK "));
  EXPECT_EQ(f->send("STAT"), "+OK 2 64\r\n");
  EXPECT_EQ(f->send("LIST"), multiline("+OK 2 messages (64 octets)", {"1 23", "3 41"}));
  EXPECT_EQ(f->send("LIST 2"), "-ERR message 2 is deleted\r\n");
  // Numbers do not shift after DELE (AUTH.11).
  EXPECT_EQ(f->send("LIST 3"), "+OK 3 41\r\n");
}

TEST_P(Pop3StatListTest, ListOfAMessageThatDoesNotExistIsRefused) {
  EXPECT_EQ(f->send("LIST 4"), "-ERR no such message\r\n");
  EXPECT_EQ(f->send("LIST 0"), "-ERR no such message\r\n");
  EXPECT_EQ(f->send("LIST 99999999999999999999999"), "-ERR no such message\r\n");
}

TEST_P(Pop3StatListTest, ListRefusesMalformedNumbersAndExtraArguments) {
  for (const char* c : {"LIST -1", "LIST +1", "LIST one", "LIST 1x", "LIST 0x1"})
    EXPECT_EQ(f->send(c), "-ERR invalid message number\r\n") << c;
  EXPECT_EQ(f->send("LIST 1 2"), "-ERR LIST takes at most one message number\r\n");
}

TEST_P(Pop3StatListTest, StatRefusesArguments) {
  EXPECT_EQ(f->send("STAT 1"), "-ERR STAT takes no arguments\r\n");
}

TEST_P(Pop3StatListTest, MessagesDeliveredDuringTheSessionDoNotAppear) {
  // The maildrop is a snapshot for the whole session (AUTH.11).
  f->store.deliver("alice", "", test::plain_message);
  EXPECT_EQ(f->send("STAT"), "+OK 3 115\r\n");
  EXPECT_EQ(f->send("LIST 4"), "-ERR no such message\r\n");
}

INSTANTIATE_TEST_SUITE_P(BothProfiles, Pop3StatListTest,
                         ::testing::Values(profile::rfc1939, profile::rfc1225), test::profile_name);

TEST(Pop3EmptyMaildropTest, StatIsZeroAndListIsAnEmptyMultiLineResponse) {
  // LIST.5: +OK followed by "." with no listings, not -ERR.
  for (const auto prof : {profile::rfc1939, profile::rfc1225}) {
    session_fixture f(prof);
    f.start_with({});
    EXPECT_EQ(f.send("STAT"), "+OK 0 0\r\n");
    EXPECT_EQ(f.send("LIST"), "+OK 0 messages (0 octets)\r\n.\r\n");
    EXPECT_EQ(f.send("LIST 1"), "-ERR no such message\r\n");
  }
}

TEST(Pop3EmptyMaildropTest, AMissingMaildropOpensAsEmpty) {
  session_fixture f;
  f.start();
  f.login();
  EXPECT_EQ(f.send("STAT"), "+OK 0 0\r\n");
}

}  // namespace
}  // namespace popspec::pop3
