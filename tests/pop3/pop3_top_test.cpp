// TOP (RFC 1939 §7 TOP.1-6; RFC 1225 TOP.1-4).
#include <gtest/gtest.h>

#include "session_fixture.hpp"

namespace popspec::pop3 {
namespace {

using test::session_fixture;

class Pop3TopTest : public ::testing::TestWithParam<profile> {
 protected:
  void SetUp() override {
    f = std::make_unique<session_fixture>(GetParam());
    f->start_with({test::lines_message, test::headers_only_message, test::dotted_message});
  }
  std::unique_ptr<session_fixture> f;
};

constexpr std::string_view lines_headers = "Subject: lines\r\nFrom: a@b\r\n\r\n";

TEST_P(Pop3TopTest, ZeroLinesSendsTheHeadersAndTheBlankLine) {
  EXPECT_EQ(f->send("TOP 1 0"),
            "+OK top of message follows\r\n" + std::string(lines_headers) + ".\r\n");
}

TEST_P(Pop3TopTest, SendsTheFirstNBodyLines) {
  EXPECT_EQ(f->send("TOP 1 2"),
            "+OK top of message follows\r\n" + std::string(lines_headers) + "l1\r\nl2\r\n.\r\n");
}

TEST_P(Pop3TopTest, MoreLinesThanTheBodyHasSendsTheWholeMessage) {
  const std::string whole = "+OK top of message follows\r\n" + test::lines_message + ".\r\n";
  EXPECT_EQ(f->send("TOP 1 3"), whole);
  EXPECT_EQ(f->send("TOP 1 1000"), whole);
  EXPECT_EQ(f->send("TOP 1 99999999999999999999999"), whole);
}

TEST_P(Pop3TopTest, AMessageWithoutABlankLineIsAllHeaders) {
  EXPECT_EQ(f->send("TOP 2 0"),
            "+OK top of message follows\r\n" + test::headers_only_message + ".\r\n");
}

TEST_P(Pop3TopTest, ByteStuffsTheLinesItSends) {
  EXPECT_EQ(f->send("TOP 3 2"),
            "+OK top of message follows\r\nSubject: dots\r\n\r\n..leading dot\r\n..\r\n.\r\n");
}

TEST_P(Pop3TopTest, BothArgumentsAreRequired) {
  EXPECT_EQ(f->send("TOP"), "-ERR TOP needs a message number and a line count\r\n");
  EXPECT_EQ(f->send("TOP 1"), "-ERR TOP needs a message number and a line count\r\n");
  EXPECT_EQ(f->send("TOP 1 2 3"), "-ERR TOP needs a message number and a line count\r\n");
}

TEST_P(Pop3TopTest, ANegativeOrNonNumericLineCountIsRefused) {
  for (const char* c : {"TOP 1 -1", "TOP 1 +1", "TOP 1 ten", "TOP 1 2x"})
    EXPECT_EQ(f->send(c), "-ERR line count must be a non-negative decimal number\r\n") << c;
}

TEST_P(Pop3TopTest, RefusesDeletedMissingAndMalformedMessageNumbers) {
  f->send("DELE 1");
  EXPECT_EQ(f->send("TOP 1 0"), "-ERR message 1 is deleted\r\n");
  EXPECT_EQ(f->send("TOP 4 0"), "-ERR no such message\r\n");
  EXPECT_EQ(f->send("TOP 0 0"), "-ERR no such message\r\n");
  EXPECT_EQ(f->send("TOP x 0"), "-ERR invalid message number\r\n");
}

TEST_P(Pop3TopTest, IsNotValidBeforeAuthentication) {
  session_fixture g(GetParam());
  g.start();
  EXPECT_EQ(g.send("TOP 1 0"), "-ERR command not valid before authentication\r\n");
}

INSTANTIATE_TEST_SUITE_P(BothProfiles, Pop3TopTest,
                         ::testing::Values(profile::rfc1939, profile::rfc1225), test::profile_name);

}  // namespace
}  // namespace popspec::pop3
