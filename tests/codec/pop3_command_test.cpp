#include "popspec/codec/pop3_command.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "popspec/codec/errc.hpp"

namespace popspec::codec {
namespace {

command parsed(std::string_view line, const command_limits& limits = {}) {
  command out;
  const auto ec = parse_command(line, out, limits);
  EXPECT_FALSE(ec) << "line \"" << line << "\": " << ec.message();
  return out;
}

std::error_code parse_error(std::string_view line, const command_limits& limits = {}) {
  command out;
  return parse_command(line, out, limits);
}

TEST(Pop3CommandTest, ParsesAKeywordAlone) {
  EXPECT_EQ(parsed("STAT"), (command{"STAT", {}}));
  EXPECT_EQ(parsed("TOP"), (command{"TOP", {}}));
}

TEST(Pop3CommandTest, UpperCasesKeywordsButNotArguments) {
  EXPECT_EQ(parsed("stat"), (command{"STAT", {}}));
  EXPECT_EQ(parsed("StAt"), (command{"STAT", {}}));
  EXPECT_EQ(parsed("user Bob"), (command{"USER", {"Bob"}}));
}

TEST(Pop3CommandTest, SplitsArgumentsAtSingleSpaces) {
  EXPECT_EQ(parsed("TOP 1 10"), (command{"TOP", {"1", "10"}}));
  EXPECT_EQ(parsed("APOP mrose c4c9334bac560ecc979e58001b3e22fb"),
            (command{"APOP", {"mrose", "c4c9334bac560ecc979e58001b3e22fb"}}));
}

TEST(Pop3CommandTest, RejectsAnEmptyLine) {
  EXPECT_EQ(parse_error(""), codec_errc::empty_command);
}

TEST(Pop3CommandTest, RejectsKeywordsThatAreNotThreeOrFourCharacters) {
  EXPECT_EQ(parse_error("QU"), codec_errc::keyword_length);
  EXPECT_EQ(parse_error("Q"), codec_errc::keyword_length);
  EXPECT_EQ(parse_error("QUITS"), codec_errc::keyword_length);
  EXPECT_EQ(parse_error("XY 1"), codec_errc::keyword_length);
  EXPECT_EQ(parse_error("RETRIEVE 1"), codec_errc::keyword_length);
}

TEST(Pop3CommandTest, RejectsLeadingSpaceAsEmptyKeyword) {
  EXPECT_EQ(parse_error(" STAT"), codec_errc::empty_argument);
  EXPECT_EQ(parse_error(" "), codec_errc::empty_argument);
}

TEST(Pop3CommandTest, RejectsTrailingSpace) {
  EXPECT_EQ(parse_error("STAT "), codec_errc::empty_argument);
  EXPECT_EQ(parse_error("RETR 1 "), codec_errc::empty_argument);
}

TEST(Pop3CommandTest, RejectsDoubledSpace) {
  EXPECT_EQ(parse_error("RETR  1"), codec_errc::empty_argument);
  EXPECT_EQ(parse_error("TOP 1  2"), codec_errc::empty_argument);
}

TEST(Pop3CommandTest, RejectsCharactersThatAreNotPrintableAscii) {
  for (const std::string& bad :
       {std::string("RETR\t1"), std::string("RETR 1\r"), std::string("RE\0R 1", 6),
        std::string("LIST \x7F"), std::string("USER b\xC3\xB6"), std::string("NOOP\n"),
        std::string("\x01STA")}) {
    EXPECT_EQ(parse_error(bad), codec_errc::invalid_character) << bad;
  }
}

TEST(Pop3CommandTest, AcceptsFortyCharacterArgumentsAndRejectsFortyOne) {
  const std::string forty(40, 'a');
  EXPECT_EQ(parsed("USER " + forty), (command{"USER", {forty}}));
  EXPECT_EQ(parse_error("USER " + forty + "a"), codec_errc::argument_too_long);
  EXPECT_EQ(parse_error("TOP 1 " + forty + "a"), codec_errc::argument_too_long);
}

TEST(Pop3CommandTest, HonoursARaisedArgumentLimit) {
  command_limits limits;
  limits.max_argument = 200;
  const std::string long_arg(200, 'z');
  EXPECT_EQ(parsed("USER " + long_arg, limits), (command{"USER", {long_arg}}));
}

TEST(Pop3CommandTest, AcceptsA255OctetLineAndRejectsA256OctetOne) {
  command_limits limits;
  limits.max_argument = 255;
  // "USER " + 248 octets + CRLF = 255 octets.
  const std::string fits = "USER " + std::string(248, 'u');
  EXPECT_EQ(parsed(fits, limits).args.at(0).size(), 248u);
  EXPECT_EQ(parse_error(fits + "u", limits), codec_errc::command_too_long);
}

TEST(Pop3CommandTest, ChecksLineLengthBeforeCharacters) {
  EXPECT_EQ(parse_error(std::string(300, '\0')), codec_errc::command_too_long);
}

TEST(Pop3CommandTest, PassTakesTheRestOfTheLineSpacesIncluded) {
  EXPECT_EQ(parsed("PASS my secret  word "), (command{"PASS", {"my secret  word "}}));
  EXPECT_EQ(parsed("pass  leading"), (command{"PASS", {" leading"}}));
  EXPECT_EQ(parsed("PASS x"), (command{"PASS", {"x"}}));
}

TEST(Pop3CommandTest, PassWithoutArgumentParsesWithNoArguments) {
  EXPECT_EQ(parsed("PASS"), (command{"PASS", {}}));
  EXPECT_EQ(parse_error("PASS "), codec_errc::empty_argument);
}

TEST(Pop3CommandTest, PassRestOfLineStillObeysTheArgumentLimit) {
  EXPECT_EQ(parse_error("PASS " + std::string(20, 'a') + " " + std::string(20, 'b')),
            codec_errc::argument_too_long);
  EXPECT_EQ(parsed("PASS " + std::string(19, 'a') + " " + std::string(20, 'b')).args.size(), 1u);
}

TEST(Pop3CommandTest, PassSplitsLikeAnyCommandWhenRestOfLineIsOff) {
  command_limits limits;
  limits.pass_takes_rest = false;
  EXPECT_EQ(parsed("PASS a b", limits), (command{"PASS", {"a", "b"}}));
  EXPECT_EQ(parse_error("PASS a  b", limits), codec_errc::empty_argument);
}

TEST(Pop3CommandTest, KeepsTheKeywordWhenAnArgumentIsBad) {
  command out{"OLD", {"stale"}};
  EXPECT_EQ(parse_command("retr 1 " + std::string(41, '9'), out), codec_errc::argument_too_long);
  EXPECT_EQ(out, (command{"RETR", {}}));
  EXPECT_EQ(parse_command("RETRX 1", out), codec_errc::keyword_length);
  EXPECT_EQ(out, (command{"", {}}));
}

TEST(Pop3CommandTest, SerialisesWithSingleSpacesAndCrlf) {
  EXPECT_EQ(serialize_command({"STAT", {}}), "STAT\r\n");
  EXPECT_EQ(serialize_command({"TOP", {"1", "5"}}), "TOP 1 5\r\n");
  EXPECT_EQ(serialize_command({"stat", {}}), "stat\r\n");
}

TEST(Pop3CommandTest, CheckAcceptsConformingCommands) {
  EXPECT_FALSE(check_command({"STAT", {}}));
  EXPECT_FALSE(check_command({"uidl", {"1"}}));
  EXPECT_FALSE(check_command({"PASS", {"with spaces inside"}}));
}

TEST(Pop3CommandTest, CheckReportsEachProblem) {
  EXPECT_EQ(check_command({"", {}}), codec_errc::empty_command);
  EXPECT_EQ(check_command({"ST", {}}), codec_errc::keyword_length);
  EXPECT_EQ(check_command({"", {"x"}}), codec_errc::keyword_length);
  EXPECT_EQ(check_command({"S T", {}}), codec_errc::invalid_character);
  EXPECT_EQ(check_command({"RETR", {""}}), codec_errc::empty_argument);
  EXPECT_EQ(check_command({"USER", {"a b"}}), codec_errc::invalid_character);
  EXPECT_EQ(check_command({"USER", {"a\tb"}}), codec_errc::invalid_character);
  EXPECT_EQ(check_command({"PASS", {"a\rb"}}), codec_errc::invalid_character);
  EXPECT_EQ(check_command({"USER", {std::string(41, 'a')}}), codec_errc::argument_too_long);
  EXPECT_EQ(check_command({"PASS", {"a", "b"}}), codec_errc::too_many_arguments);
  command_limits no_rest;
  no_rest.pass_takes_rest = false;
  EXPECT_FALSE(check_command({"PASS", {"a", "b"}}, no_rest));
  EXPECT_EQ(check_command({"PASS", {"a b"}}, no_rest), codec_errc::invalid_character);
  command many{"XTND", std::vector<std::string>(7, std::string(40, 'x'))};
  EXPECT_EQ(check_command(many), codec_errc::command_too_long);
}

// Property: every command that passes check_command survives serialise then parse, with its
// keyword upper-cased. Commands are drawn from a fixed-seed generator biased to edge cases.
TEST(Pop3CommandTest, RoundTripsEveryCheckedCommand) {
  std::mt19937 rng(1939);
  const auto pick = [&rng](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  const std::string keywords[] = {"STAT", "list", "Retr", "TOP",  "PASS", "pass", "USER",
                                  "APOP", "NOO",  "XTND", "CAPA", "a.b",  "+OK",  "UIDL"};
  int checked = 0;
  for (int i = 0; i < 20000; ++i) {
    command_limits limits;
    limits.pass_takes_rest = pick(4) != 0;
    limits.max_argument = pick(2) == 0 ? 40 : 250;
    command c{keywords[pick(std::size(keywords))], {}};
    const std::size_t argc = pick(5);
    for (std::size_t a = 0; a < argc; ++a) {
      std::string arg(pick(3) == 0 ? pick(60) : 1 + pick(8), 'x');
      for (char& ch : arg) ch = static_cast<char>(0x20 + pick(0x5F));  // SP..'~'
      c.args.push_back(arg);
    }
    if (check_command(c, limits)) continue;
    ++checked;
    std::string wire = serialize_command(c);
    ASSERT_TRUE(wire.ends_with("\r\n"));
    wire.resize(wire.size() - 2);
    command back;
    ASSERT_FALSE(parse_command(wire, back, limits)) << wire;
    command expected = c;
    expected.keyword = ascii_upper(c.keyword);
    EXPECT_EQ(back, expected) << wire;
  }
  EXPECT_GT(checked, 1000);  // the generator must actually exercise the property
}

// And the converse: whatever parses re-serialises to the same octets, up to keyword case.
TEST(Pop3CommandTest, ReserialisesEveryParsedLine) {
  for (const std::string line : {"STAT", "top 1 2", "PASS a  b ", "APOP u d", "USER x"}) {
    command c;
    ASSERT_FALSE(parse_command(line, c));
    EXPECT_EQ(serialize_command(c), ascii_upper(line.substr(0, 4)) + line.substr(4) + "\r\n");
  }
}

TEST(Pop3CommandTest, UpperCasesAsciiOnly) {
  EXPECT_EQ(ascii_upper("aZz09-\xE4"), "AZZ09-\xE4");
}

}  // namespace
}  // namespace popspec::codec
