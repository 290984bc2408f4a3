// The greeting (RFC 1939 §4, APOP.3-5; RFC 1225 AUTH.1-2; RFC 2449 GRAM.4-5).
#include <gtest/gtest.h>

#include "session_fixture.hpp"

namespace popspec::pop3 {
namespace {

using test::session_fixture;

TEST(Pop3GreetingTest, Rfc1939GreetingIsPositiveAndCarriesTheApopTimestamp) {
  session_fixture f;
  EXPECT_EQ(f.start(), "+OK popspec POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n");
  EXPECT_EQ(f.s->current_state(), state::authorization);
  EXPECT_EQ(f.s->current_profile(), profile::rfc1939);
}

TEST(Pop3GreetingTest, Rfc1225GreetingHasNoTimestampBecauseThereIsNoApop) {
  session_fixture f(profile::rfc1225);
  EXPECT_EQ(f.start(), "+OK popspec POP3 server ready\r\n");
  EXPECT_EQ(f.s->current_state(), state::authorization);
  EXPECT_EQ(f.s->current_profile(), profile::rfc1225);
}

TEST(Pop3GreetingTest, TheTimestampIsTheOneTheCallerChose) {
  session_fixture f;
  f.options.apop_timestamp = "<4242.17@mail.example>";
  EXPECT_EQ(f.start(), "+OK popspec POP3 server ready <4242.17@mail.example>\r\n");
}

TEST(Pop3GreetingTest, AnUnusableTimestampIsLeftOutAndApopIsRefused) {
  for (const std::string& bad : std::vector<std::string>{
           "", "no-brackets@host", "<>", "<nohost>", "<@host>", "<a@>", "<a b@host>", "<a<b@host>",
           std::string("<a\x01@host>"), "<" + std::string(480, 'x') + "@h>"}) {
    session_fixture f;
    f.options.apop_timestamp = bad;
    EXPECT_EQ(f.start(), "+OK popspec POP3 server ready\r\n") << bad;
    EXPECT_TRUE(f.send("APOP alice 0123456789abcdef0123456789abcdef").starts_with("-ERR ")) << bad;
    EXPECT_EQ(f.s->current_state(), state::authorization);
  }
}

TEST(Pop3GreetingTest, TheLongestUsableTimestampStillFitsIn512Octets) {
  session_fixture f;
  // 512 - strlen("+OK popspec POP3 server ready ") - CRLF - 1 (room for greeting_err's "-ERR")
  f.options.apop_timestamp = "<" + std::string(475, 'x') + "@h>";
  const std::string g = f.start();
  EXPECT_NE(g.find(f.options.apop_timestamp), std::string::npos);
  EXPECT_LE(g.size(), 512u);
}

}  // namespace
}  // namespace popspec::pop3
