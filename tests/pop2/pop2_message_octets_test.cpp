// POP2-937-LEN.2, RETR.2, RETR.3, QUOTE.4: =ccc is the exact number of octets RETR then sends,
// with no status line, no dot-stuffing and no terminator.
#include "popspec/pop2/session.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pop2_session_support.hpp"

namespace popspec::pop2 {
namespace {

using namespace testing;

// Wire forms as a store may hand them out: ordinary CRLF text, text whose stored form kept bare
// LFs (memory_store serves what it was given), an empty message, a line far beyond RFC 937's
// 1000-character text line limit, no final line break, dot lines, NUL and 8-bit octets.
std::vector<std::string> odd_messages() {
  return {
      "Subject: crlf\r\n\r\nbody\r\n",
      "Subject: lf\n\nbody\n",
      "",
      "Subject: long\r\n\r\n" + std::string(5000, 'x') + "\r\n",
      "Subject: no final line break\r\n\r\nend",
      ".\r\n..\r\n.x\r\n.\r\n",
      std::string("Subject: bin\r\n\r\n\0\x80\xff\r\n", 21),
  };
}

class Pop2MessageOctetsTest : public ::testing::Test {
 protected:
  Pop2MessageOctetsTest() {
    r.store.add_mailbox(std::string(user), "", odd_messages());
    r.login();
  }
  rig r;
};

TEST_F(Pop2MessageOctetsTest, EachNonEmptyMessageIsSentAsExactlyTheAnnouncedOctets) {
  const auto messages = odd_messages();
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (messages[i].empty()) continue;
    SCOPED_TRACE("message " + std::to_string(i + 1));
    const auto length = reply_of(r.line("READ " + std::to_string(i + 1)).out);
    ASSERT_EQ(length.kind, codec::pop2_reply_kind::length);
    const auto data = r.line("RETR");
    ASSERT_TRUE(data.open);
    EXPECT_EQ(data.out.size(), length.number);
    EXPECT_EQ(data.out, messages[i]);
    ASSERT_TRUE(r.line("ACKS").open);
  }
}

TEST_F(Pop2MessageOctetsTest, CrlfCountsAsTwoCharacters) {
  EXPECT_EQ(reply_of(r.line("READ 1").out).number,
            std::string("Subject: crlf\r\n\r\nbody\r\n").size());
  EXPECT_EQ(reply_of(r.line("READ 1").out).number, 23u);
}

TEST_F(Pop2MessageOctetsTest, LinesStartingWithADotAreNotStuffedAndNoTerminatorFollows) {
  reply_of(r.line("READ 6").out);
  EXPECT_EQ(r.line("RETR").out, ".\r\n..\r\n.x\r\n.\r\n");
}

TEST_F(Pop2MessageOctetsTest, AnEmptyMessageIsAnnouncedAsZeroAndRetrClosesTheConnection) {
  EXPECT_EQ(reply_of(r.line("READ 3").out).number, 0u);
  const auto got = r.line("RETR");
  EXPECT_EQ(got.out, "");
  EXPECT_FALSE(got.open);
}

TEST_F(Pop2MessageOctetsTest, TheAckRepliesAnnounceTheSameLengthsAsRead) {
  const auto messages = odd_messages();
  reply_of(r.line("READ 1").out);
  r.line("RETR");
  // ACKS moves to message 2: its length is announced exactly as READ 2 would.
  EXPECT_EQ(reply_of(r.line("ACKS").out).number, messages[1].size());
  r.line("RETR");
  // NACK announces message 2 again; ACKD then moves to the empty message 3: =0.
  EXPECT_EQ(reply_of(r.line("NACK").out).number, messages[1].size());
  r.line("RETR");
  EXPECT_EQ(reply_of(r.line("ACKD").out).number, 0u);
}

TEST_F(Pop2MessageOctetsTest, AMessageThatCanNoLongerBeReadClosesInsteadOfSendingAWrongCount) {
  const auto length = reply_of(r.line("READ 1").out);
  ASSERT_GT(length.number, 0u);
  r.store.fail_content(std::make_error_code(std::errc::io_error));
  const auto got = r.line("RETR");
  EXPECT_EQ(got.out, "");
  EXPECT_FALSE(got.open);
  EXPECT_EQ(r.st(), state::done);
}

}  // namespace
}  // namespace popspec::pop2
