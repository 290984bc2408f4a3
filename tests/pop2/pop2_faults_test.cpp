// Each POP2 fault (util/faults.hpp, a testing aid) is one deviation: the same script run with and
// without it differs exactly in the steps (and the stored result) the fault names.
#include "popspec/pop2/session.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "pop2_session_support.hpp"

namespace popspec::pop2 {
namespace {

using namespace testing;
using codec::pop2_reply_kind;

struct transcript {
  std::vector<step> steps;  // [0] is the greeting; then one per line until the session closes
  std::vector<std::string> mailbox;
  std::vector<std::string> archive;
};

transcript run(fault_set faults, const std::vector<std::string>& script) {
  rig r(faults);
  transcript t;
  t.steps.push_back({r.greet(), true});
  for (const auto& line : script) {
    t.steps.push_back(r.line(line));
    if (!t.steps.back().open) break;
  }
  r.s->on_disconnect();
  t.mailbox = r.store.contents(user);
  t.archive = r.store.contents(user, "archive");
  return t;
}

// Steps listed in `differ` must differ, every other step both transcripts have must be equal.
void expect_differs_only_at(const transcript& clean, const transcript& faulty,
                            const std::set<std::size_t>& differ) {
  const std::size_t n = std::min(clean.steps.size(), faulty.steps.size());
  for (std::size_t i = 0; i < n; ++i) {
    const bool same =
        clean.steps[i].out == faulty.steps[i].out && clean.steps[i].open == faulty.steps[i].open;
    EXPECT_EQ(same, !differ.contains(i)) << "step " << i << ": clean \"" << clean.steps[i].out
                                         << "\" faulty \"" << faulty.steps[i].out << "\"";
  }
}

const std::string helo = "HELO popspec popspec-secret";

std::size_t crlf_count(std::string_view s) {
  std::size_t n = 0;
  for (auto p = s.find("\r\n"); p != std::string_view::npos; p = s.find("\r\n", p + 2)) ++n;
  return n;
}

TEST(Pop2FaultsTest, WrongLengthCountsLineEndingsAsOneOctetInEveryLengthReply) {
  const std::vector<std::string> script{helo, "READ 1", "RETR", "ACKS", "RETR", "NACK", "QUIT"};
  const auto clean = run({}, script);
  const auto faulty = run(only(fault::pop2_wrong_length), script);
  expect_differs_only_at(clean, faulty, {2, 4, 6});  // READ, ACKS and NACK replies
  const auto m = default_messages();
  EXPECT_EQ(reply_of(faulty.steps[2].out).number, m[0].size() - crlf_count(m[0]));
  EXPECT_EQ(reply_of(faulty.steps[4].out).number, m[1].size() - crlf_count(m[1]));
  EXPECT_EQ(faulty.steps[3].out, m[0]);  // the data itself is unchanged: more than announced
  EXPECT_EQ(faulty.mailbox, clean.mailbox);
}

TEST(Pop2FaultsTest, AckdRenumbersShiftsLaterMessagesDownAtOnce) {
  const std::vector<std::string> script{helo,     "READ 1", "RETR",   "ACKD",
                                        "READ 1", "READ 2", "READ 3", "QUIT"};
  const auto clean = run({}, script);
  const auto faulty = run(only(fault::pop2_ackd_renumbers), script);
  // ACKD announces the same next message, but its text names it by its new number, 1.
  expect_differs_only_at(clean, faulty, {4, 5, 6, 7});
  const auto m = default_messages();
  EXPECT_EQ(reply_of(faulty.steps[4].out).number, reply_of(clean.steps[4].out).number);
  EXPECT_EQ(reply_of(clean.steps[5].out).number, 0u);
  EXPECT_EQ(reply_of(faulty.steps[5].out).number, m[1].size());
  EXPECT_EQ(reply_of(faulty.steps[6].out).number, m[2].size());
  EXPECT_EQ(reply_of(faulty.steps[7].out).number, 0u);
  // The ACKD'd message is still the one removed at QUIT.
  EXPECT_EQ(faulty.mailbox, clean.mailbox);
  EXPECT_EQ(clean.mailbox, (std::vector<std::string>{m[1], m[2]}));
}

TEST(Pop2FaultsTest, NackAdvancesMovesToTheNextMessageLikeAcks) {
  const std::vector<std::string> script{helo, "READ 1", "RETR", "NACK", "QUIT"};
  const auto clean = run({}, script);
  const auto faulty = run(only(fault::pop2_nack_advances), script);
  expect_differs_only_at(clean, faulty, {4});
  EXPECT_EQ(reply_of(clean.steps[4].out).number, default_messages()[0].size());
  EXPECT_EQ(reply_of(faulty.steps[4].out).number, default_messages()[1].size());
  EXPECT_EQ(faulty.mailbox, clean.mailbox);
}

TEST(Pop2FaultsTest, QuitInNextIsAcceptedAndCarriesOutTheMarks) {
  const std::vector<std::string> script{helo, "READ 1", "RETR", "ACKD", "RETR", "QUIT"};
  const auto clean = run({}, script);
  const auto faulty = run(only(fault::pop2_quit_in_next), script);
  expect_differs_only_at(clean, faulty, {6});
  EXPECT_EQ(reply_of(clean.steps[6].out).kind, pop2_reply_kind::err);
  EXPECT_EQ(reply_of(faulty.steps[6].out).kind, pop2_reply_kind::ok);
  EXPECT_EQ(clean.mailbox, default_messages());
  EXPECT_EQ(faulty.mailbox.size(), 2u);
}

TEST(Pop2FaultsTest, FoldNoCommitLeavesTheMarksOfTheMailboxLeftUndone) {
  const std::vector<std::string> script{helo, "READ 1", "RETR", "ACKD", "FOLD archive", "QUIT"};
  const auto clean = run({}, script);
  const auto faulty = run(only(fault::pop2_fold_no_commit), script);
  expect_differs_only_at(clean, faulty, {});  // every reply is the same...
  EXPECT_EQ(clean.mailbox.size(), 2u);        // ...but only the clean server deleted
  EXPECT_EQ(faulty.mailbox, default_messages());
  EXPECT_EQ(faulty.archive, clean.archive);
}

TEST(Pop2FaultsTest, FoldNoCommitStillCommitsOnQuit) {
  const std::vector<std::string> script{helo, "READ 1", "RETR", "ACKD", "QUIT"};
  const auto faulty = run(only(fault::pop2_fold_no_commit), script);
  EXPECT_EQ(faulty.mailbox.size(), 2u);
}

TEST(Pop2FaultsTest, BadHeloStaysOpenAnswersMinusButKeepsTheConnection) {
  const std::vector<std::string> script{"HELO popspec wrong", helo, "QUIT"};
  const auto clean = run({}, script);
  const auto faulty = run(only(fault::pop2_bad_helo_stays_open), script);
  ASSERT_EQ(clean.steps.size(), 2u);  // closed after the failed HELO
  ASSERT_EQ(faulty.steps.size(), 4u);
  EXPECT_EQ(faulty.steps[1].out, clean.steps[1].out);
  EXPECT_FALSE(clean.steps[1].open);
  EXPECT_TRUE(faulty.steps[1].open);
  EXPECT_EQ(reply_of(faulty.steps[2].out).number, 3u);
}

TEST(Pop2FaultsTest, RetrZeroSendsAnswersMinusInsteadOfClosing) {
  const std::vector<std::string> script{helo, "READ 9", "RETR", "QUIT"};
  const auto clean = run({}, script);
  const auto faulty = run(only(fault::pop2_retr_zero_sends), script);
  ASSERT_EQ(clean.steps.size(), 4u);
  EXPECT_EQ(clean.steps[3].out, "");
  EXPECT_FALSE(clean.steps[3].open);
  ASSERT_EQ(faulty.steps.size(), 5u);
  EXPECT_EQ(reply_of(faulty.steps[3].out).kind, pop2_reply_kind::err);
  EXPECT_TRUE(faulty.steps[3].open);
  expect_differs_only_at(clean, faulty, {3});
}

TEST(Pop2FaultsTest, DotStuffingStuffsAndTerminatesTheDataButAnnouncesTheSameLength) {
  const std::vector<std::string> script{helo, "READ 3", "RETR", "ACKS", "QUIT"};
  const auto clean = run({}, script);
  const auto faulty = run(only(fault::pop2_dot_stuffing), script);
  expect_differs_only_at(clean, faulty, {3});
  EXPECT_EQ(clean.steps[3].out, "Subject: three\r\n\r\nthe third message\r\n.\r\n");
  EXPECT_EQ(faulty.steps[3].out, "Subject: three\r\n\r\nthe third message\r\n..\r\n.\r\n");
}

TEST(Pop2FaultsTest, DotStuffingEndsUnterminatedDataWithCrlfBeforeTheDot) {
  rig r(only(fault::pop2_dot_stuffing));
  r.store.add_mailbox(std::string(user), "", {".a\r\nend"});
  r.login();
  reply_of(r.line("READ").out);
  EXPECT_EQ(r.line("RETR").out, "..a\r\nend\r\n.\r\n");
}

TEST(Pop2FaultsTest, Pop3FaultsDoNotChangeThePop2Session) {
  const std::vector<std::string> script{helo,     "READ 1", "RETR", "ACKD", "READ 1",
                                        "READ 2", "RETR",   "NACK", "ACKS", "QUIT"};
  const auto clean = run({}, script);
  for (const auto& info : all_faults()) {
    if (info.protocol != "pop3") continue;
    SCOPED_TRACE(std::string(info.name));
    const auto faulty = run(only(info.id), script);
    ASSERT_EQ(faulty.steps.size(), clean.steps.size());
    expect_differs_only_at(clean, faulty, {});
    EXPECT_EQ(faulty.mailbox, clean.mailbox);
  }
}

}  // namespace
}  // namespace popspec::pop2
