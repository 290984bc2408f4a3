#include "popspec/codec/pop3_response.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "popspec/codec/errc.hpp"
#include "popspec/codec/escape.hpp"

namespace popspec::codec {
namespace {

using vk = violation_kind;
using found = std::pair<violation_kind, std::size_t>;  // kind and offset

// ---- Server side ------------------------------------------------------------------------------

TEST(Pop3ResponseWriterTest, WritesStatusLinesWithAndWithoutText) {
  std::string out;
  append_status(out, true, "");
  append_status(out, true, "2 320");
  append_status(out, false, "");
  append_status(out, false, "no such message");
  EXPECT_EQ(out, "+OK\r\n+OK 2 320\r\n-ERR\r\n-ERR no such message\r\n");
}

TEST(Pop3ResponseWriterTest, StuffsEveryLineThatBeginsWithADot) {
  std::string out;
  append_dot_stuffed(out, ".\r\n..x\r\nnot.here\r\n.\r\n.end\r\n");
  EXPECT_EQ(out, "..\r\n...x\r\nnot.here\r\n..\r\n..end\r\n");
}

TEST(Pop3ResponseWriterTest, StartsALineAfterEveryLfEvenWithoutCr) {
  std::string out;
  append_dot_stuffed(out, ".a\n.b\rc\n.");
  EXPECT_EQ(out, "..a\n..b\rc\n..\r\n");
}

TEST(Pop3ResponseWriterTest, AddsCrlfWhenDataDoesNotEndWithOne) {
  std::string out;
  append_dot_stuffed(out, "last line");
  EXPECT_EQ(out, "last line\r\n");
  out.clear();
  append_dot_stuffed(out, "a\r\n.");
  EXPECT_EQ(out, "a\r\n..\r\n");
  out.clear();
  append_dot_stuffed(out, "cr only\r");
  EXPECT_EQ(out, "cr only\r\r\n");
}

TEST(Pop3ResponseWriterTest, WritesNothingForEmptyData) {
  std::string out = "keep";
  append_dot_stuffed(out, "");
  EXPECT_EQ(out, "keep");
}

TEST(Pop3ResponseWriterTest, WritesACompleteMultilineResponse) {
  std::string out;
  append_multiline(out, "1 message", ".hidden\r\nvisible\r\n");
  EXPECT_EQ(out, "+OK 1 message\r\n..hidden\r\nvisible\r\n.\r\n");
  out.clear();
  append_multiline(out, "", "");
  EXPECT_EQ(out, "+OK\r\n.\r\n");
  out.clear();
  append_terminator(out);
  EXPECT_EQ(out, ".\r\n");
}

// ---- Client side: the chunking-independence table ---------------------------------------------

struct parse_case {
  std::string name{};
  std::string input{};
  bool multiline_if_ok = true;
  response_limits limits{};
  // Expected after feeding all of `input`:
  std::error_code error{};
  bool done = true;
  std::size_t consumed = 0;  // checked when there is no error
  bool ok = true;
  std::string text{};
  std::string data{};
  std::size_t line_count = 0;
  std::vector<found> violations{};
};

struct outcome {
  std::size_t consumed = 0;
  std::error_code error;
  bool done = false;
  response result;
};

outcome run(const parse_case& c, const std::vector<std::string_view>& chunks) {
  response_parser parser(c.multiline_if_ok, c.limits);
  outcome o;
  for (const auto chunk : chunks) {
    std::error_code ec;
    const std::size_t n = parser.feed(chunk, ec);
    o.consumed += n;
    if (ec) {
      o.error = ec;
      break;
    }
    if (parser.done()) break;
    EXPECT_EQ(n, chunk.size()) << "a parser that is not done must take every octet";
  }
  o.done = parser.done();
  o.result = parser.result();
  return o;
}

std::string describe(const outcome& o) {
  std::string s = "error=" + o.error.message() + " done=" + std::to_string(o.done) +
                  " consumed=" + std::to_string(o.consumed) +
                  " status=" + escape_bytes(o.result.status_line) +
                  " data=" + escape_bytes(o.result.data.substr(0, 200)) + " violations=";
  for (const auto& v : o.result.violations) {
    s += std::string(to_string(v.kind)) + "@" + std::to_string(v.offset) + " ";
  }
  return s;
}

// The same outcome, whatever the chunking. After an error the consumed count (and so
// wire_octets) legitimately depends on where the chunks ended, so it is left out then.
bool same_outcome(const outcome& a, const outcome& b) {
  if (a.error != b.error || a.done != b.done) return false;
  if (!a.error) return a.consumed == b.consumed && a.result == b.result;
  response ra = a.result, rb = b.result;
  ra.wire_octets = rb.wire_octets = 0;
  return ra == rb;
}

void check_expectations(const parse_case& c, const outcome& o) {
  SCOPED_TRACE(c.name + ": " + describe(o));
  EXPECT_EQ(o.error, c.error);
  EXPECT_EQ(o.done, c.done);
  if (!c.error) {
    EXPECT_EQ(o.consumed, c.consumed);
    EXPECT_EQ(o.result.wire_octets, c.consumed);
  }
  if (c.done) {
    EXPECT_EQ(o.result.ok, c.ok);
    EXPECT_EQ(o.result.text, c.text);
    EXPECT_EQ(o.result.multiline, c.ok && c.multiline_if_ok);
    EXPECT_EQ(o.result.data, c.data);
    EXPECT_EQ(o.result.line_count, c.line_count);
  }
  std::vector<found> got;
  for (const auto& v : o.result.violations) {
    got.emplace_back(v.kind, v.offset);
    EXPECT_FALSE(v.detail.empty());
  }
  EXPECT_EQ(got, c.violations);
}

// Message octets of about `size` octets in lines of about `line_length`. Some lines begin with
// '.' or "..", so stuffing and unstuffing both take part, and some are empty.
std::string message_octets(std::size_t size, std::size_t line_length) {
  static constexpr std::string_view filler = "the quick brown fox jumps over the lazy dog. ";
  std::string wire;
  for (int i = 0; wire.size() < size; ++i) {
    if (i % 7 == 0) wire += ".";
    if (i % 11 == 0) wire += "..";
    std::string line = "Line " + std::to_string(i) + ": ";
    while (line.size() < line_length) line += filler;
    wire += line;
    wire += "\r\n";
    if (i % 13 == 0) wire += "\r\n";
  }
  return wire;
}

std::vector<parse_case> table() {
  std::vector<parse_case> t;
  const auto add = [&t](parse_case c) {
    if (c.consumed == 0 && !c.error) c.consumed = c.input.size();
    t.push_back(std::move(c));
  };
  response_limits small_status;
  small_status.max_status_line = 8;
  response_limits small_data;
  small_data.max_data_line = 6;
  response_limits small_response;
  small_response.max_response = 16;
  response_limits few_violations;
  few_violations.max_violations = 2;

  add({.name = "bare ok", .input = "+OK\r\n", .multiline_if_ok = false});
  add({.name = "ok with text",
       .input = "+OK 2 320\r\n",
       .multiline_if_ok = false,
       .text = "2 320"});
  add({.name = "ok with empty text after space", .input = "+OK \r\n", .multiline_if_ok = false});
  add({.name = "err is never multi-line",
       .input = "-ERR no such message\r\n",
       .ok = false,
       .text = "no such message"});
  add({.name = "bare err", .input = "-ERR\r\n", .ok = false});
  add({.name = "scan listing",
       .input = "+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n",
       .text = "2 messages",
       .data = "1 120\r\n2 200\r\n",
       .line_count = 2});
  add({.name = "stuffed lines",
       .input = "+OK\r\n..hidden\r\n...\r\n..\r\nplain.\r\n.\r\n",
       .data = ".hidden\r\n..\r\n.\r\nplain.\r\n",
       .line_count = 4});
  add({.name = "empty data", .input = "+OK\r\n.\r\n"});
  add({.name = "empty lines in data",
       .input = "+OK\r\n\r\n\r\n.\r\n",
       .data = "\r\n\r\n",
       .line_count = 2});
  // Every split point of the big message is tested too, so it uses long lines to keep the
  // quadratic test affordable; the short-line message covers per-line work at every split.
  for (const auto& [label, size, line_length] :
       {std::tuple<std::string, std::size_t, std::size_t>{"100 KB message", 100 * 1024, 1000},
        {"8 KB message of short lines", 8 * 1024, 40}}) {
    const std::string wire = message_octets(size, line_length);
    std::string input;
    append_multiline(input, "big", wire);
    std::size_t lines = 0;
    for (const char ch : wire) lines += ch == '\n' ? 1 : 0;
    add({.name = label, .input = input, .text = "big", .data = wire, .line_count = lines});
  }
  add({.name = "pipelined after multi-line",
       .input = "+OK a\r\n.\r\n+OK next\r\n",
       .consumed = 10,
       .text = "a"});
  add({.name = "pipelined after single-line",
       .input = "+OK\r\n-ERR\r\n",
       .multiline_if_ok = false,
       .consumed = 5});
  add({.name = "err leaves a dot line to the next response",
       .input = "-ERR x\r\n.\r\n",
       .consumed = 8,
       .ok = false,
       .text = "x"});
  add({.name = "bare lf ends the status line",
       .input = "+OK hi\n",
       .multiline_if_ok = false,
       .text = "hi",
       .violations = {{vk::bare_lf, 6}}});
  add({.name = "bare lf in data and terminator",
       .input = "+OK\r\nline\n.\n",
       .data = "line\r\n",
       .line_count = 1,
       .violations = {{vk::bare_lf, 9}, {vk::bare_lf, 11}}});
  add({.name = "dot cr without lf is data",
       .input = "+OK\r\n.\rX\r\n.\r\n",
       .data = "\rX\r\n",
       .line_count = 1,
       .violations = {{vk::dot_cr_without_lf, 6}}});
  add({.name = "dot cr cr lf is data",
       .input = "+OK\r\n.\r\r\n.\r\n",
       .data = "\r\r\n",
       .line_count = 1,
       .violations = {{vk::dot_cr_without_lf, 6}}});
  add({.name = "lower-case ok",
       .input = "+ok fine\r\n",
       .multiline_if_ok = false,
       .text = "fine",
       .violations = {{vk::lowercase_status, 0}}});
  add({.name = "mixed-case err",
       .input = "-eRr\r\n",
       .ok = false,
       .violations = {{vk::lowercase_status, 0}}});
  add({.name = "no space after indicator",
       .input = "+OKfine\r\n",
       .multiline_if_ok = false,
       .text = "fine",
       .violations = {{vk::missing_space_after_status, 3}}});
  add({.name = "status line of 512 octets",
       .input = "+OK " + std::string(506, 'x') + "\r\n",
       .multiline_if_ok = false,
       .text = std::string(506, 'x')});
  add({.name = "status line of 513 octets",
       .input = "+OK " + std::string(507, 'x') + "\r\n",
       .multiline_if_ok = false,
       .text = std::string(507, 'x'),
       .violations = {{vk::status_line_over_512, 0}}});
  add({.name = "nul in data",
       .input = std::string("+OK\r\na\0b\0\r\n.\r\n", 14),
       .data = std::string("a\0b\0\r\n", 6),
       .line_count = 1,
       .violations = {{vk::nul_octet, 6}}});
  add({.name = "bare cr in status",
       .input = "+OK a\rb\r\n",
       .multiline_if_ok = false,
       .text = "a\rb",
       .violations = {{vk::bare_cr, 5}}});
  add({.name = "bare cr in data",
       .input = "+OK\r\nab\r\r\n.\r\n",
       .data = "ab\r\r\n",
       .line_count = 1,
       .violations = {{vk::bare_cr, 7}}});
  add({.name = "unstuffed dot line",
       .input = "+OK\r\n.x\r\n.\r\n",
       .data = "x\r\n",
       .line_count = 1,
       .violations = {{vk::unstuffed_dot_line, 5}}});
  add({.name = "non-ascii status",
       .input = "+OK \xE9t\xE9\r\n",
       .multiline_if_ok = false,
       .text = "\xE9t\xE9",
       .violations = {{vk::non_ascii_status, 4}}});
  add({.name = "several violations on one line",
       .input = std::string("+ok\0\r\xC0\n", 7),
       .multiline_if_ok = false,
       .text = std::string("\0\r\xC0", 3),
       .violations = {{vk::bare_lf, 6},
                      {vk::lowercase_status, 0},
                      {vk::missing_space_after_status, 3},
                      {vk::nul_octet, 3},
                      {vk::bare_cr, 4},
                      {vk::non_ascii_status, 5}}});
  add({.name = "violations over the cap are counted only",
       .input = "+OK\r\na\nb\nc\nd\n.\r\n",
       .limits = few_violations,
       .data = "a\r\nb\r\nc\r\nd\r\n",
       .line_count = 4,
       .violations = {{vk::bare_lf, 6}, {vk::bare_lf, 8}}});
  for (const char* bad :
       {"OK\r\n", "\r\n", "+O\r\n", "* OK\r\n", "+ERR\r\n", "-OK\r\n", "-ER\r\n", " +OK\r\n"}) {
    add({.name = std::string("bad status ") + bad,
         .input = bad,
         .error = codec_errc::bad_status_indicator,
         .done = false});
  }
  add({.name = "data without terminator",
       .input = "+OK\r\nabc\r\n",
       .done = false,
       .data = "abc\r\n",
       .line_count = 1});
  add({.name = "dot cr at the end", .input = "+OK\r\n.\r", .done = false});
  add({.name = "status without line end", .input = "+OK", .done = false});
  add({.name = "nothing yet", .input = "", .done = false});
  add({.name = "status line at the limit",
       .input = "+OK 12\r\n",
       .multiline_if_ok = false,
       .limits = small_status,
       .text = "12"});
  add({.name = "status line over the limit",
       .input = "+OK 123\r\n",
       .multiline_if_ok = false,
       .limits = small_status,
       .error = codec_errc::status_line_too_long,
       .done = false});
  add({.name = "status line over the limit with no end in sight",
       .input = "+OK 123456789",
       .limits = small_status,
       .error = codec_errc::status_line_too_long,
       .done = false});
  add({.name = "bare lf status line one under the limit",
       .input = "+OK 123\n",
       .multiline_if_ok = false,
       .limits = small_status,
       .text = "123",
       .violations = {{vk::bare_lf, 7}}});
  add({.name = "data line at the limit",
       .input = "+OK\r\n1234\r\n.\r\n",
       .limits = small_data,
       .data = "1234\r\n",
       .line_count = 1});
  add({.name = "data line over the limit",
       .input = "+OK\r\n12345\r\n.\r\n",
       .limits = small_data,
       .error = codec_errc::data_line_too_long,
       .done = false});
  add({.name = "stuffed data line counts its stuffing dot",
       .input = "+OK\r\n..234\r\n.\r\n",
       .limits = small_data,
       .error = codec_errc::data_line_too_long,
       .done = false});
  add({.name = "response at the limit",
       .input = "+OK\r\nabcdef\r\n.\r\n",
       .limits = small_response,
       .data = "abcdef\r\n",
       .line_count = 1});
  add({.name = "response over the limit",
       .input = "+OK\r\nabcdefg\r\n.\r\n",
       .limits = small_response,
       .error = codec_errc::response_too_large,
       .done = false,
       .data = "abcdefg\r\n",
       .line_count = 1});
  add({.name = "response over the limit mid-line",
       .input = "+OK\r\nabcdefghijklmnop\r\n.\r\n",
       .limits = small_response,
       .error = codec_errc::response_too_large,
       .done = false});
  add({.name = "pipelined bytes do not count against the limit",
       .input = "+OK\r\nabcdef\r\n.\r\n-ERR more bytes\r\n",
       .limits = small_response,
       .consumed = 16,
       .data = "abcdef\r\n",
       .line_count = 1});
  return t;
}

TEST(Pop3ResponseParserTest, TableCasesGiveTheExpectedResultWhenFedWhole) {
  for (const auto& c : table()) check_expectations(c, run(c, {c.input}));
}

TEST(Pop3ResponseParserTest, TableCasesGiveTheSameResultSplitAtEveryOctetBoundary) {
  for (const auto& c : table()) {
    const outcome whole = run(c, {c.input});
    const std::string_view in = c.input;
    for (std::size_t i = 0; i <= in.size(); ++i) {
      const outcome split = run(c, {in.substr(0, i), in.substr(i)});
      ASSERT_TRUE(same_outcome(whole, split))
          << c.name << " split at " << i << "\n whole: " << describe(whole)
          << "\n split: " << describe(split);
    }
  }
}

TEST(Pop3ResponseParserTest, SmallTableCasesGiveTheSameResultSplitAtEveryPairOfBoundaries) {
  for (const auto& c : table()) {
    if (c.input.size() > 64) continue;
    const outcome whole = run(c, {c.input});
    const std::string_view in = c.input;
    for (std::size_t i = 0; i <= in.size(); ++i) {
      for (std::size_t j = i; j <= in.size(); ++j) {
        const outcome split = run(c, {in.substr(0, i), in.substr(i, j - i), in.substr(j)});
        ASSERT_TRUE(same_outcome(whole, split)) << c.name << " split at " << i << "," << j;
      }
    }
  }
}

TEST(Pop3ResponseParserTest, TableCasesGiveTheSameResultFedOneOctetAtATime) {
  for (const auto& c : table()) {
    std::vector<std::string_view> octets;
    for (std::size_t i = 0; i < c.input.size(); ++i) {
      octets.push_back(std::string_view(c.input).substr(i, 1));
    }
    const outcome bytewise = run(c, octets);
    check_expectations(c, bytewise);
    EXPECT_TRUE(same_outcome(run(c, {c.input}), bytewise)) << c.name;
  }
}

// ---- Client side: behaviour beyond the table ---------------------------------------------------

TEST(Pop3ResponseParserTest, FinishReportsIncompleteUntilDone) {
  response_parser parser(true);
  std::error_code ec;
  EXPECT_EQ(parser.finish(), codec_errc::incomplete);
  parser.feed("+OK\r\nabc\r\n", ec);
  EXPECT_FALSE(ec);
  EXPECT_TRUE(parser.in_data());
  EXPECT_EQ(parser.finish(), codec_errc::incomplete);
  parser.feed(".\r\n", ec);
  EXPECT_TRUE(parser.done());
  EXPECT_FALSE(parser.finish());
}

TEST(Pop3ResponseParserTest, ConsumesNothingOnceDone) {
  response_parser parser(false);
  std::error_code ec;
  EXPECT_EQ(parser.feed("+OK\r\n", ec), 5u);
  EXPECT_EQ(parser.feed("+OK\r\n", ec), 0u);
  EXPECT_FALSE(ec);
  EXPECT_EQ(parser.result().wire_octets, 5u);
}

TEST(Pop3ResponseParserTest, KeepsFailingAfterAnErrorUntilReset) {
  response_parser parser(false);
  std::error_code ec;
  parser.feed("HELLO\r\n", ec);
  EXPECT_EQ(ec, codec_errc::bad_status_indicator);
  EXPECT_TRUE(parser.failed());
  EXPECT_EQ(parser.feed("+OK\r\n", ec), 0u);
  EXPECT_EQ(ec, codec_errc::bad_status_indicator);
  EXPECT_EQ(parser.finish(), codec_errc::bad_status_indicator);
  EXPECT_EQ(parser.result().status_line, "HELLO");
  parser.reset(false);
  EXPECT_EQ(parser.feed("+OK\r\n", ec), 5u);
  EXPECT_FALSE(ec);
  EXPECT_TRUE(parser.done());
}

TEST(Pop3ResponseParserTest, ReadsPipelinedResponsesOneAfterAnother) {
  const std::string stream = "+OK 2 msgs\r\n1 5\r\n2 7\r\n.\r\n-ERR no\r\n+OK\r\n..x\r\n.\r\n";
  const bool multi[] = {true, true, true};
  std::string_view rest = stream;
  std::vector<response> got;
  response_parser parser(multi[0]);
  for (std::size_t k = 0; k < 3; ++k) {
    parser.reset(multi[k]);
    std::error_code ec;
    rest.remove_prefix(parser.feed(rest, ec));
    ASSERT_FALSE(ec);
    ASSERT_TRUE(parser.done());
    got.push_back(parser.take_result());
  }
  EXPECT_TRUE(rest.empty());
  EXPECT_EQ(got[0].data, "1 5\r\n2 7\r\n");
  EXPECT_FALSE(got[1].ok);
  EXPECT_EQ(got[1].text, "no");
  EXPECT_EQ(got[2].data, ".x\r\n");
}

TEST(Pop3ResponseParserTest, MemoryStaysBoundedWhileALineNeverEnds) {
  response_limits limits;
  limits.max_data_line = 1024;
  response_parser parser(true, limits);
  std::error_code ec;
  parser.feed("+OK\r\n", ec);
  const std::string chunk(100, 'x');
  std::size_t fed = 0;
  while (!ec && fed < 10 * 1024) fed += parser.feed(chunk, ec);
  EXPECT_EQ(ec, codec_errc::data_line_too_long);
  EXPECT_LT(fed, 1024u);
}

TEST(Pop3ResponseParserTest, ParseResponseReadsACompleteBuffer) {
  response r;
  std::error_code ec;
  EXPECT_EQ(parse_response("+OK\r\nx\r\n.\r\ntrailing", true, r, ec), 11u);
  EXPECT_FALSE(ec);
  EXPECT_EQ(r.data, "x\r\n");
  EXPECT_EQ(parse_response("+OK\r\nx\r\n", true, r, ec), 8u);
  EXPECT_EQ(ec, codec_errc::incomplete);
  parse_response("bogus\r\n", true, r, ec);
  EXPECT_EQ(ec, codec_errc::bad_status_indicator);
}

TEST(Pop3ResponseParserTest, RecordsLineOffsetsWithinTheResponseNotTheStream) {
  response_parser parser(true);
  std::error_code ec;
  parser.feed("+OK\r\n.\r\n", ec);
  parser.reset(true);
  parser.feed("+OK\r\nbad\n.\r\n", ec);
  ASSERT_EQ(parser.result().violations.size(), 1u);
  EXPECT_EQ(parser.result().violations[0].offset, 8u);
}

TEST(Pop3ResponseParserTest, NamesEveryViolationKind) {
  const vk kinds[] = {vk::bare_lf,           vk::bare_cr,
                      vk::dot_cr_without_lf, vk::status_line_over_512,
                      vk::lowercase_status,  vk::missing_space_after_status,
                      vk::nul_octet,         vk::non_ascii_status,
                      vk::unstuffed_dot_line};
  std::set<std::string> names;
  for (const auto kind : kinds) names.insert(to_string(kind));
  EXPECT_EQ(names.size(), std::size(kinds));
  EXPECT_EQ(names.count("unknown"), 0u);
  EXPECT_STREQ(to_string(vk::dot_cr_without_lf), "dot_cr_without_lf");
}

TEST(Pop3ResponseParserTest, SplitsDataIntoLines) {
  EXPECT_EQ(split_data_lines(""), std::vector<std::string_view>{});
  EXPECT_EQ(split_data_lines("a\r\n\r\n.b\r\n"), (std::vector<std::string_view>{"a", "", ".b"}));
  EXPECT_EQ(split_data_lines("x\r\r\n"), (std::vector<std::string_view>{"x\r"}));
}

// Property: what the server writes, the client reads back exactly (RFC 1939 §3 stuffing and
// unstuffing are inverse), for random CRLF-terminated message octets heavy in dots and CRs.
TEST(Pop3ResponseRoundTripTest, ParserRecoversEveryStuffedMessage) {
  std::mt19937 rng(2449);
  const char alphabet[] = {'.', '.', '.', 'a', ' ', '\r', '\t', 'Z'};
  for (int i = 0; i < 2000; ++i) {
    std::string wire;
    const int lines = std::uniform_int_distribution<int>(0, 12)(rng);
    for (int l = 0; l < lines; ++l) {
      const int len = std::uniform_int_distribution<int>(0, 6)(rng);
      for (int k = 0; k < len; ++k) {
        wire += alphabet[std::uniform_int_distribution<std::size_t>(0, 7)(rng)];
      }
      wire += "\r\n";
    }
    std::string out;
    append_multiline(out, "text", wire);
    response r;
    std::error_code ec;
    ASSERT_EQ(parse_response(out, true, r, ec), out.size()) << escape_bytes(out);
    ASSERT_FALSE(ec) << escape_bytes(out);
    EXPECT_EQ(r.data, wire) << escape_bytes(out);
    EXPECT_EQ(r.line_count, static_cast<std::size_t>(lines));
    for (const auto& v : r.violations) {
      // Only CRs inside lines may be flagged; stuffing itself must never look wrong.
      EXPECT_EQ(v.kind, vk::bare_cr) << escape_bytes(out);
    }
  }
}

}  // namespace
}  // namespace popspec::codec

// Found by the pop3_response fuzz target (fuzz/regression/pop3_response/): the lines after a bad
// status line must not be parsed as data, or a "." line would turn the failure into done().
TEST(Pop3ResponseParserTest, StaysFailedWhenLinesFollowABadStatusLine) {
  popspec::codec::response_parser parser(true);
  std::error_code ec;
  parser.feed("x\r\nabc\r\n.\r\n", ec);
  EXPECT_EQ(ec, popspec::codec::codec_errc::bad_status_indicator);
  EXPECT_TRUE(parser.failed());
  EXPECT_FALSE(parser.done());
}
