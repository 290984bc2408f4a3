// USER and PASS (RFC 1939 §7 USER/PASS, §4; RFC 1225 "The AUTHORIZATION State").
#include <gtest/gtest.h>

#include "session_fixture.hpp"

namespace popspec::pop3 {
namespace {

using test::session_fixture;

class Pop3UserPassTest : public ::testing::TestWithParam<profile> {};

TEST_P(Pop3UserPassTest, CorrectPasswordOpensTheMaildropAndEntersTransaction) {
  session_fixture f(GetParam());
  f.store.add_mailbox("alice", "", {test::plain_message, test::lines_message});
  f.start();
  EXPECT_EQ(f.send("USER alice"), "+OK send PASS\r\n");
  EXPECT_EQ(f.send("PASS secret"), "+OK maildrop has 2 messages (64 octets)\r\n");
  EXPECT_EQ(f.s->current_state(), state::transaction);
  EXPECT_TRUE(f.store.is_locked("alice"));
}

TEST(Pop3UserTest, Rfc1939AcceptsAnUnknownNameAndPassRefusesIt) {
  // RFC 1939 USER.4: +OK even without such a mailbox, so USER does not reveal which names exist.
  session_fixture f(profile::rfc1939);
  f.start();
  EXPECT_EQ(f.send("USER nobody"), "+OK send PASS\r\n");
  EXPECT_EQ(f.send("PASS secret"), "-ERR invalid user name or password\r\n");
  EXPECT_EQ(f.s->current_state(), state::authorization);
  EXPECT_FALSE(f.store.exists("nobody"));
}

TEST(Pop3UserTest, Rfc1225RefusesAnUnknownNameAtUser) {
  // RFC 1225 USER: "-ERR never heard of name"; it has no USER.4 allowance.
  session_fixture f(profile::rfc1225);
  f.start();
  EXPECT_EQ(f.send("USER nobody"), "-ERR never heard of that name\r\n");
  EXPECT_TRUE(f.send("PASS secret").starts_with("-ERR "));
  // After a failed USER, USER may be given again.
  EXPECT_EQ(f.send("USER alice"), "+OK send PASS\r\n");
  EXPECT_EQ(f.s->current_state(), state::authorization);
  EXPECT_FALSE(f.store.exists("nobody"));
}

TEST_P(Pop3UserPassTest, WrongPasswordStaysInAuthorizationAndNeedsUserAgain) {
  session_fixture f(GetParam());
  f.start();
  f.send("USER alice");
  EXPECT_EQ(f.send("PASS wrong"), "-ERR invalid user name or password\r\n");
  EXPECT_EQ(f.s->current_state(), state::authorization);
  EXPECT_TRUE(f.open);
  EXPECT_FALSE(f.store.is_locked("alice"));
  // PASS is valid only immediately after a successful USER (PASS.2).
  EXPECT_EQ(f.send("PASS secret"), "-ERR PASS must immediately follow a successful USER\r\n");
  EXPECT_EQ(f.send("USER alice"), "+OK send PASS\r\n");
  EXPECT_TRUE(f.send("PASS secret").starts_with("+OK "));
  EXPECT_EQ(f.s->current_state(), state::transaction);
}

TEST_P(Pop3UserPassTest, PasswordsAreCaseSensitive) {
  session_fixture f(GetParam());
  f.start();
  f.send("USER alice");
  EXPECT_TRUE(f.send("PASS SECRET").starts_with("-ERR "));
}

TEST_P(Pop3UserPassTest, UserNamesAreCaseSensitive) {
  session_fixture f(GetParam());
  f.start();
  f.send("USER Alice");
  EXPECT_TRUE(f.send("PASS secret").starts_with("-ERR "));
  EXPECT_EQ(f.s->current_state(), state::authorization);
}

TEST_P(Pop3UserPassTest, PassWithoutUserIsRefused) {
  session_fixture f(GetParam());
  f.start();
  EXPECT_EQ(f.send("PASS secret"), "-ERR PASS must immediately follow a successful USER\r\n");
  EXPECT_EQ(f.s->current_state(), state::authorization);
}

TEST_P(Pop3UserPassTest, PassMustFollowUserImmediately) {
  session_fixture f(GetParam());
  f.start();
  f.send("USER alice");
  EXPECT_TRUE(f.send("NOOP").starts_with("-ERR "));
  EXPECT_TRUE(f.send("PASS secret").starts_with("-ERR "));
  EXPECT_EQ(f.s->current_state(), state::authorization);
}

TEST_P(Pop3UserPassTest, ASecondUserAfterASuccessfulOneIsRefused) {
  // RFC 1939 USER.2: USER is valid after the greeting or a failed USER/PASS only.
  session_fixture f(GetParam());
  f.start();
  f.send("USER alice");
  EXPECT_EQ(f.send("USER mrose"), "-ERR USER already given; send PASS\r\n");
  // That failed USER is the last command now: a new USER is valid, PASS is not.
  EXPECT_TRUE(f.send("PASS tanstaaf").starts_with("-ERR "));
  EXPECT_EQ(f.send("USER mrose"), "+OK send PASS\r\n");
  EXPECT_TRUE(f.send("PASS tanstaaf").starts_with("+OK "));
}

TEST_P(Pop3UserPassTest, UserNeedsExactlyOneArgument) {
  session_fixture f(GetParam());
  f.start();
  EXPECT_EQ(f.send("USER"), "-ERR USER takes exactly one argument: a name\r\n");
  EXPECT_EQ(f.send("USER alice bob"), "-ERR USER takes exactly one argument: a name\r\n");
  EXPECT_TRUE(f.send("PASS secret").starts_with("-ERR "));
}

TEST_P(Pop3UserPassTest, NamesThatAreNotPlainNeverReachTheStore) {
  session_fixture f(GetParam());
  f.start();
  for (const char* name : {"../x", "..", ".hidden", "a/b", "a\\b", "x%y"}) {
    EXPECT_EQ(f.send(std::string("USER ") + name), "-ERR invalid user name\r\n") << name;
    EXPECT_TRUE(f.send("PASS secret").starts_with("-ERR ")) << name;
  }
  EXPECT_EQ(f.send("USER " + std::string(65, 'a')), "-ERR invalid user name\r\n");
  EXPECT_EQ(f.s->current_state(), state::authorization);
}

TEST_P(Pop3UserPassTest, PassTakesTheRestOfTheLineIncludingSpaces) {
  // RFC 1939 PASS.4: spaces may be part of the password.
  session_fixture f(GetParam());
  f.users.add("bob", "correct horse  battery ");
  f.start();
  f.send("USER bob");
  EXPECT_TRUE(f.send("PASS correct horse  battery ").starts_with("+OK "));
}

TEST_P(Pop3UserPassTest, PasswordsLongerThan40CharactersAreAccepted) {
  // RFC 2449 §4 lifts RFC 1939's 40-character argument limit (the command may be 255 octets).
  session_fixture f(GetParam());
  const std::string password(200, 'p');
  f.users.add("bob", password);
  f.start();
  f.send("USER bob");
  EXPECT_TRUE(f.send("PASS " + password).starts_with("+OK "));
}

TEST_P(Pop3UserPassTest, PassWithoutPasswordIsRefused) {
  session_fixture f(GetParam());
  f.start();
  f.send("USER alice");
  EXPECT_TRUE(f.send("PASS").starts_with("-ERR "));
  f.send("USER alice");
  EXPECT_TRUE(f.send("PASS ").starts_with("-ERR "));
  EXPECT_EQ(f.s->current_state(), state::authorization);
}

TEST_P(Pop3UserPassTest, AStoreFailureIsATemporarySystemError) {
  // memory_store reports io_error for nothing, so use a store that always fails.
  struct failing_store final : popspec::store::store {
    popspec::store::open_result open(std::string_view, std::string_view) override {
      popspec::store::open_result r;
      r.status = popspec::store::open_status::io_error;
      r.detail = "disk on fire";
      return r;
    }
  } failing;
  session_options o;
  o.prof = GetParam();
  store::user_db users;
  users.add("alice", "secret");
  session s(o, failing, users);
  s.greeting();
  std::string out;
  EXPECT_TRUE(s.on_line({codec::line_kind::line, "USER alice"}, out));
  out.clear();
  EXPECT_TRUE(s.on_line({codec::line_kind::line, "PASS secret"}, out));
  EXPECT_EQ(out, GetParam() == profile::rfc1939 ? "-ERR [SYS/TEMP] maildrop cannot be opened\r\n"
                                                : "-ERR maildrop cannot be opened\r\n");
  EXPECT_EQ(s.current_state(), state::authorization);
}

INSTANTIATE_TEST_SUITE_P(BothProfiles, Pop3UserPassTest,
                         ::testing::Values(profile::rfc1939, profile::rfc1225), test::profile_name);

}  // namespace
}  // namespace popspec::pop3
