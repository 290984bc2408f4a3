// Sessions that end without QUIT: autologout and dropped connections (RFC 1939 §3 TIMER.4-5,
// §6 UPD.2; RFC 1225 UPD.2; issue #2: a drop never deletes anything).
#include <gtest/gtest.h>

#include "session_fixture.hpp"

namespace popspec::pop3 {
namespace {

using test::session_fixture;

class Pop3DropTest : public ::testing::TestWithParam<profile> {
 protected:
  void SetUp() override {
    f = std::make_unique<session_fixture>(GetParam());
    f->start_with({test::plain_message, test::dotted_message});
    f->send("DELE 1");
    f->send("RETR 2");
  }
  std::unique_ptr<session_fixture> f;
};

TEST_P(Pop3DropTest, DisconnectRemovesNothingAndReleasesTheLock) {
  f->s->on_disconnect();
  EXPECT_EQ(f->s->current_state(), state::closed);
  EXPECT_FALSE(f->store.is_locked("alice"));
  EXPECT_EQ(f->store.contents("alice").size(), 2u);
  EXPECT_EQ(f->store.commit_count(), 0u);
  EXPECT_TRUE(f->s->committed_deletions().empty());
  EXPECT_EQ(f->store.accessed("alice"), (std::vector<bool>{false, false}));
}

TEST_P(Pop3DropTest, AutologoutRemovesNothingAndReleasesTheLock) {
  f->s->on_autologout();
  EXPECT_EQ(f->s->current_state(), state::closed);
  EXPECT_FALSE(f->store.is_locked("alice"));
  EXPECT_EQ(f->store.contents("alice").size(), 2u);
  EXPECT_EQ(f->store.commit_count(), 0u);
  EXPECT_EQ(f->store.accessed("alice"), (std::vector<bool>{false, false}));
}

TEST_P(Pop3DropTest, NothingIsAnsweredAfterADrop) {
  f->s->on_autologout();
  EXPECT_EQ(f->send("QUIT"), "");
  EXPECT_FALSE(f->open);
  EXPECT_EQ(f->store.commit_count(), 0u);
}

TEST_P(Pop3DropTest, DestroyingTheSessionRemovesNothingAndReleasesTheLock) {
  f->s.reset();
  EXPECT_FALSE(f->store.is_locked("alice"));
  EXPECT_EQ(f->store.contents("alice").size(), 2u);
}

TEST_P(Pop3DropTest, ANewSessionCanOpenTheMaildropAfterADrop) {
  f->s->on_disconnect();
  f->start();
  f->login();
  EXPECT_EQ(f->send("STAT"), "+OK 2 74\r\n");
}

TEST_P(Pop3DropTest, DropsInAuthorizationAreHarmless) {
  session_fixture g(GetParam());
  g.start();
  g.send("USER alice");
  g.s->on_disconnect();
  EXPECT_EQ(g.s->current_state(), state::closed);
  g.s->on_autologout();  // a second ending changes nothing
  EXPECT_EQ(g.s->current_state(), state::closed);
}

INSTANTIATE_TEST_SUITE_P(BothProfiles, Pop3DropTest,
                         ::testing::Values(profile::rfc1939, profile::rfc1225), test::profile_name);

}  // namespace
}  // namespace popspec::pop3
