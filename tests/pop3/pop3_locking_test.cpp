// The exclusive maildrop lock (RFC 1939 AUTH.4-7; RFC 1225 AUTH.7-10; RFC 2449 CODE.8 [IN-USE]).
#include <gtest/gtest.h>

#include "session_fixture.hpp"

namespace popspec::pop3 {
namespace {

using test::session_fixture;

std::string pass_reply(session& s, std::string_view user, std::string_view password) {
  std::string out;
  s.on_line({codec::line_kind::line, "USER " + std::string(user)}, out);
  out.clear();
  s.on_line({codec::line_kind::line, "PASS " + std::string(password)}, out);
  return out;
}

TEST(Pop3LockingTest, ASecondSessionOnALockedMaildropGetsInUse) {
  session_fixture f;
  f.start_with({test::plain_message});
  session second(f.options, f.store, f.users);
  second.greeting();
  EXPECT_EQ(pass_reply(second, "alice", "secret"),
            "-ERR [IN-USE] maildrop is locked by another session\r\n");
  EXPECT_EQ(second.current_state(), state::authorization);
  // The first session is undisturbed.
  EXPECT_EQ(f.send("STAT"), "+OK 1 23\r\n");
}

TEST(Pop3LockingTest, ApopOnALockedMaildropGetsInUse) {
  session_fixture f;
  f.store.add_mailbox("mrose", "", {});
  f.start();
  f.send("USER mrose");
  f.send("PASS tanstaaf");
  session second(f.options, f.store, f.users);
  second.greeting();
  std::string out;
  second.on_line(
      {codec::line_kind::line, "APOP mrose " + apop_digest(test::rfc_timestamp, "tanstaaf")}, out);
  EXPECT_EQ(out, "-ERR [IN-USE] maildrop is locked by another session\r\n");
}

TEST(Pop3LockingTest, Rfc1225SendsNoResponseCodeBecauseItCannotAnnounceThem) {
  session_fixture f(profile::rfc1225);
  f.start_with({});
  session second(f.options, f.store, f.users);
  second.greeting();
  EXPECT_EQ(pass_reply(second, "alice", "secret"),
            "-ERR maildrop is locked by another session\r\n");
}

TEST(Pop3LockingTest, TheRefusedSessionMayRetryOnceTheLockIsReleased) {
  session_fixture f;
  f.start_with({test::plain_message});
  session second(f.options, f.store, f.users);
  second.greeting();
  EXPECT_TRUE(pass_reply(second, "alice", "secret").starts_with("-ERR [IN-USE]"));
  f.send("QUIT");
  EXPECT_EQ(pass_reply(second, "alice", "secret"), "+OK maildrop has 1 messages (23 octets)\r\n");
  EXPECT_EQ(second.current_state(), state::transaction);
  EXPECT_TRUE(f.store.is_locked("alice"));
}

TEST(Pop3LockingTest, AFailedLoginTakesNoLock) {
  session_fixture f;
  f.store.add_mailbox("alice", "", {});
  f.start();
  f.send("USER alice");
  f.send("PASS nope");
  EXPECT_FALSE(f.store.is_locked("alice"));
}

TEST(Pop3LockingTest, DifferentUsersDoNotShareALock) {
  session_fixture f;
  f.store.add_mailbox("mrose", "", {test::plain_message});
  f.start_with({});
  session second(f.options, f.store, f.users);
  second.greeting();
  EXPECT_TRUE(pass_reply(second, "mrose", "tanstaaf").starts_with("+OK "));
}

}  // namespace
}  // namespace popspec::pop3
