#include "popspec/codec/pop2_reply.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

using popspec::codec::parse_pop2_greeting;
using popspec::codec::parse_pop2_reply;
using popspec::codec::pop2_count;
using popspec::codec::pop2_err;
using popspec::codec::pop2_errc;
using popspec::codec::pop2_greeting;
using popspec::codec::pop2_length;
using popspec::codec::pop2_ok;
using popspec::codec::pop2_reply;
using popspec::codec::pop2_reply_kind;
using popspec::codec::serialize_pop2_greeting;
using popspec::codec::serialize_pop2_reply;

namespace {

pop2_reply parsed(std::string_view line) {
  pop2_reply r;
  const auto ec = parse_pop2_reply(line, r);
  EXPECT_FALSE(ec) << "\"" << line << "\": " << ec.message();
  return r;
}

std::error_code error_of(std::string_view line) {
  pop2_reply r;
  return parse_pop2_reply(line, r);
}

std::error_code greeting_error_of(std::string_view line) {
  pop2_greeting g;
  return parse_pop2_greeting(parsed(line), g);
}

}  // namespace

TEST(Pop2ReplyTest, ParsesEveryKindWithAndWithoutText) {
  EXPECT_EQ(parsed("+"), pop2_ok());
  EXPECT_EQ(parsed("+ OK, bye, bye"), pop2_ok("OK, bye, bye"));
  EXPECT_EQ(parsed("-"), pop2_err());
  EXPECT_EQ(parsed("- error report"), pop2_err("error report"));
  EXPECT_EQ(parsed("#0"), pop2_count(0));
  EXPECT_EQ(parsed("#13 messages for you"), pop2_count(13, "messages for you"));
  EXPECT_EQ(parsed("=537 characters in that message"),
            pop2_length(537, "characters in that message"));
  EXPECT_EQ(parsed("=0"), pop2_length(0));
}

TEST(Pop2ReplyTest, TextIsFreeAndMayHoldAnyOctetButNulCrAndLf) {
  EXPECT_EQ(parsed("+  two leading spaces").text, " two leading spaces");
  EXPECT_EQ(parsed("- caf\xc3\xa9\ttab").text, "caf\xc3\xa9\ttab");
  EXPECT_EQ(error_of(std::string("+ a\0b", 5)), pop2_errc::bad_character);
  EXPECT_EQ(error_of("+ a\rb"), pop2_errc::bad_character);
}

TEST(Pop2ReplyTest, ParsesTheLargestSixtyFourBitNumber) {
  EXPECT_EQ(parsed("=18446744073709551615").number, UINT64_MAX);
  EXPECT_EQ(error_of("=18446744073709551616"), pop2_errc::number_out_of_range);
}

TEST(Pop2ReplyTest, RejectsAnUnknownIndicatorOrAnEmptyLine) {
  EXPECT_EQ(error_of(""), pop2_errc::empty_line);
  EXPECT_EQ(error_of("OK"), pop2_errc::unknown_indicator);
  EXPECT_EQ(error_of("+OK"), pop2_errc::missing_space);
  EXPECT_EQ(error_of("*"), pop2_errc::unknown_indicator);
  EXPECT_EQ(error_of(" +"), pop2_errc::unknown_indicator);
}

TEST(Pop2ReplyTest, RejectsCountAndLengthRepliesWithoutDigitsRightAfterTheIndicator) {
  EXPECT_EQ(error_of("#"), pop2_errc::missing_number);
  EXPECT_EQ(error_of("="), pop2_errc::missing_number);
  EXPECT_EQ(error_of("# 5"), pop2_errc::missing_number);
  EXPECT_EQ(error_of("=x"), pop2_errc::missing_number);
  EXPECT_EQ(error_of("=-1"), pop2_errc::missing_number);
}

TEST(Pop2ReplyTest, RejectsTextNotSeparatedByExactlyOneLeadingSpace) {
  EXPECT_EQ(error_of("#3messages"), pop2_errc::missing_space);
  EXPECT_EQ(error_of("=12,text"), pop2_errc::missing_space);
  EXPECT_EQ(error_of("-ERR"), pop2_errc::missing_space);
  EXPECT_EQ(error_of("+ "), pop2_errc::bad_spacing);
  EXPECT_EQ(error_of("#3 "), pop2_errc::bad_spacing);
}

TEST(Pop2ReplyTest, ReportsWhatWasRecognisedBeforeAnError) {
  pop2_reply r;
  EXPECT_EQ(parse_pop2_reply("=42characters", r), pop2_errc::missing_space);
  EXPECT_EQ(r.kind, pop2_reply_kind::length);
  EXPECT_EQ(r.number, 42u);
  EXPECT_EQ(parse_pop2_reply("#", r), pop2_errc::missing_number);
  EXPECT_EQ(r.kind, pop2_reply_kind::count);
}

TEST(Pop2ReplyTest, AcceptsReplyLinesOfExactly512CharactersCountingCrlf) {
  const std::string at_limit = "- " + std::string(508, 'x');
  ASSERT_EQ(at_limit.size() + 2, 512u);
  EXPECT_FALSE(error_of(at_limit));
  pop2_reply r;
  EXPECT_EQ(parse_pop2_reply(at_limit + "x", r), pop2_errc::line_too_long);
  EXPECT_EQ(r.kind, pop2_reply_kind::err);  // still reported
  EXPECT_EQ(r.text.size(), 509u);
}

TEST(Pop2ReplyTest, SerialisesIndicatorNumberAndTextWithCrlf) {
  EXPECT_EQ(serialize_pop2_reply(pop2_ok()), "+\r\n");
  EXPECT_EQ(serialize_pop2_reply(pop2_ok("OK")), "+ OK\r\n");
  EXPECT_EQ(serialize_pop2_reply(pop2_err("error")), "- error\r\n");
  EXPECT_EQ(serialize_pop2_reply(pop2_count(2, "messages")), "#2 messages\r\n");
  EXPECT_EQ(serialize_pop2_reply(pop2_length(0)), "=0\r\n");
}

TEST(Pop2ReplyTest, SerialisingCutsTextSoTheLineNeverExceeds512Characters) {
  const std::string line = serialize_pop2_reply(pop2_length(UINT64_MAX, std::string(1000, 'y')));
  EXPECT_EQ(line.size(), 512u);
  EXPECT_TRUE(line.ends_with("y\r\n"));
  EXPECT_FALSE(error_of(std::string_view(line).substr(0, line.size() - 2)));
}

TEST(Pop2ReplyTest, SerialisingReplacesLineBreaksInTextSoTheReplyStaysOneLine) {
  EXPECT_EQ(serialize_pop2_reply(pop2_err("a\r\n+ OK")), "- a  + OK\r\n");
}

TEST(Pop2ReplyTest, SerialiseThenParseGivesTheSameReply) {
  const std::vector<pop2_reply> replies{pop2_ok(),
                                        pop2_ok("POP2 host ready"),
                                        pop2_err(),
                                        pop2_err(" indented"),
                                        pop2_count(0),
                                        pop2_count(35, "messages"),
                                        pop2_length(0),
                                        pop2_length(10123, "chars"),
                                        pop2_length(UINT64_MAX)};
  for (const auto& reply : replies) {
    const std::string line = serialize_pop2_reply(reply);
    EXPECT_EQ(parsed(std::string_view(line).substr(0, line.size() - 2)), reply) << line;
  }
}

TEST(Pop2ReplyTest, ArbitraryOctetsNeverThrowAndWhatParsesSerialisesBackToTheSameReply) {
  // The harness parses third-party servers' replies: any input gives a reply or an error code.
  std::mt19937 rng(937);
  const std::string alphabet = std::string("+-#=0123456789 ab\t\r\x80\xff") + '\0';
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<std::size_t> length(0, 40);
  std::size_t accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string line;
    for (std::size_t n = length(rng); n > 0; --n) line.push_back(alphabet[pick(rng)]);
    pop2_reply r;
    if (parse_pop2_reply(line, r)) continue;
    ++accepted;
    const std::string again = serialize_pop2_reply(r);
    pop2_reply r2;
    ASSERT_FALSE(parse_pop2_reply(std::string_view(again).substr(0, again.size() - 2), r2)) << line;
    ASSERT_EQ(r2, r) << line;
  }
  EXPECT_GT(accepted, 100u);  // the property was exercised, not vacuously true
}

TEST(Pop2ReplyTest, ParsesTheGreetingsOfTheRfcExamples) {
  pop2_greeting g;
  ASSERT_FALSE(parse_pop2_greeting(parsed("+ POP2 USC-ISIF.ARPA Server"), g));
  EXPECT_EQ(g, (pop2_greeting{"USC-ISIF.ARPA", "Server"}));
  ASSERT_FALSE(parse_pop2_greeting(parsed("+ POP2 ISI-VAXA.ARPA server here"), g));
  EXPECT_EQ(g, (pop2_greeting{"ISI-VAXA.ARPA", "server here"}));
  ASSERT_FALSE(parse_pop2_greeting(parsed("+ POP2 localhost"), g));
  EXPECT_EQ(g, (pop2_greeting{"localhost", ""}));
  ASSERT_FALSE(parse_pop2_greeting(parsed("+ POP2 a"), g));
}

TEST(Pop2ReplyTest, RejectsGreetingsThatAreNotPlusPop2Host) {
  EXPECT_EQ(greeting_error_of("+"), pop2_errc::bad_greeting);
  EXPECT_FALSE(greeting_error_of("+ POP2 Server Ready"));  // the Normal Scenario: host "Server"
  EXPECT_EQ(greeting_error_of("+ POP3 host"), pop2_errc::bad_greeting);
  EXPECT_EQ(greeting_error_of("+ pop2 host"), pop2_errc::bad_greeting);
  EXPECT_EQ(greeting_error_of("+ POP2"), pop2_errc::bad_greeting);
  EXPECT_EQ(greeting_error_of("+ POP2 "), pop2_errc::bad_greeting);
  EXPECT_EQ(greeting_error_of("+ POP2  host"), pop2_errc::bad_greeting);
  EXPECT_EQ(greeting_error_of("+ POP2 1host"), pop2_errc::bad_greeting);
  EXPECT_EQ(greeting_error_of("+ POP2 host-"), pop2_errc::bad_greeting);
  EXPECT_EQ(greeting_error_of("+ POP2 a..b"), pop2_errc::bad_greeting);
  EXPECT_EQ(greeting_error_of("+ POP2 127.0.0.1"), pop2_errc::bad_greeting);
  EXPECT_EQ(greeting_error_of("+ POP2 host "), pop2_errc::bad_greeting);
  pop2_greeting g;
  EXPECT_EQ(parse_pop2_greeting(pop2_err("POP2 host"), g), pop2_errc::bad_greeting);
}

TEST(Pop2ReplyTest, SerialisedGreetingParsesBack) {
  const pop2_greeting g{"mail.example.org", "popspec server ready"};
  const std::string line = serialize_pop2_greeting(g);
  EXPECT_EQ(line, "+ POP2 mail.example.org popspec server ready\r\n");
  pop2_greeting back;
  ASSERT_FALSE(
      parse_pop2_greeting(parsed(std::string_view(line).substr(0, line.size() - 2)), back));
  EXPECT_EQ(back, g);
}
