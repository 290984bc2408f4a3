// The session targets' invariants: a conforming session passes, and each known deviation the
// reference server can inject (util/faults.hpp) is caught. A fuzz target whose checks could not
// fail would find nothing but crashes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "popspec/store/fixture.hpp"
#include "popspec/util/md5.hpp"
#include "sessions/pop2_transcript.hpp"
#include "sessions/pop3_transcript.hpp"
#include "sessions/session_world.hpp"

namespace popspec::fuzz {
namespace {

std::string lines(std::initializer_list<std::string_view> ls) {
  std::string out;
  for (const auto l : ls) out.append(l).append("\r\n");
  return out;
}

const std::string pop3_login = lines({"USER popspec", "PASS popspec-secret"});
const std::string pop2_login = lines({"HELO popspec popspec-secret"});

pop3_run_options pop3_with(fault f, pop3::profile prof = pop3::profile::rfc1939) {
  pop3_run_options o;
  o.prof = prof;
  o.faults.add(f);
  return o;
}

pop2_run_options pop2_with(fault f) {
  pop2_run_options o;
  o.faults.add(f);
  return o;
}

constexpr const char* violated = "popspec fuzz invariant violated";

TEST(SessionInvariantsTest, AConformingPop3SessionPassesEveryCheck) {
  const std::string apop =
      "APOP popspec " + util::md5_hex(std::string(fuzz_apop_timestamp) + "popspec-secret");
  run_pop3_transcript(
      lines({"CAPA",    "USER nobody", "PASS x", "NOOP",         apop,      "STAT",     "LIST",
             "LIST 3",  "UIDL",        "UIDL 2", "RETR 2",       "TOP 7 3", "TOP 4 10", "DELE 1",
             "DELE 1",  "RETR 1",      "LIST 1", "STAT",         "RSET",    "LIST 1",   "DELE 2",
             "RETR 99", "LIST 0",      "DELE x", "USER popspec", "quit"}));
  run_pop3_transcript(
      pop3_login + lines({"RETR 5", "LAST", "DELE 6", "LAST", "RSET", "LAST", "UIDL", "QUIT"}),
      {pop3::profile::rfc1225, {}});
  run_pop3_transcript(pop3_login + "DELE 1\r\nSTA");  // autologout: nothing deleted
  run_pop3_transcript("USER popspec\nPASS popspec-secret\r\n" + std::string(300, 'x') + "\r\n");
}

TEST(SessionInvariantsTest, AConformingPop2SessionPassesEveryCheck) {
  run_pop2_transcript(pop2_login + lines({"READ", "RETR", "ACKD", "RETR", "NACK", "ACKS", "READ 99",
                                          "FOLD archive", "READ 2", "RETR", "ACKD", "FOLD archive",
                                          "READ 1", "RETR", "ACKS", "QUIT"}));
  run_pop2_transcript(pop2_login + lines({"READ 1", "RETR", "ACKD", "RETR"}));  // garbage
  run_pop2_transcript(pop2_login + lines({"READ 3", "RETR", "ACKD"}) + "REA");  // timeout
  run_pop2_transcript(lines({"HELO popspec wrong"}));
}

struct pop3_case {
  fault f;
  std::string transcript;
  pop3::profile prof = pop3::profile::rfc1939;
};

class Pop3FaultTest : public ::testing::TestWithParam<pop3_case> {};

TEST_P(Pop3FaultTest, IsCaughtByTheInvariants) {
  const auto& c = GetParam();
  EXPECT_DEATH(run_pop3_transcript(c.transcript, pop3_with(c.f, c.prof)), violated)
      << describe(c.f).name;
}

INSTANTIATE_TEST_SUITE_P(
    KnownDeviations, Pop3FaultTest,
    ::testing::Values(
        pop3_case{fault::no_dot_stuffing, pop3_login + "RETR 2\r\n"},
        pop3_case{fault::lf_sizes, pop3_login + "LIST\r\n"},
        pop3_case{fault::dele_renumbers, pop3_login + "DELE 1\r\nLIST\r\n"},
        pop3_case{fault::commit_on_drop, pop3_login + "DELE 1\r\n"},
        pop3_case{fault::any_password, "USER popspec\r\nPASS guess\r\n"},
        pop3_case{fault::missing_terminator, pop3_login + "LIST\r\nNOOP\r\n"},
        pop3_case{fault::lowercase_status, "QUIT\r\n"},
        pop3_case{fault::dele_twice_ok, pop3_login + "DELE 1\r\nDELE 1\r\n"},
        pop3_case{fault::rset_keeps_deletions, pop3_login + "DELE 1\r\nRSET\r\nLIST 1\r\n"},
        pop3_case{fault::retr_deleted_ok, pop3_login + "DELE 1\r\nRETR 1\r\n"},
        pop3_case{fault::stat_counts_deleted, pop3_login + "DELE 1\r\nSTAT\r\n"},
        pop3_case{fault::uidl_unstable, pop3_login + "UIDL\r\n"},
        pop3_case{fault::uidl_duplicate, pop3_login + "UIDL 2\r\n"},
        pop3_case{fault::top_ignores_count, pop3_login + "TOP 7 1\r\n"},
        pop3_case{fault::unknown_command_ok, "XTND\r\n"},
        pop3_case{fault::commands_before_auth, "STAT\r\n"},
        pop3_case{fault::keywords_case_sensitive, pop3_login + "noop\r\n"},
        pop3_case{fault::apop_any_digest, "APOP popspec 00000000000000000000000000000000\r\n"},
        pop3_case{fault::last_not_reset, pop3_login + "RETR 5\r\nRSET\r\nLAST\r\n",
                  pop3::profile::rfc1225},
        pop3_case{fault::list_includes_deleted, pop3_login + "DELE 1\r\nLIST\r\n"},
        pop3_case{fault::greeting_err, ""},
        pop3_case{fault::capa_no_terminator, "CAPA\r\nNOOP\r\n"}));

struct pop2_case {
  fault f;
  std::string transcript;
};

class Pop2FaultTest : public ::testing::TestWithParam<pop2_case> {};

TEST_P(Pop2FaultTest, IsCaughtByTheInvariants) {
  const auto& c = GetParam();
  EXPECT_DEATH(run_pop2_transcript(c.transcript, pop2_with(c.f)), violated) << describe(c.f).name;
}

INSTANTIATE_TEST_SUITE_P(
    KnownDeviations, Pop2FaultTest,
    ::testing::Values(
        pop2_case{fault::pop2_wrong_length, pop2_login + "READ 1\r\n"},
        pop2_case{fault::pop2_ackd_renumbers, pop2_login + "READ 1\r\nRETR\r\nACKD\r\nREAD 2\r\n"},
        pop2_case{fault::pop2_nack_advances, pop2_login + "READ 1\r\nRETR\r\nNACK\r\n"},
        pop2_case{fault::pop2_quit_in_next, pop2_login + "READ 1\r\nRETR\r\nQUIT\r\n"},
        pop2_case{fault::pop2_fold_no_commit,
                  pop2_login + "READ 1\r\nRETR\r\nACKD\r\nFOLD archive\r\n"},
        pop2_case{fault::pop2_bad_helo_stays_open, "HELO popspec wrong\r\n"},
        pop2_case{fault::pop2_retr_zero_sends, pop2_login + "READ 99\r\nRETR\r\n"},
        pop2_case{fault::pop2_dot_stuffing, pop2_login + "READ 2\r\nRETR\r\n"}));

}  // namespace
}  // namespace popspec::fuzz
