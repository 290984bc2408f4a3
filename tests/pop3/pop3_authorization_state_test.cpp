// Every command in AUTHORIZATION state that is not an authentication command (RFC 1939 ERR.1-2,
// QUITA.1-2; RFC 1225 GEN.7, QUIT.1-2, RPOP).
#include <gtest/gtest.h>

#include "session_fixture.hpp"

namespace popspec::pop3 {
namespace {

using test::session_fixture;

class Pop3AuthorizationStateTest : public ::testing::TestWithParam<profile> {};

TEST_P(Pop3AuthorizationStateTest, TransactionCommandsAreRefusedBeforeAuthentication) {
  session_fixture f(GetParam());
  f.store.add_mailbox("alice", "", {test::plain_message});
  f.start();
  std::vector<std::string> commands{"STAT",   "LIST", "LIST 1", "RETR 1",
                                    "DELE 1", "NOOP", "RSET",   "TOP 1 0"};
  if (GetParam() == profile::rfc1939) commands.push_back("UIDL");
  if (GetParam() == profile::rfc1225) commands.push_back("LAST");
  for (const auto& c : commands) {
    EXPECT_EQ(f.send(c), "-ERR command not valid before authentication\r\n") << c;
    EXPECT_TRUE(f.open) << c;
    EXPECT_EQ(f.s->current_state(), state::authorization) << c;
  }
  // Nothing reached the maildrop.
  EXPECT_FALSE(f.store.is_locked("alice"));
  EXPECT_EQ(f.store.contents("alice").size(), 1u);
}

TEST_P(Pop3AuthorizationStateTest, TransactionCommandsAreRefusedBetweenUserAndPass) {
  session_fixture f(GetParam());
  f.start();
  f.send("USER alice");
  EXPECT_EQ(f.send("STAT"), "-ERR command not valid before authentication\r\n");
}

TEST_P(Pop3AuthorizationStateTest, QuitSignsOffAndRemovesNothing) {
  session_fixture f(GetParam());
  f.store.add_mailbox("alice", "", {test::plain_message});
  f.start();
  EXPECT_EQ(f.send("QUIT"), "+OK popspec POP3 server signing off\r\n");
  EXPECT_FALSE(f.open);
  EXPECT_EQ(f.s->current_state(), state::closed);
  EXPECT_EQ(f.store.commit_count(), 0u);
  EXPECT_TRUE(f.s->committed_deletions().empty());
}

TEST_P(Pop3AuthorizationStateTest, QuitAfterUserSignsOff) {
  session_fixture f(GetParam());
  f.start();
  f.send("USER alice");
  EXPECT_EQ(f.send("QUIT"), "+OK popspec POP3 server signing off\r\n");
  EXPECT_FALSE(f.open);
}

TEST_P(Pop3AuthorizationStateTest, QuitWithAnArgumentIsASyntaxError) {
  session_fixture f(GetParam());
  f.start();
  EXPECT_EQ(f.send("QUIT now"), "-ERR QUIT takes no arguments\r\n");
  EXPECT_TRUE(f.open);
  EXPECT_EQ(f.s->current_state(), state::authorization);
}

TEST_P(Pop3AuthorizationStateTest, UnknownCommandsAreRefusedAndTheSessionGoesOn) {
  session_fixture f(GetParam());
  f.start();
  for (const char* c : {"HELO", "XYZ", "AUTH PLAIN", "STLS", "XTND XMIT"}) {
    EXPECT_EQ(f.send(c), "-ERR unknown command\r\n") << c;
    EXPECT_TRUE(f.open);
  }
  for (const char* c : {"QU", "QUITT", "RETRIEVE 1"})
    EXPECT_EQ(f.send(c), "-ERR unknown command\r\n") << c;
  EXPECT_EQ(f.s->current_state(), state::authorization);
}

TEST_P(Pop3AuthorizationStateTest, KeywordsAreCaseInsensitive) {
  session_fixture f(GetParam());
  f.store.add_mailbox("alice", "", {test::plain_message});
  f.start();
  EXPECT_EQ(f.send("user alice"), "+OK send PASS\r\n");
  EXPECT_TRUE(f.send("PaSs secret").starts_with("+OK "));
  EXPECT_EQ(f.send("stat"), "+OK 1 23\r\n");
  EXPECT_EQ(f.send("Noop"), "+OK nothing done\r\n");
}

TEST_P(Pop3AuthorizationStateTest, RpopIsRefused) {
  session_fixture f(GetParam());
  f.start();
  const std::string expected =
      GetParam() == profile::rfc1225 ? "-ERR RPOP not supported\r\n" : "-ERR unknown command\r\n";
  EXPECT_EQ(f.send("RPOP alice"), expected);
  f.send("USER alice");
  EXPECT_EQ(f.send("RPOP alice"), expected);
  // A refused RPOP is a failed authentication step: USER again before PASS.
  EXPECT_TRUE(f.send("PASS secret").starts_with("-ERR "));
  EXPECT_EQ(f.s->current_state(), state::authorization);
}

INSTANTIATE_TEST_SUITE_P(BothProfiles, Pop3AuthorizationStateTest,
                         ::testing::Values(profile::rfc1939, profile::rfc1225), test::profile_name);

}  // namespace
}  // namespace popspec::pop3
