// DELE, RSET and NOOP (RFC 1939 §5 DELE.1-5, RSET.1-2, NOOP.1, AUTH.11; RFC 1225 DELE, RSET).
#include <gtest/gtest.h>

#include "session_fixture.hpp"

namespace popspec::pop3 {
namespace {

using test::multiline;
using test::session_fixture;

class Pop3DeleRsetTest : public ::testing::TestWithParam<profile> {
 protected:
  void SetUp() override {
    f = std::make_unique<session_fixture>(GetParam());
    f->start_with({test::plain_message, test::dotted_message, test::lines_message});
  }
  std::unique_ptr<session_fixture> f;
};

TEST_P(Pop3DeleRsetTest, DeleMarksTheMessage) {
  EXPECT_EQ(f->send("DELE 2"), "+OK message 2 deleted\r\n");
  EXPECT_EQ(f->send("STAT"), "+OK 2 64\r\n");
}

TEST_P(Pop3DeleRsetTest, DeleRemovesNothingBeforeUpdate) {
  f->send("DELE 1");
  EXPECT_EQ(f->store.contents("alice").size(), 3u);
  EXPECT_EQ(f->store.commit_count(), 0u);
}

TEST_P(Pop3DeleRsetTest, EveryLaterReferenceToADeletedMessageIsAnError) {
  f->send("DELE 2");
  EXPECT_EQ(f->send("DELE 2"), "-ERR message 2 already deleted\r\n");
  EXPECT_EQ(f->send("RETR 2"), "-ERR message 2 is deleted\r\n");
  EXPECT_EQ(f->send("LIST 2"), "-ERR message 2 is deleted\r\n");
  EXPECT_EQ(f->send("TOP 2 0"), "-ERR message 2 is deleted\r\n");
  if (GetParam() == profile::rfc1939) {
    EXPECT_EQ(f->send("UIDL 2"), "-ERR message 2 is deleted\r\n");
  }
}

TEST_P(Pop3DeleRsetTest, DeleDoesNotRenumber) {
  f->send("DELE 1");
  EXPECT_EQ(f->send("LIST"), multiline("+OK 2 messages (92 octets)", {"2 51", "3 41"}));
  EXPECT_EQ(f->send("RETR 3"), "+OK 41 octets\r\n" + test::lines_message + ".\r\n");
}

TEST_P(Pop3DeleRsetTest, DeleRefusesMissingAndMalformedNumbers) {
  EXPECT_EQ(f->send("DELE 4"), "-ERR no such message\r\n");
  EXPECT_EQ(f->send("DELE 0"), "-ERR no such message\r\n");
  EXPECT_EQ(f->send("DELE a"), "-ERR invalid message number\r\n");
  EXPECT_EQ(f->send("DELE"), "-ERR DELE needs a message number\r\n");
  EXPECT_EQ(f->send("DELE 1 2"), "-ERR DELE takes one message number\r\n");
  EXPECT_EQ(f->send("STAT"), "+OK 3 115\r\n");
}

TEST_P(Pop3DeleRsetTest, RsetUnmarksEverything) {
  f->send("DELE 1");
  f->send("DELE 3");
  EXPECT_EQ(f->send("RSET"), "+OK maildrop has 3 messages (115 octets)\r\n");
  EXPECT_EQ(f->send("STAT"), "+OK 3 115\r\n");
  EXPECT_EQ(f->send("RETR 1"), "+OK 23 octets\r\n" + test::plain_message + ".\r\n");
  // A message unmarked by RSET can be deleted again.
  EXPECT_EQ(f->send("DELE 1"), "+OK message 1 deleted\r\n");
}

TEST_P(Pop3DeleRsetTest, RsetThenQuitRemovesNothing) {
  f->send("DELE 1");
  f->send("RSET");
  EXPECT_TRUE(f->send("QUIT").starts_with("+OK "));
  EXPECT_EQ(f->store.contents("alice").size(), 3u);
  EXPECT_TRUE(f->s->committed_deletions().empty());
}

TEST_P(Pop3DeleRsetTest, RsetAndNoopRefuseArguments) {
  EXPECT_EQ(f->send("RSET 1"), "-ERR RSET takes no arguments\r\n");
  EXPECT_EQ(f->send("NOOP 1"), "-ERR NOOP takes no arguments\r\n");
}

TEST_P(Pop3DeleRsetTest, NoopDoesNothing) {
  f->send("DELE 1");
  EXPECT_EQ(f->send("NOOP"), "+OK nothing done\r\n");
  EXPECT_EQ(f->send("STAT"), "+OK 2 92\r\n");
}

INSTANTIATE_TEST_SUITE_P(BothProfiles, Pop3DeleRsetTest,
                         ::testing::Values(profile::rfc1939, profile::rfc1225), test::profile_name);

}  // namespace
}  // namespace popspec::pop3
