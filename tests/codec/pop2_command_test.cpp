#include "popspec/codec/pop2_command.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

using popspec::codec::parse_pop2_command;
using popspec::codec::pop2_command;
using popspec::codec::pop2_errc;
using popspec::codec::pop2_keyword;
using popspec::codec::pop2_max_command_line;
using popspec::codec::pop2_parse_options;
using popspec::codec::serialize_pop2_command;

namespace {

pop2_command parsed(std::string_view line) {
  pop2_command cmd;
  const auto ec = parse_pop2_command(line, cmd);
  EXPECT_FALSE(ec) << "\"" << line << "\": " << ec.message();
  return cmd;
}

std::error_code error_of(std::string_view line, const pop2_parse_options& options = {}) {
  pop2_command cmd;
  return parse_pop2_command(line, cmd, options);
}

pop2_command make(pop2_keyword k) {
  pop2_command cmd;
  cmd.keyword = k;
  return cmd;
}
pop2_command helo(std::string user, std::string password) {
  pop2_command cmd = make(pop2_keyword::helo);
  cmd.user = std::move(user);
  cmd.password = std::move(password);
  return cmd;
}
pop2_command fold(std::string mailbox) {
  pop2_command cmd = make(pop2_keyword::fold);
  cmd.mailbox = std::move(mailbox);
  return cmd;
}
pop2_command read(std::optional<std::uint64_t> number) {
  pop2_command cmd = make(pop2_keyword::read);
  cmd.number = number;
  return cmd;
}

std::string serialized(const pop2_command& cmd) {
  std::string out;
  const auto ec = serialize_pop2_command(cmd, out);
  EXPECT_FALSE(ec) << ec.message();
  return out;
}

}  // namespace

TEST(Pop2CommandTest, ParsesEveryKeywordWithoutArguments) {
  const std::vector<std::pair<std::string, pop2_keyword>> cases{
      {"READ", pop2_keyword::read}, {"RETR", pop2_keyword::retr}, {"ACKS", pop2_keyword::acks},
      {"ACKD", pop2_keyword::ackd}, {"NACK", pop2_keyword::nack}, {"QUIT", pop2_keyword::quit}};
  for (const auto& [line, keyword] : cases) {
    const auto cmd = parsed(line);
    EXPECT_EQ(cmd.keyword, keyword) << line;
    EXPECT_FALSE(cmd.number) << line;
  }
}

TEST(Pop2CommandTest, ParsesHeloUserAndPassword) {
  const auto cmd = parsed("HELO POSTEL SECRET");
  EXPECT_EQ(cmd.keyword, pop2_keyword::helo);
  EXPECT_EQ(cmd.user, "POSTEL");
  EXPECT_EQ(cmd.password, "SECRET");
}

TEST(Pop2CommandTest, UnquotesBackslashSpaceAndDoubleBackslashInHeloArguments) {
  const auto cmd = parsed(R"(HELO john\ smith my\ pass\\word)");
  EXPECT_EQ(cmd.user, "john smith");
  EXPECT_EQ(cmd.password, R"(my pass\word)");
}

TEST(Pop2CommandTest, BackslashBeforeAnyAsciiCharacterStandsForThatCharacter) {
  // RFC 937 <print> = <quote> <any>: POP2-937-QUOTE.3.
  EXPECT_EQ(parsed(R"(HELO \a\b \%x)").user, "ab");
  EXPECT_EQ(parsed(R"(HELO \a\b \%x)").password, "%x");
  EXPECT_EQ(parsed("HELO u p\\\tw").password, "p\tw");
  EXPECT_EQ(parsed(std::string("HELO u p\\\x01w")).password, "p\x01w");
}

TEST(Pop2CommandTest, AcceptsDotsAndSemicolonsUnquotedThoughPunctOmitsThem) {
  EXPECT_EQ(parsed("HELO j.smith a;b").user, "j.smith");
  EXPECT_EQ(parsed("FOLD MAIL.TXT.1").mailbox, "MAIL.TXT.1");
}

TEST(Pop2CommandTest, FoldMailboxIsTheWholeRestOfTheLineSpacesIncluded) {
  EXPECT_EQ(parsed("FOLD /usr/spool/mail/smith").mailbox, "/usr/spool/mail/smith");
  EXPECT_EQ(parsed("FOLD old mail").mailbox, "old mail");
  EXPECT_EQ(parsed(R"(FOLD old\ mail\\x)").mailbox, R"(old mail\x)");
  // <mailbox> = <string>, and a <string> may begin with a space.
  EXPECT_EQ(parsed("FOLD  x").mailbox, " x");
}

TEST(Pop2CommandTest, ParsesReadWithAndWithoutMessageNumber) {
  EXPECT_FALSE(parsed("READ").number);
  EXPECT_EQ(parsed("READ 13").number, 13u);
  EXPECT_EQ(parsed("READ 0").number, 0u);
  EXPECT_EQ(parsed("READ 007").number, 7u);
}

TEST(Pop2CommandTest, ReadNumberBeyondSixtyFourBitsSaturatesToANumberNamingNoMessage) {
  EXPECT_EQ(parsed("READ 18446744073709551615").number, UINT64_MAX);
  EXPECT_EQ(parsed("READ 18446744073709551616").number, UINT64_MAX);
  EXPECT_EQ(parsed("READ 99999999999999999999999999999").number, UINT64_MAX);
}

TEST(Pop2CommandTest, AcceptsKeywordsInAnyCaseByDefault) {
  EXPECT_EQ(parsed("read 2").keyword, pop2_keyword::read);
  EXPECT_EQ(parsed("Helo u p").keyword, pop2_keyword::helo);
  EXPECT_EQ(parsed("qUiT").keyword, pop2_keyword::quit);
}

TEST(Pop2CommandTest, StrictKeywordCaseRefusesAnythingButUpperCase) {
  const pop2_parse_options strict{.strict_keyword_case = true};
  EXPECT_EQ(error_of("read", strict), pop2_errc::lower_case_keyword);
  EXPECT_EQ(error_of("Quit", strict), pop2_errc::lower_case_keyword);
  EXPECT_FALSE(error_of("QUIT", strict));
  EXPECT_EQ(error_of("NOOP", strict), pop2_errc::unknown_keyword);
}

TEST(Pop2CommandTest, RejectsEmptyLinesAndUnknownKeywords) {
  EXPECT_EQ(error_of(""), pop2_errc::empty_line);
  EXPECT_EQ(error_of("NOOP"), pop2_errc::unknown_keyword);
  EXPECT_EQ(error_of("USER fred"), pop2_errc::unknown_keyword);
  EXPECT_EQ(error_of("REA"), pop2_errc::unknown_keyword);
  EXPECT_EQ(error_of("READX"), pop2_errc::unknown_keyword);
  EXPECT_EQ(error_of("\xff\xfe\xfd\xfc"), pop2_errc::unknown_keyword);
}

TEST(Pop2CommandTest, RejectsMissingArguments) {
  EXPECT_EQ(error_of("HELO"), pop2_errc::missing_argument);
  EXPECT_EQ(error_of("HELO fred"), pop2_errc::missing_argument);
  EXPECT_EQ(error_of("FOLD"), pop2_errc::missing_argument);
  EXPECT_EQ(error_of("FOLD "), pop2_errc::missing_argument);
}

TEST(Pop2CommandTest, RejectsUnexpectedArguments) {
  EXPECT_EQ(error_of("HELO a b c"), pop2_errc::unexpected_argument);
  EXPECT_EQ(error_of("READ 1 2"), pop2_errc::unexpected_argument);
  for (const char* k : {"RETR", "ACKS", "ACKD", "NACK", "QUIT"})
    EXPECT_EQ(error_of(std::string(k) + " 1"), pop2_errc::unexpected_argument) << k;
}

TEST(Pop2CommandTest, RejectsAnythingButExactlyOneSpaceBetweenWords) {
  EXPECT_EQ(error_of(" QUIT"), pop2_errc::bad_spacing);
  EXPECT_EQ(error_of("QUIT "), pop2_errc::bad_spacing);
  EXPECT_EQ(error_of("HELO  a b"), pop2_errc::bad_spacing);
  EXPECT_EQ(error_of("HELO a  b"), pop2_errc::bad_spacing);
  EXPECT_EQ(error_of("HELO a b "), pop2_errc::bad_spacing);
  EXPECT_EQ(error_of("READ "), pop2_errc::bad_spacing);
  EXPECT_EQ(error_of("READ  1"), pop2_errc::bad_spacing);
  EXPECT_EQ(error_of("READ 1 "), pop2_errc::bad_spacing);
}

TEST(Pop2CommandTest, RejectsReadArgumentsThatAreNotDecimalDigits) {
  EXPECT_EQ(error_of("READ x"), pop2_errc::bad_number);
  EXPECT_EQ(error_of("READ -1"), pop2_errc::bad_number);
  EXPECT_EQ(error_of("READ +1"), pop2_errc::bad_number);
  EXPECT_EQ(error_of("READ 0x10"), pop2_errc::bad_number);
}

TEST(Pop2CommandTest, RejectsControlCharactersAndNonAsciiOctetsUnquoted) {
  EXPECT_EQ(error_of("HELO u p\tw"), pop2_errc::bad_character);
  EXPECT_EQ(error_of(std::string("HELO u p\0w", 10)), pop2_errc::bad_character);
  EXPECT_EQ(error_of("HELO u p\rw"), pop2_errc::bad_character);
  EXPECT_EQ(error_of("FOLD caf\xc3\xa9"), pop2_errc::bad_character);
  EXPECT_EQ(error_of("FOLD x\x7f"), pop2_errc::bad_character);
  // <any> is ASCII only: quoting does not make an 8-bit octet legal.
  EXPECT_EQ(error_of("FOLD x\\\xe9"), pop2_errc::bad_character);
}

TEST(Pop2CommandTest, RejectsAnArgumentEndingInALoneBackslash) {
  EXPECT_EQ(error_of("HELO u p\\"), pop2_errc::dangling_backslash);
  EXPECT_EQ(error_of("FOLD box\\"), pop2_errc::dangling_backslash);
  // "\ " at the end of HELO's user quotes the space, so the password is missing.
  EXPECT_EQ(error_of("HELO u\\ "), pop2_errc::missing_argument);
}

TEST(Pop2CommandTest, AcceptsCommandLinesOfExactly512CharactersCountingCrlf) {
  const std::string at_limit = "FOLD " + std::string(pop2_max_command_line - 2 - 5, 'a');
  ASSERT_EQ(at_limit.size() + 2, 512u);
  EXPECT_FALSE(error_of(at_limit));
  EXPECT_EQ(error_of(at_limit + "a"), pop2_errc::line_too_long);
}

TEST(Pop2CommandTest, LeavesTheOutputUnchangedOnError) {
  pop2_command cmd;
  cmd.keyword = pop2_keyword::fold;
  cmd.mailbox = "before";
  const pop2_command copy = cmd;
  EXPECT_TRUE(parse_pop2_command("HELO a b c", cmd));
  EXPECT_EQ(cmd, copy);
}

TEST(Pop2CommandTest, SerialisesWithUpperCaseKeywordsAndCrlf) {
  EXPECT_EQ(serialized(read(std::nullopt)), "READ\r\n");
  EXPECT_EQ(serialized(read(27)), "READ 27\r\n");
  EXPECT_EQ(serialized(make(pop2_keyword::ackd)), "ACKD\r\n");
}

TEST(Pop2CommandTest, SerialisesArgumentsQuoted) {
  EXPECT_EQ(serialized(helo("john smith", R"(a\b c)")), "HELO john\\ smith a\\\\b\\ c\r\n");
  EXPECT_EQ(serialized(fold("old mail")), "FOLD old\\ mail\r\n");
}

TEST(Pop2CommandTest, SerialisingRefusesWhatNoCommandLineCanCarry) {
  std::string out = "unchanged";
  EXPECT_EQ(serialize_pop2_command(helo("u", ""), out), pop2_errc::missing_argument);
  EXPECT_EQ(serialize_pop2_command(fold(""), out), pop2_errc::missing_argument);
  EXPECT_EQ(serialize_pop2_command(fold("a\r\nQUIT"), out), pop2_errc::unquotable);
  EXPECT_EQ(serialize_pop2_command(fold("caf\xc3\xa9"), out), pop2_errc::unquotable);
  EXPECT_EQ(serialize_pop2_command(fold(std::string(300, ' ')), out), pop2_errc::line_too_long);
  EXPECT_EQ(out, "unchanged");
}

TEST(Pop2CommandTest, SerialiseThenParseGivesTheSameCommand) {
  std::string every_ascii;  // everything a command line can carry: all ASCII but CR and LF
  for (int c = 0; c < 128; ++c)
    if (c != '\r' && c != '\n') every_ascii.push_back(static_cast<char>(c));
  const std::vector<pop2_command> commands{
      helo("POSTEL", "SECRET"),
      helo(" lead", "trail\\ "),
      helo(every_ascii, every_ascii),
      fold(" spaced  out "),
      fold(every_ascii),
      read(std::nullopt),
      read(0),
      read(UINT64_MAX),
      make(pop2_keyword::retr),
      make(pop2_keyword::acks),
      make(pop2_keyword::ackd),
      make(pop2_keyword::nack),
      make(pop2_keyword::quit),
  };
  for (const auto& cmd : commands) {
    const std::string line = serialized(cmd);
    ASSERT_TRUE(line.ends_with("\r\n"));
    EXPECT_EQ(parsed(std::string_view(line).substr(0, line.size() - 2)), cmd) << line;
  }
}
