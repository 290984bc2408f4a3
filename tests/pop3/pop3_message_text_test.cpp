#include "popspec/pop3/message_text.hpp"

#include <gtest/gtest.h>

namespace popspec::pop3 {
namespace {

constexpr std::string_view message = "A: 1\r\nB: 2\r\n\r\nl1\r\nl2\r\nl3\r\n";

TEST(Pop3TopExcerptTest, ZeroLinesGivesTheHeadersAndTheBlankLine) {
  EXPECT_EQ(top_excerpt(message, 0), "A: 1\r\nB: 2\r\n\r\n");
}

TEST(Pop3TopExcerptTest, GivesTheFirstNBodyLines) {
  EXPECT_EQ(top_excerpt(message, 1), "A: 1\r\nB: 2\r\n\r\nl1\r\n");
  EXPECT_EQ(top_excerpt(message, 2), "A: 1\r\nB: 2\r\n\r\nl1\r\nl2\r\n");
}

TEST(Pop3TopExcerptTest, MoreLinesThanTheBodyHasGivesTheWholeMessage) {
  EXPECT_EQ(top_excerpt(message, 3), message);
  EXPECT_EQ(top_excerpt(message, 4), message);
  EXPECT_EQ(top_excerpt(message, static_cast<std::size_t>(-1)), message);
}

TEST(Pop3TopExcerptTest, AMessageWithoutABlankLineIsAllHeaders) {
  constexpr std::string_view headers = "A: 1\r\nB: 2\r\n";
  EXPECT_EQ(top_excerpt(headers, 0), headers);
  EXPECT_EQ(top_excerpt(headers, 5), headers);
}

TEST(Pop3TopExcerptTest, AMessageStartingWithABlankLineHasNoHeaders) {
  EXPECT_EQ(top_excerpt("\r\nbody\r\n", 0), "\r\n");
  EXPECT_EQ(top_excerpt("\r\nbody\r\n", 1), "\r\nbody\r\n");
}

TEST(Pop3TopExcerptTest, ALastBodyLineWithoutLineEndCountsAsALine) {
  EXPECT_EQ(top_excerpt("A: 1\r\n\r\nx\r\ny", 1), "A: 1\r\n\r\nx\r\n");
  EXPECT_EQ(top_excerpt("A: 1\r\n\r\nx\r\ny", 2), "A: 1\r\n\r\nx\r\ny");
}

TEST(Pop3TopExcerptTest, BlankLinesInsideTheBodyAreBodyLines) {
  EXPECT_EQ(top_excerpt("A: 1\r\n\r\n\r\nx\r\n", 1), "A: 1\r\n\r\n\r\n");
}

TEST(Pop3TopExcerptTest, EmptyMessageGivesNothing) {
  EXPECT_EQ(top_excerpt("", 3), "");
}

TEST(Pop3CountCrlfTest, CountsCrlfPairsOnly) {
  EXPECT_EQ(count_crlf(message), 6u);
  EXPECT_EQ(count_crlf("a\nb\rc"), 0u);
  EXPECT_EQ(count_crlf("\r\r\n\n"), 1u);
  EXPECT_EQ(count_crlf(""), 0u);
}

}  // namespace
}  // namespace popspec::pop3
