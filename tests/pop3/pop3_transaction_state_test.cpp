// Commands that are not valid in TRANSACTION state (RFC 1939 ERR.1-2, USER.2, PASS.2, APOP.2;
// RFC 1225 GEN.7, USER.2, PASS.2), and that the session carries on after each.
#include <gtest/gtest.h>

#include "session_fixture.hpp"

namespace popspec::pop3 {
namespace {

using test::session_fixture;

class Pop3TransactionStateTest : public ::testing::TestWithParam<profile> {
 protected:
  void SetUp() override {
    f = std::make_unique<session_fixture>(GetParam());
    f->start_with({test::plain_message});
  }
  std::unique_ptr<session_fixture> f;
};

TEST_P(Pop3TransactionStateTest, AuthorizationCommandsAreRefused) {
  std::vector<std::string> commands{"USER alice", "USER bob", "PASS secret"};
  if (GetParam() == profile::rfc1225) commands.push_back("RPOP alice");
  for (const auto& c : commands) {
    EXPECT_EQ(f->send(c), "-ERR already authenticated\r\n") << c;
    EXPECT_EQ(f->s->current_state(), state::transaction) << c;
  }
  EXPECT_EQ(f->send("STAT"), "+OK 1 23\r\n");
}

TEST_P(Pop3TransactionStateTest, UnknownCommandsAreRefusedAndTheSessionGoesOn) {
  for (const char* c : {"HELO", "XYZ", "AUTH", "STLS", "RETRX 1", "DE"}) {
    EXPECT_EQ(f->send(c), "-ERR unknown command\r\n") << c;
    EXPECT_TRUE(f->open);
  }
  EXPECT_EQ(f->send("STAT"), "+OK 1 23\r\n");
}

TEST_P(Pop3TransactionStateTest, ProfileCommandsOfTheOtherProfileAreUnknown) {
  const std::vector<std::string> other =
      GetParam() == profile::rfc1939
          ? std::vector<std::string>{"LAST", "RPOP x"}
          : std::vector<std::string>{"UIDL", "UIDL 1", "CAPA", "APOP a b"};
  for (const auto& c : other) EXPECT_EQ(f->send(c), "-ERR unknown command\r\n") << c;
}

TEST_P(Pop3TransactionStateTest, EveryCommandOfTheProfileIsAnswered) {
  std::vector<std::string> commands{"STAT", "LIST", "LIST 1", "RETR 1", "TOP 1 0", "NOOP"};
  if (GetParam() == profile::rfc1939) {
    commands.insert(commands.end(), {"UIDL", "UIDL 1", "CAPA"});
  } else {
    commands.push_back("LAST");
  }
  commands.insert(commands.end(), {"DELE 1", "RSET"});
  for (const auto& c : commands) {
    EXPECT_TRUE(f->send(c).starts_with("+OK ")) << c;
    EXPECT_TRUE(f->open) << c;
  }
}

INSTANTIATE_TEST_SUITE_P(BothProfiles, Pop3TransactionStateTest,
                         ::testing::Values(profile::rfc1939, profile::rfc1225), test::profile_name);

}  // namespace
}  // namespace popspec::pop3
