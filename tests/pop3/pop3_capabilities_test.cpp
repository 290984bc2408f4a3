// CAPA (RFC 2449 §5-6): the same list in both states, only what the session does, terminated.
#include "popspec/pop3/capabilities.hpp"

#include <gtest/gtest.h>

#include "popspec/pop3/version.hpp"
#include "session_fixture.hpp"

namespace popspec::pop3 {
namespace {

using test::multiline;
using test::session_fixture;

std::string expected_capa() {
  const std::string impl = "IMPLEMENTATION popspec-" + std::string(popspec_version);
  return multiline("+OK capability list follows",
                   {"TOP", "UIDL", "USER", "RESP-CODES", "PIPELINING", "EXPIRE NEVER", impl});
}

TEST(Pop3CapaTest, ListsTheCapabilitiesInAuthorizationState) {
  session_fixture f;
  f.start();
  EXPECT_EQ(f.send("CAPA"), expected_capa());
  EXPECT_TRUE(f.open);
  EXPECT_EQ(f.s->current_state(), state::authorization);
}

TEST(Pop3CapaTest, ListsTheSameCapabilitiesInTransactionState) {
  session_fixture f;
  f.start_with({test::plain_message});
  EXPECT_EQ(f.send("CAPA"), expected_capa());
  EXPECT_EQ(f.s->current_state(), state::transaction);
}

TEST(Pop3CapaTest, IsCaseInsensitive) {
  session_fixture f;
  f.start();
  EXPECT_EQ(f.send("capa"), expected_capa());
}

TEST(Pop3CapaTest, RefusesArguments) {
  session_fixture f;
  f.start();
  EXPECT_TRUE(f.send("CAPA ALL").starts_with("-ERR "));
}

TEST(Pop3CapaTest, DoesNotBreakUserPassIfSentBetweenThemButUsesUpTheUser) {
  // PASS is valid only immediately after USER (RFC 1939 PASS.2), so CAPA in between costs the
  // client a new USER; CAPA itself is still answered.
  session_fixture f;
  f.start();
  f.send("USER alice");
  EXPECT_EQ(f.send("CAPA"), expected_capa());
  EXPECT_TRUE(f.send("PASS secret").starts_with("-ERR "));
}

TEST(Pop3CapaTest, IsAnUnknownCommandUnderRfc1225) {
  session_fixture f(profile::rfc1225);
  f.start();
  EXPECT_EQ(f.send("CAPA"), "-ERR unknown command\r\n");
  f.store.add_mailbox("alice", "", {});
  f.login();
  EXPECT_EQ(f.send("CAPA"), "-ERR unknown command\r\n");
}

TEST(Pop3CapaTest, ImplementationUsesTheOptionTextAsOneToken) {
  session_options o;
  o.implementation = "my server\x01";
  const auto caps = capabilities(o);
  ASSERT_FALSE(caps.empty());
  EXPECT_EQ(caps.back(), "IMPLEMENTATION my_server_-" + std::string(popspec_version));
}

TEST(Pop3CapaTest, EveryCapabilityLineFits512OctetsAndHasNoDotTag) {
  session_options o;
  o.implementation = std::string(2000, 'x');
  for (const auto& line : capabilities(o)) {
    EXPECT_LE(line.size() + 2, 512u);
    EXPECT_FALSE(line.starts_with('.'));
  }
}

TEST(Pop3CapaTest, Rfc1225ProfileHasNoCapabilities) {
  session_options o;
  o.prof = profile::rfc1225;
  EXPECT_TRUE(capabilities(o).empty());
}

}  // namespace
}  // namespace popspec::pop3
