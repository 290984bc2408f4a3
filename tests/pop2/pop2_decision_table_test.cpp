// RFC 937's server decision table, cell by cell. The table below is the RFC's, transcribed so it
// can be held against page 22; every cell is its own test, named INPUT_in_STATE.
#include "popspec/pop2/session.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>

#include "pop2_session_support.hpp"
#include "popspec/pop2/state_name.hpp"

namespace popspec::pop2 {
namespace {

using namespace testing;
using codec::pop2_reply_kind;

enum class input { open, helo, fold, read, retr, acks, ackd, nack, quit, close, other, timeout };
constexpr std::array<std::string_view, 12> input_names{"Open", "HELO",  "FOLD",  "READ",
                                                       "RETR", "ACKS",  "ACKD",  "NACK",
                                                       "QUIT", "Close", "other", "Timeout"};
constexpr std::array<state, 6> states{state::lstn, state::auth, state::mbox,
                                      state::item, state::next, state::done};

// RFC 937, "Server Decision Table" (0 = the blank Timeout/LSTN cell).
//                                       LSTN AUTH MBOX ITEM NEXT DONE
constexpr int table[12][6] = {/* Open    */ {2, 1, 1, 1, 1, 1},
                              /* HELO    */ {1, 3, 1, 1, 1, 1},
                              /* FOLD    */ {1, 1, 5, 5, 1, 1},
                              /* READ    */ {1, 1, 6, 6, 1, 1},
                              /* RETR    */ {1, 1, 1, 7, 1, 1},
                              /* ACKS    */ {1, 1, 1, 1, 8, 1},
                              /* ACKD    */ {1, 1, 1, 1, 8, 1},
                              /* NACK    */ {1, 1, 1, 1, 8, 1},
                              /* QUIT    */ {1, 4, 4, 4, 1, 1},
                              /* Close   */ {1, 1, 1, 1, 1, 9},
                              /* other   */ {1, 1, 1, 1, 1, 1},
                              /* Timeout */ {0, 1, 1, 1, 1, 1}};

// Brings a fresh rig into `s`. ITEM and NEXT come with message 1 ACKD'd (marked, not yet
// removed), so every cell also shows whether it carries out deletions: only QUIT and FOLD do.
void reach(rig& r, state s) {
  if (s == state::lstn) return;
  if (s == state::auth || s == state::done) {
    r.greet();
    if (s == state::done) {
      ASSERT_FALSE(r.line("QUIT").open);
    }
    return;
  }
  r.login();
  if (s == state::mbox) return;
  ASSERT_EQ(reply_of(r.line("READ 1").out).number, default_messages()[0].size());
  ASSERT_EQ(r.line("RETR").out, default_messages()[0]);
  ASSERT_EQ(reply_of(r.line("ACKD").out).number, default_messages()[1].size());
  if (s == state::item) return;
  ASSERT_EQ(r.line("RETR").out, default_messages()[1]);  // message 2 is current
}

step apply(rig& r, input in) {
  switch (in) {
    case input::open:
      return {r.greet(), r.st() != state::done};
    case input::helo:
      return r.line("HELO popspec popspec-secret");
    case input::fold:
      return r.line("FOLD archive");
    case input::read:
      return r.line("READ 2");
    case input::retr:
      return r.line("RETR");
    case input::acks:
      return r.line("ACKS");
    case input::ackd:
      return r.line("ACKD");
    case input::nack:
      return r.line("NACK");
    case input::quit:
      return r.line("QUIT");
    case input::close:
      r.s->on_disconnect();
      return {"", false};
    case input::other:
      return r.line("NOOP");
    case input::timeout:
      return r.timeout();
  }
  return {};
}

struct cell {
  input in;
  state st;
};

class Pop2DecisionTableTest : public ::testing::TestWithParam<cell> {};

TEST_P(Pop2DecisionTableTest, FollowsTheRfcAction) {
  const auto [in, st] = GetParam();
  const int action = table[static_cast<int>(in)][static_cast<int>(st)];
  rig r;
  reach(r, st);
  ASSERT_EQ(r.st(), st);
  const step got = apply(r, in);

  const auto d = default_messages();
  bool deletions_done = false;
  switch (action) {
    case 0:  // blank cell: no timer runs before the greeting
      EXPECT_EQ(got.out, "");
      EXPECT_EQ(r.st(), st);
      break;
    case 1:  // "This is garbage. Send '- error', and Close the connection."
      if (in == input::close) {
        EXPECT_EQ(got.out, "");  // the connection is gone: nothing can be sent
      } else {
        EXPECT_EQ(reply_of(got.out).kind, pop2_reply_kind::err) << got.out;
        EXPECT_FALSE(got.open);
      }
      EXPECT_EQ(r.st(), state::done);
      break;
    case 2: {  // "Send the greeting. Go to AUTH state."
      codec::pop2_greeting g;
      ASSERT_FALSE(codec::parse_pop2_greeting(reply_of(got.out), g)) << got.out;
      EXPECT_EQ(g.host, "pop2.test");
      EXPECT_EQ(r.st(), state::auth);
      break;
    }
    case 3:  // "(a) If authorized user then send '#NNN' and go to MBOX state"
      EXPECT_EQ(reply_of(got.out), codec::pop2_count(3, reply_of(got.out).text));
      EXPECT_TRUE(got.open);
      EXPECT_EQ(r.st(), state::mbox);
      break;
    case 4:  // "Send '+ Bye' and go to DONE state."
      EXPECT_EQ(reply_of(got.out).kind, pop2_reply_kind::ok) << got.out;
      EXPECT_FALSE(got.open);
      EXPECT_EQ(r.st(), state::done);
      deletions_done = st == state::item;
      break;
    case 5:  // "Send '#NNN' and go to MBOX state." (the RFC's "+NNN" is a slip)
      EXPECT_EQ(reply_of(got.out), codec::pop2_count(1, reply_of(got.out).text));
      EXPECT_TRUE(got.open);
      EXPECT_EQ(r.st(), state::mbox);
      deletions_done = st == state::item;
      break;
    case 6:  // "Send '=CCC' and go to ITEM state."
      EXPECT_EQ(reply_of(got.out), codec::pop2_length(d[1].size(), reply_of(got.out).text));
      EXPECT_TRUE(got.open);
      EXPECT_EQ(r.st(), state::item);
      break;
    case 7:  // "If message exists then send the data and go to NEXT state"
      EXPECT_EQ(got.out, d[1]);
      EXPECT_TRUE(got.open);
      EXPECT_EQ(r.st(), state::next);
      break;
    case 8: {  // "Do what ACKS/ACKD/NACK require and go to ITEM state."
      const std::size_t next = in == input::nack ? d[1].size() : d[2].size();
      EXPECT_EQ(reply_of(got.out), codec::pop2_length(next, reply_of(got.out).text));
      EXPECT_TRUE(got.open);
      EXPECT_EQ(r.st(), state::item);
      break;
    }
    case 9:  // "Close the connection."
      EXPECT_EQ(got.out, "");
      EXPECT_EQ(r.st(), state::done);
      break;
    default:
      FAIL() << "no such action " << action;
  }

  // Deletions are carried out by QUIT and FOLD only, never by an aborted session.
  const std::size_t commits = r.store.commit_count();
  if (deletions_done) {
    EXPECT_EQ(commits, 1u);
    EXPECT_EQ(r.store.contents(user), (std::vector<std::string>{d[1], d[2]}));
  } else {
    EXPECT_EQ(commits, 0u);
    EXPECT_EQ(r.store.contents(user), d);
  }
  // A closed session holds no lock; an open one holds exactly the selected mailbox.
  if (r.st() == state::done || r.st() == state::auth || r.st() == state::lstn) {
    EXPECT_FALSE(r.store.is_locked(user));
    EXPECT_FALSE(r.store.is_locked(user, "archive"));
  } else {
    EXPECT_NE(r.store.is_locked(user), in == input::fold);
    EXPECT_EQ(r.store.is_locked(user, "archive"), in == input::fold);
  }
}

std::vector<cell> every_cell() {
  std::vector<cell> cells;
  for (int i = 0; i < 12; ++i)
    for (state s : states) cells.push_back({static_cast<input>(i), s});
  return cells;
}

INSTANTIATE_TEST_SUITE_P(ServerDecisionTable, Pop2DecisionTableTest,
                         ::testing::ValuesIn(every_cell()),
                         [](const ::testing::TestParamInfo<cell>& param_info) {
                           return std::string(input_names[static_cast<int>(param_info.param.in)]) +
                                  "_in_" + std::string(to_string(param_info.param.st));
                         });

// The cells whose action has an "else" branch, and the many shapes of "other".

TEST(Pop2DecisionTableBranchesTest, HeloWithAWrongPasswordSendsMinusAndCloses) {
  rig r;
  r.greet();
  const auto got = r.line("HELO popspec wrong");
  EXPECT_EQ(reply_of(got.out).kind, pop2_reply_kind::err);
  EXPECT_FALSE(got.open);
  EXPECT_EQ(r.st(), state::done);
  EXPECT_FALSE(r.store.is_locked(user));
}

TEST(Pop2DecisionTableBranchesTest, HeloOfAnUnknownUserSendsMinusAndCloses) {
  rig r;
  r.greet();
  const auto got = r.line("HELO nobody popspec-secret");
  EXPECT_EQ(reply_of(got.out).kind, pop2_reply_kind::err);
  EXPECT_FALSE(got.open);
  EXPECT_EQ(r.st(), state::done);
}

TEST(Pop2DecisionTableBranchesTest, RetrAfterALengthOfZeroClosesWithoutSendingAnything) {
  rig r;
  r.login();
  EXPECT_EQ(reply_of(r.line("READ 9").out).number, 0u);
  const auto got = r.line("RETR");
  EXPECT_EQ(got.out, "");
  EXPECT_FALSE(got.open);
  EXPECT_EQ(r.st(), state::done);
  EXPECT_FALSE(r.store.is_locked(user));
}

TEST(Pop2DecisionTableBranchesTest, EveryKindOfGarbageInEveryStateSendsMinusAndCloses) {
  const std::vector<codec::line_event> garbage{
      {codec::line_kind::line, "NOOP"},
      {codec::line_kind::line, ""},
      {codec::line_kind::line, "USER popspec"},
      {codec::line_kind::line, "READ x"},
      {codec::line_kind::line, "READ  1"},
      {codec::line_kind::line, "RETR 1"},
      {codec::line_kind::line, "HELO popspec"},
      {codec::line_kind::line, "FOLD"},
      {codec::line_kind::line, "QUIT now"},
      {codec::line_kind::line, "\x16\x03\x01"},  // a TLS ClientHello's first octets
      {codec::line_kind::bare_lf, "QUIT"},
      {codec::line_kind::too_long, std::string(512, 'A')},
  };
  for (state s : states) {
    for (const auto& g : garbage) {
      SCOPED_TRACE(std::string(to_string(s)) + ": \"" + g.text + "\"");
      rig r;
      reach(r, s);
      const auto got = r.event(g);
      EXPECT_EQ(reply_of(got.out).kind, pop2_reply_kind::err);
      EXPECT_FALSE(got.open);
      EXPECT_EQ(r.st(), state::done);
      EXPECT_EQ(r.store.commit_count(), 0u);
      EXPECT_FALSE(r.store.is_locked(user));
    }
  }
}

}  // namespace
}  // namespace popspec::pop2
