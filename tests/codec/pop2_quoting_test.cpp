#include "popspec/codec/pop2_command.hpp"

#include <gtest/gtest.h>

#include <string>

using popspec::codec::pop2_errc;
using popspec::codec::pop2_quote;
using popspec::codec::pop2_unquote;

namespace {

std::string quote_of(std::string_view raw) {
  std::string out;
  const auto ec = pop2_quote(raw, out);
  EXPECT_FALSE(ec) << ec.message();
  return out;
}

std::string unquote_of(std::string_view wire) {
  std::string out;
  const auto ec = pop2_unquote(wire, out);
  EXPECT_FALSE(ec) << ec.message();
  return out;
}

// True when `wire` has no space that is not quoted, i.e. it is one RFC 937 <word>.
bool is_single_word(std::string_view wire) {
  for (std::size_t i = 0; i < wire.size(); ++i) {
    if (wire[i] == '\\') {
      ++i;
    } else if (wire[i] == ' ') {
      return false;
    }
  }
  return true;
}

}  // namespace

TEST(Pop2QuotingTest, QuotesSpaceAsBackslashSpaceAndBackslashAsTwoBackslashes) {
  EXPECT_EQ(quote_of("my secret"), R"(my\ secret)");
  EXPECT_EQ(quote_of(R"(a\b)"), R"(a\\b)");
  EXPECT_EQ(quote_of(R"(\ )"), R"(\\\ )");
  EXPECT_EQ(quote_of("plain"), "plain");
  EXPECT_EQ(quote_of(""), "");
}

TEST(Pop2QuotingTest, QuotesControlCharactersSoTheArgumentStaysPrintable) {
  EXPECT_EQ(quote_of("a\tb"), "a\\\tb");
  EXPECT_EQ(quote_of(std::string("a\0b", 3)), std::string("a\\\0b", 4));
  EXPECT_EQ(quote_of("\x7f"), "\\\x7f");
}

TEST(Pop2QuotingTest, UnquotesBackslashSpaceAndDoubleBackslash) {
  EXPECT_EQ(unquote_of(R"(my\ secret)"), "my secret");
  EXPECT_EQ(unquote_of(R"(a\\b)"), R"(a\b)");
  EXPECT_EQ(unquote_of(R"(\\\ )"), R"(\ )");
}

TEST(Pop2QuotingTest, UnquotesBackslashFollowedByAnyAsciiCharacterAsThatCharacter) {
  for (int c = 0; c < 128; ++c) {
    const std::string wire{'\\', static_cast<char>(c)};
    EXPECT_EQ(unquote_of(wire), std::string(1, static_cast<char>(c))) << "code " << c;
  }
}

TEST(Pop2QuotingTest, UnquoteKeepsUnquotedSpacesForMailboxStrings) {
  EXPECT_EQ(unquote_of("old mail"), "old mail");
}

TEST(Pop2QuotingTest, UnquoteRefusesBareControlsEightBitOctetsAndADanglingBackslash) {
  std::string out = "unchanged";
  EXPECT_EQ(pop2_unquote("a\tb", out), pop2_errc::bad_character);
  EXPECT_EQ(pop2_unquote("a\x80", out), pop2_errc::bad_character);
  EXPECT_EQ(pop2_unquote("a\\\x80", out), pop2_errc::bad_character);
  EXPECT_EQ(pop2_unquote("a\\", out), pop2_errc::dangling_backslash);
  EXPECT_EQ(pop2_unquote("\\", out), pop2_errc::dangling_backslash);
  EXPECT_EQ(out, "unchanged");
}

TEST(Pop2QuotingTest, QuoteRefusesCrLfAndEightBitOctets) {
  std::string out = "unchanged";
  EXPECT_EQ(pop2_quote("a\rb", out), pop2_errc::unquotable);
  EXPECT_EQ(pop2_quote("a\nb", out), pop2_errc::unquotable);
  EXPECT_EQ(pop2_quote("caf\xc3\xa9", out), pop2_errc::unquotable);
  EXPECT_EQ(out, "unchanged");
}

TEST(Pop2QuotingTest, QuoteThenUnquoteGivesBackEveryPairOfAsciiCharacters) {
  // Every two-character string over the quotable alphabet (ASCII without CR and LF): the quoted
  // form is one <word> and unquotes to the original.
  for (int a = 0; a < 128; ++a) {
    for (int b = 0; b < 128; ++b) {
      if (a == '\r' || a == '\n' || b == '\r' || b == '\n') continue;
      const std::string raw{static_cast<char>(a), static_cast<char>(b)};
      std::string wire;
      ASSERT_FALSE(pop2_quote(raw, wire));
      ASSERT_TRUE(is_single_word(wire)) << a << "," << b;
      std::string back;
      ASSERT_FALSE(pop2_unquote(wire, back)) << a << "," << b;
      ASSERT_EQ(back, raw) << a << "," << b;
    }
  }
}

TEST(Pop2QuotingTest, UnquoteThenQuoteIsStableOnAlreadyCanonicalText) {
  for (const std::string wire : {R"(a\ b\\c)", "plain", R"(\\\\)", "x\\\ty"}) {
    EXPECT_EQ(quote_of(unquote_of(wire)), wire);
  }
}
