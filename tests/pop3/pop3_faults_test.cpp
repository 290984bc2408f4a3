// Fault injection (util/faults.hpp): each session-level fault is one deliberate deviation. A
// fixed transcript is run with and without each fault; exactly the steps the fault is about
// must answer differently. Targeted tests then pin down what the deviation looks like.
#include <gtest/gtest.h>

#include <ostream>
#include <set>

#include "session_fixture.hpp"

namespace popspec::pop3 {
namespace {

using test::multiline;
using test::session_fixture;

// Step 0 is the greeting; step i > 0 answers script[i - 1].
const std::vector<std::string> script{
    "CAPA",         // 1
    "STAT",         // 2  AUTHORIZATION
    "LIST",         // 3  AUTHORIZATION
    "XYZZ",         // 4  unknown
    "USER alice",   // 5
    "PASS secret",  // 6
    "stat",         // 7  lower-case keyword
    "LIST",         // 8
    "RETR 2",       // 9  dot-stuffed message
    "TOP 3 1",      // 10
    "UIDL",         // 11
    "DELE 1",       // 12
    "STAT",         // 13
    "LIST",         // 14
    "UIDL 2",       // 15
    "RETR 1",       // 16 deleted
    "DELE 1",       // 17 deleted
    "RSET",         // 18
    "STAT",         // 19
    "QUIT",         // 20
};

struct run_result {
  std::vector<std::string> replies;
  std::vector<std::string> survivors;
};

run_result run_script(fault_set faults) {
  session_fixture f;
  f.options.faults = faults;
  f.store.add_mailbox("alice", "",
                      {test::plain_message, test::dotted_message, test::lines_message});
  run_result r;
  r.replies.push_back(f.start());
  for (const auto& line : script) r.replies.push_back(f.send(line));
  r.survivors = f.store.contents("alice");
  return r;
}

struct fault_case {
  fault id;
  std::set<std::size_t> differing_steps;
  bool changes_survivors = false;
};

std::vector<fault_case> fault_cases() {
  std::set<std::size_t> all_steps;
  for (std::size_t i = 0; i <= script.size(); ++i) all_steps.insert(i);
  return {
      {fault::no_dot_stuffing, {9}},
      {fault::lf_sizes, {6, 7, 8, 9, 13, 14, 18, 19}},
      {fault::dele_renumbers, {14, 15, 16, 17}},
      {fault::commit_on_drop, {}},  // the script ends with QUIT; see the targeted test
      {fault::any_password, {}},    // the script's password is right; see the targeted test
      {fault::missing_terminator, {1, 8, 9, 10, 11, 14}},
      {fault::lowercase_status, all_steps},
      {fault::dele_twice_ok, {17}},
      {fault::rset_keeps_deletions, {18, 19, 20}, true},
      {fault::retr_deleted_ok, {16}},
      {fault::stat_counts_deleted, {13}},
      {fault::no_lock, {}},  // the store's business, not the session's
      {fault::uidl_unstable, {11, 15}},
      {fault::uidl_duplicate, {11, 15}},
      {fault::top_ignores_count, {10}},
      {fault::unknown_command_ok, {4}},
      {fault::commands_before_auth, {2, 3}},
      {fault::keywords_case_sensitive, {7}},
      {fault::apop_any_digest, {}},  // no APOP in the script; see the targeted test
      {fault::last_not_reset, {}},   // rfc1225 only; see the targeted test
      {fault::list_includes_deleted, {14}},
      {fault::greeting_err, {0}},
      {fault::pipelining_drops, {}},  // the server's business, not the session's
      {fault::capa_no_terminator, {1}},
  };
}

void PrintTo(const fault_case& c, std::ostream* os) {
  *os << describe(c.id).name;
}

std::string fault_case_name(const ::testing::TestParamInfo<fault_case>& info) {
  std::string name(describe(info.param.id).name);
  for (char& c : name)
    if (c == '-') c = '_';
  return name;
}

class Pop3FaultExactnessTest : public ::testing::TestWithParam<fault_case> {};

TEST_P(Pop3FaultExactnessTest, ChangesExactlyTheStepsItIsAbout) {
  static const run_result baseline = run_script({});
  fault_set faults;
  faults.add(GetParam().id);
  const run_result faulty = run_script(faults);
  ASSERT_EQ(faulty.replies.size(), baseline.replies.size());
  std::set<std::size_t> differing;
  for (std::size_t i = 0; i < baseline.replies.size(); ++i) {
    if (faulty.replies[i] != baseline.replies[i]) differing.insert(i);
  }
  EXPECT_EQ(differing, GetParam().differing_steps);
  for (std::size_t i : differing) {
    if (GetParam().differing_steps.contains(i)) continue;
    ADD_FAILURE() << "step " << i << (i ? " " + script[i - 1] : " greeting")
                  << "\nexpected: " << baseline.replies[i] << "actual:   " << faulty.replies[i];
  }
  EXPECT_EQ(faulty.survivors != baseline.survivors, GetParam().changes_survivors);
}

INSTANTIATE_TEST_SUITE_P(EverySessionFault, Pop3FaultExactnessTest,
                         ::testing::ValuesIn(fault_cases()), fault_case_name);

TEST(Pop3FaultExactnessTest, EveryPop3FaultIsCovered) {
  std::set<fault> covered;
  for (const auto& c : fault_cases()) covered.insert(c.id);
  for (const auto& info : all_faults()) {
    if (info.protocol == "pop3") {
      EXPECT_TRUE(covered.contains(info.id)) << info.name;
    }
  }
}

// ---- what each deviation looks like ----

fault_set only(fault f) {
  fault_set set;
  set.add(f);
  return set;
}

TEST(Pop3FaultTest, NoDotStuffingSendsDotLinesAsStored) {
  session_fixture f(profile::rfc1939, only(fault::no_dot_stuffing));
  f.start_with({test::dotted_message});
  EXPECT_EQ(f.send("RETR 1"), "+OK 51 octets\r\n" + test::dotted_message + ".\r\n");
}

TEST(Pop3FaultTest, LfSizesCountOneOctetPerLineEnding) {
  session_fixture f(profile::rfc1939, only(fault::lf_sizes));
  f.start_with({test::plain_message, test::lines_message});
  EXPECT_EQ(f.send("STAT"), "+OK 2 55\r\n");  // 23 - 3 + 41 - 6
  EXPECT_EQ(f.send("LIST"), multiline("+OK 2 messages (55 octets)", {"1 20", "2 35"}));
  // The octets sent are still the real ones.
  EXPECT_EQ(f.send("RETR 1"), "+OK 20 octets\r\n" + test::plain_message + ".\r\n");
}

TEST(Pop3FaultTest, DeleRenumbersShiftsLaterMessagesDown) {
  session_fixture f(profile::rfc1939, only(fault::dele_renumbers));
  f.start_with({test::plain_message, test::dotted_message, test::lines_message});
  f.send("DELE 1");
  EXPECT_EQ(f.send("LIST 1"), "+OK 1 51\r\n");
  EXPECT_EQ(f.send("LIST 3"), "-ERR no such message\r\n");
  EXPECT_EQ(f.send("DELE 1"), "+OK message 1 deleted\r\n");
  f.send("QUIT");
  EXPECT_EQ(f.store.contents("alice"), std::vector<std::string>{test::lines_message});
}

TEST(Pop3FaultTest, CommitOnDropRemovesMarkedMessagesOnDisconnect) {
  session_fixture f(profile::rfc1939, only(fault::commit_on_drop));
  f.start_with({test::plain_message, test::dotted_message});
  f.send("DELE 2");
  f.s->on_disconnect();
  EXPECT_EQ(f.store.contents("alice"), std::vector<std::string>{test::plain_message});
  EXPECT_EQ(f.s->committed_deletions(), std::vector<std::size_t>{1});
  EXPECT_FALSE(f.store.is_locked("alice"));
}

TEST(Pop3FaultTest, CommitOnDropLeavesAutologoutAlone) {
  session_fixture f(profile::rfc1939, only(fault::commit_on_drop));
  f.start_with({test::plain_message, test::dotted_message});
  f.send("DELE 2");
  f.s->on_autologout();
  EXPECT_EQ(f.store.contents("alice").size(), 2u);
}

TEST(Pop3FaultTest, AnyPasswordLetsAKnownUserInWithAWrongPassword) {
  session_fixture f(profile::rfc1939, only(fault::any_password));
  f.store.add_mailbox("alice", "", {});
  f.start();
  f.send("USER alice");
  EXPECT_EQ(f.send("PASS wrong"), "+OK maildrop has 0 messages (0 octets)\r\n");
  EXPECT_EQ(f.s->current_state(), state::transaction);
}

TEST(Pop3FaultTest, AnyPasswordStillRefusesUnknownUsers) {
  session_fixture f(profile::rfc1939, only(fault::any_password));
  f.start();
  f.send("USER nobody");
  EXPECT_TRUE(f.send("PASS wrong").starts_with("-ERR "));
}

TEST(Pop3FaultTest, MissingTerminatorLeavesOutTheDotLine) {
  session_fixture f(profile::rfc1939, only(fault::missing_terminator));
  f.start_with({test::plain_message});
  EXPECT_EQ(f.send("RETR 1"), "+OK 23 octets\r\n" + test::plain_message);
  EXPECT_EQ(f.send("LIST"), "+OK 1 messages (23 octets)\r\n1 23\r\n");
}

TEST(Pop3FaultTest, LowercaseStatusSendsLowerCaseIndicators) {
  session_fixture f(profile::rfc1939, only(fault::lowercase_status));
  EXPECT_EQ(f.start(), "+ok popspec POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n");
  EXPECT_EQ(f.send("XYZZ"), "-err unknown command\r\n");
}

TEST(Pop3FaultTest, DeleTwiceOkAnswersOkForADeletedMessage) {
  session_fixture f(profile::rfc1939, only(fault::dele_twice_ok));
  f.start_with({test::plain_message});
  f.send("DELE 1");
  EXPECT_EQ(f.send("DELE 1"), "+OK message 1 deleted\r\n");
  EXPECT_EQ(f.send("RETR 1"), "-ERR message 1 is deleted\r\n");
}

TEST(Pop3FaultTest, RsetKeepsDeletionsLeavesTheMarks) {
  session_fixture f(profile::rfc1939, only(fault::rset_keeps_deletions));
  f.start_with({test::plain_message, test::lines_message});
  f.send("DELE 1");
  EXPECT_EQ(f.send("RSET"), "+OK maildrop has 1 messages (41 octets)\r\n");
  f.send("QUIT");
  EXPECT_EQ(f.store.contents("alice"), std::vector<std::string>{test::lines_message});
}

TEST(Pop3FaultTest, RetrDeletedOkSendsADeletedMessage) {
  session_fixture f(profile::rfc1939, only(fault::retr_deleted_ok));
  f.start_with({test::plain_message});
  f.send("DELE 1");
  EXPECT_EQ(f.send("RETR 1"), "+OK 23 octets\r\n" + test::plain_message + ".\r\n");
}

TEST(Pop3FaultTest, StatCountsDeletedMessages) {
  session_fixture f(profile::rfc1939, only(fault::stat_counts_deleted));
  f.start_with({test::plain_message, test::lines_message});
  f.send("DELE 1");
  EXPECT_EQ(f.send("STAT"), "+OK 2 64\r\n");
}

TEST(Pop3FaultTest, UidlUnstableGivesDifferentIdsInEachSession) {
  session_fixture f(profile::rfc1939, only(fault::uidl_unstable));
  f.start_with({test::plain_message});
  const std::string first = f.send("UIDL 1");
  f.send("QUIT");
  f.start();
  f.login();
  const std::string second = f.send("UIDL 1");
  EXPECT_NE(first, second);
  EXPECT_TRUE(first.starts_with("+OK 1 " + f.store.uids("alice")[0] + "."));
  EXPECT_LE(first.size(), std::string("+OK 1 \r\n").size() + 70);
}

TEST(Pop3FaultTest, UidlDuplicateGivesMessageTwoTheIdOfMessageOne) {
  session_fixture f(profile::rfc1939, only(fault::uidl_duplicate));
  f.start_with({test::plain_message, test::lines_message, test::dotted_message});
  const auto uids = f.store.uids("alice");
  EXPECT_EQ(f.send("UIDL"), multiline("+OK unique-id listing follows",
                                      {"1 " + uids[0], "2 " + uids[0], "3 " + uids[2]}));
}

TEST(Pop3FaultTest, TopIgnoresCountSendsTheWholeMessage) {
  session_fixture f(profile::rfc1939, only(fault::top_ignores_count));
  f.start_with({test::lines_message});
  EXPECT_EQ(f.send("TOP 1 0"), "+OK top of message follows\r\n" + test::lines_message + ".\r\n");
}

TEST(Pop3FaultTest, UnknownCommandOkAnswersOkToUnknownCommandsOnly) {
  session_fixture f(profile::rfc1939, only(fault::unknown_command_ok));
  f.start();
  EXPECT_EQ(f.send("XYZZ"), "+OK command accepted\r\n");
  EXPECT_EQ(f.send("FROBNICATE"), "+OK command accepted\r\n");
  // A known command in the wrong state is still refused.
  EXPECT_EQ(f.send("STAT"), "-ERR command not valid before authentication\r\n");
}

TEST(Pop3FaultTest, CommandsBeforeAuthAnswersStatAndListWithoutAMaildrop) {
  session_fixture f(profile::rfc1939, only(fault::commands_before_auth));
  f.store.add_mailbox("alice", "", {test::plain_message});
  f.start();
  EXPECT_EQ(f.send("STAT"), "+OK 0 0\r\n");
  EXPECT_EQ(f.send("LIST"), "+OK 0 messages (0 octets)\r\n.\r\n");
  EXPECT_FALSE(f.store.is_locked("alice"));
  EXPECT_EQ(f.send("RETR 1"), "-ERR command not valid before authentication\r\n");
}

TEST(Pop3FaultTest, KeywordsCaseSensitiveRefusesLowerCaseOnly) {
  session_fixture f(profile::rfc1939, only(fault::keywords_case_sensitive));
  f.store.add_mailbox("alice", "", {});
  f.start();
  EXPECT_EQ(f.send("user alice"), "-ERR unknown command\r\n");
  EXPECT_EQ(f.send("User alice"), "-ERR unknown command\r\n");
  EXPECT_EQ(f.send("USER alice"), "+OK send PASS\r\n");
  EXPECT_TRUE(f.send("PASS secret").starts_with("+OK "));
}

TEST(Pop3FaultTest, ApopAnyDigestLetsAKnownUserIn) {
  session_fixture f(profile::rfc1939, only(fault::apop_any_digest));
  f.start();
  EXPECT_TRUE(f.send("APOP mrose 00000000000000000000000000000000").starts_with("+OK "));
  EXPECT_EQ(f.s->current_state(), state::transaction);
}

TEST(Pop3FaultTest, ApopAnyDigestStillRefusesUnknownUsers) {
  session_fixture f(profile::rfc1939, only(fault::apop_any_digest));
  f.start();
  EXPECT_TRUE(f.send("APOP nobody 00000000000000000000000000000000").starts_with("-ERR "));
}

TEST(Pop3FaultTest, LastNotResetKeepsLastAfterRset) {
  for (const bool faulty : {false, true}) {
    session_fixture f(profile::rfc1225);
    if (faulty) f.options.faults.add(fault::last_not_reset);
    f.start_with({test::plain_message, test::plain_message, test::plain_message});
    f.send("RETR 3");
    f.send("RSET");
    EXPECT_EQ(f.send("LAST"), faulty ? "+OK 3\r\n" : "+OK 0\r\n");
    // Only LAST is affected: the deletion marks are cleared either way.
    EXPECT_EQ(f.send("STAT"), "+OK 3 69\r\n");
  }
}

TEST(Pop3FaultTest, ListIncludesDeletedShowsMarkedMessages) {
  session_fixture f(profile::rfc1939, only(fault::list_includes_deleted));
  f.start_with({test::plain_message, test::lines_message});
  f.send("DELE 1");
  EXPECT_EQ(f.send("LIST"), multiline("+OK 1 messages (41 octets)", {"1 23", "2 41"}));
  EXPECT_EQ(f.send("LIST 1"), "+OK 1 23\r\n");
  EXPECT_EQ(f.send("STAT"), "+OK 1 41\r\n");
}

TEST(Pop3FaultTest, GreetingErrMakesTheGreetingNegative) {
  session_fixture f(profile::rfc1939, only(fault::greeting_err));
  EXPECT_EQ(f.start(), "-ERR popspec POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n");
  EXPECT_EQ(f.s->current_state(), state::authorization);
}

TEST(Pop3FaultTest, CapaNoTerminatorLeavesOutTheDotLineOfCapaOnly) {
  session_fixture f(profile::rfc1939, only(fault::capa_no_terminator));
  f.start_with({test::plain_message});
  EXPECT_FALSE(f.send("CAPA").ends_with("\r\n.\r\n"));
  EXPECT_TRUE(f.send("LIST").ends_with("\r\n.\r\n"));
}

}  // namespace
}  // namespace popspec::pop3
