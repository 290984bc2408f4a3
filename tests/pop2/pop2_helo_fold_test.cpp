// POP2-937-GREET.1, HELO.*, FOLD.*, QUOTE.2: the greeting, authentication, the default mailbox,
// selecting named mailboxes, and locking shared with every other session on the same store.
#include "popspec/pop2/session.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pop2_session_support.hpp"

namespace popspec::pop2 {
namespace {

using namespace testing;
using codec::pop2_reply_kind;

TEST(Pop2GreetingTest, NamesTheProtocolAndTheConfiguredHost) {
  rig r;
  EXPECT_EQ(r.greet(), "+ POP2 pop2.test popspec server ready\r\n");
  EXPECT_EQ(r.st(), state::auth);
}

TEST(Pop2GreetingTest, DefaultOptionsGreetAsLocalhost) {
  store::memory_store store;
  store::user_db users;
  session s({}, store, users);
  EXPECT_EQ(s.greeting(), "+ POP2 localhost popspec server ready\r\n");
}

TEST(Pop2HeloTest, AnswersTheNumberOfMessagesInTheDefaultMailbox) {
  rig r;
  r.greet();
  const auto got = r.line("HELO popspec popspec-secret");
  EXPECT_EQ(reply_of(got.out).kind, pop2_reply_kind::count);
  EXPECT_EQ(reply_of(got.out).number, 3u);
  EXPECT_TRUE(r.store.is_locked(user));
}

TEST(Pop2HeloTest, AcceptsAQuotedPasswordHoldingSpacesAndBackslashes) {
  rig r;
  r.users.add("spacey", R"(pass word\x)");
  r.greet();
  EXPECT_EQ(reply_of(r.line(R"(HELO spacey pass\ word\\x)").out).kind, pop2_reply_kind::count);
}

TEST(Pop2HeloTest, RefusesThePasswordWithItsQuotingLeftIn) {
  rig r;
  r.users.add("spacey", "pass word");
  r.greet();
  EXPECT_EQ(reply_of(r.line(R"(HELO spacey pass\\\ word)").out).kind, pop2_reply_kind::err);
}

TEST(Pop2HeloTest, RefusesAPasswordThatIsOnlyAPrefixOrAnExtensionOfTheRightOne) {
  for (const char* guess : {"popspec-secre", "popspec-secrett", "POPSPEC-SECRET"}) {
    rig r;
    r.greet();
    EXPECT_EQ(reply_of(r.line(std::string("HELO popspec ") + guess).out).kind, pop2_reply_kind::err)
        << guess;
  }
}

TEST(Pop2HeloTest, AUserWithoutADefaultMaildropHasZeroMessages) {
  rig r;
  r.users.add("fresh", "pw");
  r.greet();
  EXPECT_EQ(reply_of(r.line("HELO fresh pw").out),
            codec::pop2_count(0, "messages in your mailbox"));
  EXPECT_EQ(reply_of(r.line("READ").out).number, 0u);
}

TEST(Pop2HeloTest, ALockedDefaultMailboxIsRefusedWithMinusAndClose) {
  rig r;
  auto other = r.store.open(user);  // e.g. a POP3 session holding the maildrop
  ASSERT_EQ(other.status, store::open_status::ok);
  r.greet();
  const auto got = r.line("HELO popspec popspec-secret");
  const auto reply = reply_of(got.out);
  EXPECT_EQ(reply.kind, pop2_reply_kind::err);
  EXPECT_NE(reply.text.find("locked"), std::string::npos) << reply.text;
  EXPECT_FALSE(got.open);
  EXPECT_EQ(r.st(), state::done);
}

TEST(Pop2HeloTest, ASecondPop2SessionCannotHoldTheSameMailbox) {
  rig r;
  r.login();
  session second({}, r.store, r.users);
  second.greeting();
  std::string out;
  EXPECT_FALSE(second.on_line({codec::line_kind::line, "HELO popspec popspec-secret"}, out));
  EXPECT_EQ(reply_of(out).kind, pop2_reply_kind::err);
}

TEST(Pop2HeloTest, KeywordsAreAcceptedInAnyCase) {
  rig r;
  r.greet();
  EXPECT_EQ(reply_of(r.line("helo popspec popspec-secret").out).kind, pop2_reply_kind::count);
  EXPECT_EQ(reply_of(r.line("Read 1").out).number, default_messages()[0].size());
  EXPECT_EQ(r.line("retr").out, default_messages()[0]);
  EXPECT_EQ(reply_of(r.line("acks").out).number, default_messages()[1].size());
  EXPECT_EQ(reply_of(r.line("quit").out).kind, pop2_reply_kind::ok);
}

TEST(Pop2FoldTest, SelectsANamedMailboxAndAnswersItsCount) {
  rig r;
  r.login();
  EXPECT_EQ(reply_of(r.line("FOLD archive").out).number, 1u);
  EXPECT_EQ(r.st(), state::mbox);
  reply_of(r.line("READ").out);
  EXPECT_EQ(r.line("RETR").out, archive_messages()[0]);
}

TEST(Pop2FoldTest, SetsTheCurrentMessageBackToOne) {
  rig r;
  r.store.add_mailbox(std::string(user), "box", {"a\r\n", "bb\r\n"});
  r.login();
  reply_of(r.line("READ 3").out);
  r.line("FOLD box");
  EXPECT_EQ(reply_of(r.line("READ").out).number, 3u);  // message 1 of "box": "a\r\n"
}

TEST(Pop2FoldTest, AMissingMailboxCountsZeroAndEveryReadThenGivesZero) {
  rig r;
  r.login();
  EXPECT_EQ(reply_of(r.line("FOLD nonexistent").out), codec::pop2_count(0, "no such mailbox"));
  EXPECT_EQ(r.st(), state::mbox);
  EXPECT_EQ(reply_of(r.line("READ").out).number, 0u);
  EXPECT_EQ(reply_of(r.line("READ 1").out).number, 0u);
  EXPECT_EQ(reply_of(r.line("QUIT").out).kind, pop2_reply_kind::ok);
}

TEST(Pop2FoldTest, AnEmptyMailboxCountsZero) {
  rig r;
  r.store.add_mailbox(std::string(user), "empty", {});
  r.login();
  EXPECT_EQ(reply_of(r.line("FOLD empty").out).number, 0u);
}

TEST(Pop2FoldTest, ANameThatCanNeverBeAMailboxCountsZeroAndTouchesNothing) {
  for (const char* name : {"../popspec2", "a/b", ".hidden", "/usr/spool/mail/smith"}) {
    rig r;
    r.login();
    EXPECT_EQ(reply_of(r.line(std::string("FOLD ") + name).out).number, 0u) << name;
    EXPECT_TRUE(r.line("QUIT").out.starts_with("+")) << name;
  }
}

TEST(Pop2FoldTest, AMailboxNameMayHoldSpacesQuotedOrNot) {
  rig r;
  r.store.add_mailbox(std::string(user), "old mail", {"x\r\n"});
  r.login();
  EXPECT_EQ(reply_of(r.line("FOLD old mail").out).number, 1u);
  EXPECT_EQ(reply_of(r.line(R"(FOLD old\ mail)").out).number, 1u);
}

TEST(Pop2FoldTest, OnlyTheLoggedInUsersMailboxesCanBeSelected) {
  rig r;
  r.store.add_mailbox("popspec2", "secret", {"not yours\r\n"});
  r.login();
  EXPECT_EQ(reply_of(r.line("FOLD secret").out).number, 0u);
  EXPECT_FALSE(r.store.is_locked("popspec2", "secret"));
}

TEST(Pop2FoldTest, ALockedMailboxIsRefusedWithMinusAndCloseAfterReleasingThePreviousOne) {
  rig r;
  auto other = r.store.open(user, "archive");
  ASSERT_EQ(other.status, store::open_status::ok);
  r.login();
  reply_of(r.line("READ 1").out);
  r.line("RETR");
  r.line("ACKD");
  const auto got = r.line("FOLD archive");
  const auto reply = reply_of(got.out);
  EXPECT_EQ(reply.kind, pop2_reply_kind::err);
  EXPECT_NE(reply.text.find("locked"), std::string::npos) << reply.text;
  EXPECT_FALSE(got.open);
  EXPECT_FALSE(r.store.is_locked(user));
  // The default mailbox was released by FOLD, so its ACKD was carried out first.
  EXPECT_EQ(r.store.contents(user).size(), 2u);
}

}  // namespace
}  // namespace popspec::pop2
