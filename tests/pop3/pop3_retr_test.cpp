// RETR (RFC 1939 §5 RETR.1-3, MULTI.1-2, FMT.4; RFC 1225 RETR).
#include <gtest/gtest.h>

#include "popspec/codec/pop3_response.hpp"
#include "session_fixture.hpp"

namespace popspec::pop3 {
namespace {

using test::session_fixture;

class Pop3RetrTest : public ::testing::TestWithParam<profile> {
 protected:
  void SetUp() override {
    f = std::make_unique<session_fixture>(GetParam());
    f->start_with({test::plain_message, test::dotted_message, "no line end"});
  }
  std::unique_ptr<session_fixture> f;
};

TEST_P(Pop3RetrTest, SendsTheWholeMessageThenTheTerminator) {
  EXPECT_EQ(f->send("RETR 1"), "+OK 23 octets\r\nSubject: one\r\n\r\nhello\r\n.\r\n");
}

TEST_P(Pop3RetrTest, ByteStuffsLinesThatBeginWithADot) {
  EXPECT_EQ(f->send("RETR 2"),
            "+OK 51 octets\r\nSubject: dots\r\n\r\n..leading dot\r\n..\r\n...two dots\r\n"
            "end\r\n.\r\n");
}

TEST_P(Pop3RetrTest, UnstuffedDataEqualsTheStoredMessageAndItsListedSize) {
  const std::string out = f->send("RETR 2");
  codec::response r;
  std::error_code ec;
  ASSERT_EQ(codec::parse_response(out, true, r, ec), out.size());
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_TRUE(r.violations.empty());
  EXPECT_EQ(r.data, f->store.contents("alice")[1]);
  EXPECT_EQ(f->send("LIST 2"), "+OK 2 " + std::to_string(r.data.size()) + "\r\n");
}

TEST_P(Pop3RetrTest, AMessageWithoutAFinalLineEndStillEndsWithCrlfDotCrlf) {
  EXPECT_EQ(f->send("RETR 3"), "+OK 11 octets\r\nno line end\r\n.\r\n");
}

TEST_P(Pop3RetrTest, RefusesDeletedMissingAndMalformedNumbers) {
  f->send("DELE 1");
  EXPECT_EQ(f->send("RETR 1"), "-ERR message 1 is deleted\r\n");
  EXPECT_EQ(f->send("RETR 4"), "-ERR no such message\r\n");
  EXPECT_EQ(f->send("RETR 0"), "-ERR no such message\r\n");
  EXPECT_EQ(f->send("RETR -2"), "-ERR invalid message number\r\n");
  EXPECT_EQ(f->send("RETR"), "-ERR RETR needs a message number\r\n");
  EXPECT_EQ(f->send("RETR 2 3"), "-ERR RETR takes one message number\r\n");
  EXPECT_EQ(f->s->current_state(), state::transaction);
}

TEST_P(Pop3RetrTest, AnUnreadableMessageIsATemporarySystemError) {
  f->store.fail_content(std::make_error_code(std::errc::io_error));
  EXPECT_EQ(f->send("RETR 1"), GetParam() == profile::rfc1939
                                   ? "-ERR [SYS/TEMP] message cannot be read\r\n"
                                   : "-ERR message cannot be read\r\n");
  EXPECT_EQ(f->s->current_state(), state::transaction);
}

TEST_P(Pop3RetrTest, RetrievingTwiceSendsTheSameBytes) {
  EXPECT_EQ(f->send("RETR 2"), f->send("RETR 2"));
}

INSTANTIATE_TEST_SUITE_P(BothProfiles, Pop3RetrTest,
                         ::testing::Values(profile::rfc1939, profile::rfc1225), test::profile_name);

TEST(Pop3RetrLargeTest, LongLinesAndLargeMessagesAreSentUnchanged) {
  // Data lines are not status lines: a 2000-octet line is sent as it is.
  session_fixture f;
  const std::string big =
      "Subject: big\r\n\r\n" + std::string(2000, 'x') + "\r\n" + std::string(100000, 'y') + "\r\n";
  f.start_with({big});
  const std::string out = f.send("RETR 1");
  EXPECT_EQ(out, "+OK " + std::to_string(big.size()) + " octets\r\n" + big + ".\r\n");
}

}  // namespace
}  // namespace popspec::pop3
