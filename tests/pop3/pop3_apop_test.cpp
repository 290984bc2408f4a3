// APOP (RFC 1939 §7 APOP.1-10): MD5 of the greeting's timestamp and the shared secret.
#include <gtest/gtest.h>

#include "session_fixture.hpp"

namespace popspec::pop3 {
namespace {

using test::session_fixture;

constexpr std::string_view rfc_digest = "c4c9334bac560ecc979e58001b3e22fb";

TEST(Pop3ApopTest, DigestMatchesTheRfcTestVector) {
  EXPECT_EQ(apop_digest(test::rfc_timestamp, "tanstaaf"), rfc_digest);
}

TEST(Pop3ApopTest, DigestIs32LowerCaseHexDigits) {
  const std::string d = apop_digest("<1.2@h>", "x");
  ASSERT_EQ(d.size(), 32u);
  for (char c : d) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << d;
}

TEST(Pop3ApopTest, TheRfcExampleLogsIn) {
  session_fixture f;
  f.store.add_mailbox("mrose", "", {test::plain_message});
  f.start();
  EXPECT_EQ(f.send("APOP mrose " + std::string(rfc_digest)),
            "+OK maildrop has 1 messages (23 octets)\r\n");
  EXPECT_EQ(f.s->current_state(), state::transaction);
  EXPECT_TRUE(f.store.is_locked("mrose"));
}

TEST(Pop3ApopTest, AWrongDigestStaysInAuthorization) {
  session_fixture f;
  f.start();
  EXPECT_EQ(f.send("APOP mrose c4c9334bac560ecc979e58001b3e22fa"),
            "-ERR authentication failed\r\n");
  EXPECT_EQ(f.s->current_state(), state::authorization);
  EXPECT_TRUE(f.open);
  EXPECT_FALSE(f.store.is_locked("mrose"));
  // The client may try again (AUTH.9).
  EXPECT_TRUE(f.send("APOP mrose " + std::string(rfc_digest)).starts_with("+OK "));
}

TEST(Pop3ApopTest, TheDigestMustBeLowerCase) {
  session_fixture f;
  f.start();
  EXPECT_EQ(f.send("APOP mrose C4C9334BAC560ECC979E58001B3E22FB"),
            "-ERR authentication failed\r\n");
}

TEST(Pop3ApopTest, TheDigestDependsOnThisGreetingsTimestamp) {
  session_fixture f;
  f.options.apop_timestamp = "<1897.697170952@dbc.mtview.ca.us>";
  f.start();
  EXPECT_EQ(f.send("APOP mrose " + std::string(rfc_digest)), "-ERR authentication failed\r\n");
  EXPECT_TRUE(f.send("APOP mrose " + apop_digest("<1897.697170952@dbc.mtview.ca.us>", "tanstaaf"))
                  .starts_with("+OK "));
}

TEST(Pop3ApopTest, AnUnknownUserFailsLikeAWrongDigest) {
  session_fixture f;
  f.start();
  EXPECT_EQ(f.send("APOP nobody " + std::string(rfc_digest)), "-ERR authentication failed\r\n");
}

TEST(Pop3ApopTest, NeedsExactlyANameAndADigest) {
  session_fixture f;
  f.start();
  EXPECT_EQ(f.send("APOP"), "-ERR APOP takes a name and a digest\r\n");
  EXPECT_EQ(f.send("APOP mrose"), "-ERR APOP takes a name and a digest\r\n");
  EXPECT_EQ(f.send("APOP mrose " + std::string(rfc_digest) + " extra"),
            "-ERR APOP takes a name and a digest\r\n");
  EXPECT_EQ(f.s->current_state(), state::authorization);
}

TEST(Pop3ApopTest, NamesThatAreNotPlainAreRefused) {
  session_fixture f;
  f.start();
  EXPECT_EQ(f.send("APOP ../mrose " + std::string(rfc_digest)), "-ERR invalid user name\r\n");
}

TEST(Pop3ApopTest, IsNotValidRightAfterASuccessfulUser) {
  // APOP.2: after the greeting or a failed USER/PASS only.
  session_fixture f;
  f.start();
  f.send("USER alice");
  EXPECT_EQ(f.send("APOP mrose " + std::string(rfc_digest)),
            "-ERR APOP not valid after USER; send PASS\r\n");
  EXPECT_EQ(f.s->current_state(), state::authorization);
  // ...but it is after a failed PASS.
  f.send("USER alice");
  f.send("PASS wrong");
  EXPECT_TRUE(f.send("APOP mrose " + std::string(rfc_digest)).starts_with("+OK "));
}

TEST(Pop3ApopTest, IsNotValidInTransaction) {
  session_fixture f;
  f.start_with({test::plain_message});
  EXPECT_EQ(f.send("APOP mrose " + std::string(rfc_digest)), "-ERR already authenticated\r\n");
  EXPECT_EQ(f.s->current_state(), state::transaction);
}

TEST(Pop3ApopTest, IsAnUnknownCommandUnderRfc1225) {
  session_fixture f(profile::rfc1225);
  f.start();
  EXPECT_EQ(f.send("APOP mrose " + std::string(rfc_digest)), "-ERR unknown command\r\n");
  EXPECT_EQ(f.s->current_state(), state::authorization);
}

}  // namespace
}  // namespace popspec::pop3
