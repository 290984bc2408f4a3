// QUIT from TRANSACTION and the UPDATE state (RFC 1939 §6 UPD.1-5; RFC 1225 UPD.1-2).
#include <gtest/gtest.h>

#include "session_fixture.hpp"

namespace popspec::pop3 {
namespace {

using test::session_fixture;

class Pop3UpdateTest : public ::testing::TestWithParam<profile> {
 protected:
  void SetUp() override {
    f = std::make_unique<session_fixture>(GetParam());
    f->start_with({test::plain_message, test::dotted_message, test::lines_message});
  }
  std::unique_ptr<session_fixture> f;
};

TEST_P(Pop3UpdateTest, QuitRemovesExactlyTheMarkedMessages) {
  f->send("DELE 1");
  f->send("DELE 3");
  EXPECT_EQ(f->send("QUIT"), "+OK popspec POP3 server signing off (1 messages left)\r\n");
  EXPECT_FALSE(f->open);
  EXPECT_EQ(f->s->current_state(), state::closed);
  EXPECT_EQ(f->store.contents("alice"), std::vector<std::string>{test::dotted_message});
  EXPECT_EQ(f->s->committed_deletions(), (std::vector<std::size_t>{0, 2}));
}

TEST_P(Pop3UpdateTest, QuitReleasesTheLock) {
  EXPECT_TRUE(f->store.is_locked("alice"));
  f->send("QUIT");
  EXPECT_FALSE(f->store.is_locked("alice"));
}

TEST_P(Pop3UpdateTest, QuitWithoutMarksRemovesNothing) {
  EXPECT_EQ(f->send("QUIT"), "+OK popspec POP3 server signing off (3 messages left)\r\n");
  EXPECT_EQ(f->store.contents("alice").size(), 3u);
  EXPECT_TRUE(f->s->committed_deletions().empty());
}

TEST_P(Pop3UpdateTest, MailDeliveredDuringTheSessionSurvivesUpdate) {
  f->store.deliver("alice", "", "Subject: new\r\n\r\nnew\r\n");
  f->send("DELE 1");
  f->send("DELE 2");
  f->send("DELE 3");
  f->send("QUIT");
  EXPECT_EQ(f->store.contents("alice"), std::vector<std::string>{"Subject: new\r\n\r\nnew\r\n"});
}

TEST_P(Pop3UpdateTest, AFailedRemovalIsReportedAndStillReleasesTheLock) {
  f->store.fail_commits(std::make_error_code(std::errc::io_error));
  f->send("DELE 2");
  EXPECT_EQ(f->send("QUIT"), GetParam() == profile::rfc1939
                                 ? "-ERR [SYS/TEMP] some deleted messages not removed\r\n"
                                 : "-ERR some deleted messages not removed\r\n");
  EXPECT_FALSE(f->open);
  EXPECT_EQ(f->s->current_state(), state::closed);
  EXPECT_FALSE(f->store.is_locked("alice"));
  EXPECT_EQ(f->store.contents("alice").size(), 3u);
  EXPECT_TRUE(f->s->committed_deletions().empty());
}

TEST_P(Pop3UpdateTest, QuitWithAnArgumentIsRefusedAndTheSessionGoesOn) {
  f->send("DELE 1");
  EXPECT_EQ(f->send("QUIT 1"), "-ERR QUIT takes no arguments\r\n");
  EXPECT_TRUE(f->open);
  EXPECT_EQ(f->s->current_state(), state::transaction);
  EXPECT_EQ(f->store.contents("alice").size(), 3u);
}

TEST_P(Pop3UpdateTest, NothingIsAnsweredAfterQuit) {
  f->send("QUIT");
  for (const char* c : {"STAT", "NOOP", "QUIT", "USER alice", "RSET", "CAPA", "LIST", ""}) {
    EXPECT_EQ(f->send(c), "") << c;
    EXPECT_FALSE(f->open) << c;
  }
  EXPECT_EQ(f->event({codec::line_kind::bare_lf, "NOOP"}), "");
  EXPECT_EQ(f->s->current_state(), state::closed);
}

TEST_P(Pop3UpdateTest, NothingIsAnsweredAfterQuitInAuthorization) {
  session_fixture g(GetParam());
  g.start();
  g.send("QUIT");
  EXPECT_EQ(g.send("USER alice"), "");
  EXPECT_FALSE(g.open);
}

TEST_P(Pop3UpdateTest, ANewSessionSeesTheCommittedMaildrop) {
  f->send("DELE 1");
  f->send("QUIT");
  f->start();
  f->login();
  EXPECT_EQ(f->send("STAT"), "+OK 2 92\r\n");
  EXPECT_EQ(f->send("RETR 1"),
            "+OK 51 octets\r\n" +
                std::string("Subject: dots\r\n\r\n..leading dot\r\n..\r\n...two dots\r\n"
                            "end\r\n.\r\n"));
}

INSTANTIATE_TEST_SUITE_P(BothProfiles, Pop3UpdateTest,
                         ::testing::Values(profile::rfc1939, profile::rfc1225), test::profile_name);

}  // namespace
}  // namespace popspec::pop3
