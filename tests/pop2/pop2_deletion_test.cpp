// POP2-937-ACKD.2..7, FOLD.5, QUIT.2, QUIT.4: ACKD marks without renumbering; the marks are
// carried out, atomically, only when the mailbox is released by QUIT or FOLD; never on a dropped
// connection, a timeout, or an aborted session.
#include "popspec/pop2/session.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pop2_session_support.hpp"

namespace popspec::pop2 {
namespace {

using namespace testing;
using codec::pop2_reply_kind;

// Logs in and ACKDs message 1 (READ 1, RETR, ACKD): the session is then in ITEM on message 2.
void ackd_first(rig& r) {
  r.login();
  reply_of(r.line("READ 1").out);
  ASSERT_EQ(r.line("RETR").out, default_messages()[0]);
  ASSERT_EQ(reply_of(r.line("ACKD").out).number, default_messages()[1].size());
}

TEST(Pop2DeletionTest, AckdMarksWithoutRenumberingSoReadingTheNumberAgainGivesZero) {
  rig r;
  ackd_first(r);
  EXPECT_EQ(reply_of(r.line("READ 1").out).number, 0u);
  EXPECT_EQ(reply_of(r.line("READ 2").out).number, default_messages()[1].size());
  EXPECT_EQ(reply_of(r.line("READ 3").out).number, default_messages()[2].size());
  EXPECT_EQ(reply_of(r.line("READ 4").out).number, 0u);
  EXPECT_EQ(r.store.contents(user), default_messages());  // nothing removed yet
}

TEST(Pop2DeletionTest, RetrOfAMessageMarkedDeletedClosesTheConnection) {
  rig r;
  ackd_first(r);
  reply_of(r.line("READ 1").out);
  const auto got = r.line("RETR");
  EXPECT_EQ(got.out, "");
  EXPECT_FALSE(got.open);
  EXPECT_EQ(r.store.contents(user), default_messages());
}

TEST(Pop2DeletionTest, AckReplyIsZeroWhenTheNextMessageIsMarkedDeleted) {
  rig r;
  r.login();
  reply_of(r.line("READ 2").out);
  r.line("RETR");
  r.line("ACKD");  // marks 2
  reply_of(r.line("READ 1").out);
  r.line("RETR");
  EXPECT_EQ(reply_of(r.line("ACKS").out).number, 0u);  // now current is 2, marked deleted
}

TEST(Pop2DeletionTest, QuitCarriesOutTheMarksInOneCommit) {
  rig r;
  ackd_first(r);
  r.line("RETR");
  reply_of(r.line("ACKS").out);
  r.line("RETR");
  r.line("ACKD");  // marks 3
  const auto got = r.line("QUIT");
  EXPECT_EQ(reply_of(got.out).kind, pop2_reply_kind::ok);
  EXPECT_FALSE(got.open);
  EXPECT_EQ(r.store.commit_count(), 1u);
  EXPECT_EQ(r.store.contents(user), (std::vector<std::string>{default_messages()[1]}));
  EXPECT_FALSE(r.store.is_locked(user));
}

TEST(Pop2DeletionTest, QuitWithoutMarksCommitsNothing) {
  rig r;
  r.login();
  reply_of(r.line("READ 1").out);
  r.line("RETR");
  r.line("ACKS");
  EXPECT_EQ(reply_of(r.line("QUIT").out).kind, pop2_reply_kind::ok);
  EXPECT_EQ(r.store.commit_count(), 0u);
  EXPECT_EQ(r.store.contents(user), default_messages());
}

TEST(Pop2DeletionTest, QuitAnswersMinusWhenTheMarkedMessagesCannotBeRemoved) {
  rig r;
  ackd_first(r);
  r.store.fail_commits(std::make_error_code(std::errc::io_error));
  const auto got = r.line("QUIT");
  EXPECT_EQ(reply_of(got.out).kind, pop2_reply_kind::err);
  EXPECT_FALSE(got.open);
  EXPECT_EQ(r.store.contents(user), default_messages());
  EXPECT_FALSE(r.store.is_locked(user));
}

TEST(Pop2DeletionTest, FoldCarriesOutTheMarksOfTheMailboxItLeaves) {
  rig r;
  ackd_first(r);
  EXPECT_EQ(reply_of(r.line("FOLD archive").out).number, 1u);
  EXPECT_EQ(r.store.commit_count(), 1u);
  EXPECT_EQ(r.store.contents(user),
            (std::vector<std::string>{default_messages()[1], default_messages()[2]}));
  EXPECT_FALSE(r.store.is_locked(user));
  EXPECT_TRUE(r.store.is_locked(user, "archive"));
}

TEST(Pop2DeletionTest, FoldThenQuitCarriesOutTheMarksOfEachMailboxOnce) {
  rig r;
  ackd_first(r);
  r.line("FOLD archive");
  reply_of(r.line("READ").out);
  EXPECT_EQ(r.line("RETR").out, archive_messages()[0]);
  EXPECT_EQ(reply_of(r.line("ACKD").out).number, 0u);
  EXPECT_EQ(reply_of(r.line("QUIT").out).kind, pop2_reply_kind::ok);
  EXPECT_EQ(r.store.commit_count(), 2u);
  EXPECT_TRUE(r.store.contents(user, "archive").empty());
  EXPECT_EQ(r.store.contents(user).size(), 2u);
}

TEST(Pop2DeletionTest, FoldToTheSelectedMailboxReopensItRenumberedAfterTheDeletions) {
  rig r;
  r.store.add_mailbox(std::string(user), "box", {"a\r\n", "bb\r\n", "ccc\r\n"});
  r.login();
  ASSERT_EQ(reply_of(r.line("FOLD box").out).number, 3u);
  reply_of(r.line("READ 1").out);
  r.line("RETR");
  r.line("ACKD");
  EXPECT_EQ(reply_of(r.line("FOLD box").out).number, 2u);
  EXPECT_EQ(reply_of(r.line("READ 1").out).number, 4u);  // "bb\r\n" is message 1 now
}

TEST(Pop2DeletionTest, FoldAnswersMinusAndClosesWhenTheMarksCannotBeCarriedOut) {
  rig r;
  ackd_first(r);
  r.store.fail_commits(std::make_error_code(std::errc::io_error));
  const auto got = r.line("FOLD archive");
  EXPECT_EQ(reply_of(got.out).kind, pop2_reply_kind::err);
  EXPECT_FALSE(got.open);
  EXPECT_FALSE(r.store.is_locked(user));
  EXPECT_FALSE(r.store.is_locked(user, "archive"));
}

TEST(Pop2DeletionTest, ADroppedConnectionCarriesOutNothingAndReleasesTheLock) {
  rig r;
  ackd_first(r);
  r.s->on_disconnect();
  EXPECT_EQ(r.st(), state::done);
  EXPECT_EQ(r.store.commit_count(), 0u);
  EXPECT_EQ(r.store.contents(user), default_messages());
  EXPECT_FALSE(r.store.is_locked(user));
}

TEST(Pop2DeletionTest, ADroppedConnectionInNextCarriesOutNothing) {
  rig r;
  ackd_first(r);
  r.line("RETR");
  ASSERT_EQ(r.st(), state::next);
  r.s->on_disconnect();
  EXPECT_EQ(r.store.commit_count(), 0u);
  EXPECT_EQ(r.store.contents(user), default_messages());
}

TEST(Pop2DeletionTest, TheInactivityTimeoutSendsMinusClosesAndCarriesOutNothing) {
  rig r;
  ackd_first(r);
  const auto got = r.timeout();
  EXPECT_EQ(reply_of(got.out).kind, pop2_reply_kind::err);
  EXPECT_EQ(r.st(), state::done);
  EXPECT_EQ(r.store.commit_count(), 0u);
  EXPECT_EQ(r.store.contents(user), default_messages());
  EXPECT_FALSE(r.store.is_locked(user));
}

TEST(Pop2DeletionTest, QuitInNextIsRefusedAndCarriesOutNothing) {
  rig r;
  ackd_first(r);
  r.line("RETR");
  const auto got = r.line("QUIT");
  EXPECT_EQ(reply_of(got.out).kind, pop2_reply_kind::err);
  EXPECT_FALSE(got.open);
  EXPECT_EQ(r.store.commit_count(), 0u);
  EXPECT_EQ(r.store.contents(user), default_messages());
  EXPECT_FALSE(r.store.is_locked(user));
}

TEST(Pop2DeletionTest, DestroyingTheSessionCarriesOutNothingAndReleasesTheLock) {
  rig r;
  ackd_first(r);
  r.s.reset();
  EXPECT_EQ(r.store.commit_count(), 0u);
  EXPECT_FALSE(r.store.is_locked(user));
}

}  // namespace
}  // namespace popspec::pop2
