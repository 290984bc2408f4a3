#include "popspec/pop3/arguments.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace popspec::pop3 {
namespace {

TEST(Pop3ArgumentsTest, ReadsDecimalMessageNumbers) {
  EXPECT_EQ(parse_message_number("1"), 1u);
  EXPECT_EQ(parse_message_number("42"), 42u);
  EXPECT_EQ(parse_message_number("007"), 7u);
}

TEST(Pop3ArgumentsTest, ReturnsZeroSoTheSessionCanRefuseIt) {
  EXPECT_EQ(parse_message_number("0"), 0u);
}

TEST(Pop3ArgumentsTest, RejectsSignsLettersSpacesAndEmptyText) {
  for (const char* text : {"", "-1", "+1", "1a", "a1", "0x1", " 1", "1 ", "1.0", "١"})
    EXPECT_FALSE(parse_message_number(text).has_value()) << text;
}

TEST(Pop3ArgumentsTest, MessageNumbersBeyondSizeTSaturate) {
  EXPECT_EQ(parse_message_number("99999999999999999999999"),
            std::numeric_limits<std::size_t>::max());
  const auto max = std::to_string(std::numeric_limits<std::size_t>::max());
  EXPECT_EQ(parse_message_number(max), std::numeric_limits<std::size_t>::max());
}

TEST(Pop3ArgumentsTest, LineCountIsANonNegativeDecimalNumber) {
  EXPECT_EQ(parse_line_count("0"), 0u);
  EXPECT_EQ(parse_line_count("10"), 10u);
  for (const char* text : {"", "-1", "+3", "ten", "3x", "-0"})
    EXPECT_FALSE(parse_line_count(text).has_value()) << text;
}

TEST(Pop3ArgumentsTest, HugeLineCountsSaturateAndMeanTheWholeBody) {
  EXPECT_EQ(parse_line_count("99999999999999999999999"), std::numeric_limits<std::size_t>::max());
}

}  // namespace
}  // namespace popspec::pop3
