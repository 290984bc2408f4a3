// Judging one observed response against an expectation.
#include "popspec/harness/matcher.hpp"

#include <gtest/gtest.h>

namespace popspec::harness {
namespace {

observation line(std::string status) {
  observation o;
  o.status_line = std::move(status);
  return o;
}

observation data(std::string status, std::vector<std::string> lines) {
  observation o = line(std::move(status));
  o.multiline = true;
  for (const auto& l : lines) o.data += l + "\r\n";
  o.line_count = lines.size();
  return o;
}

observation ended(response_end e) {
  observation o;
  o.end = e;
  return o;
}

const std::string fixture_one = "Subject: a\r\nX: y\r\n\r\nbody 1\r\nbody 2\r\n.dot\r\n";

std::optional<std::string> lookup(const fixture_message_ref& ref) {
  if (ref.number == 1) return fixture_one;
  return std::nullopt;
}

outcome_check check(const outcome& o, const observation& seen,
                    protocol_kind p = protocol_kind::pop3, const variable_map& vars = {}) {
  return check_outcome(o, p, seen, vars, lookup);
}

outcome status(std::string s) {
  outcome o;
  o.status = std::move(s);
  return o;
}

TEST(MatcherTest, StatusIsExactAndCaseSensitive) {
  EXPECT_TRUE(check(status("+OK"), line("+OK 2 320")).matched);
  EXPECT_TRUE(check(status("+OK"), line("+OK")).matched);  // RFC 1957: no space needed
  EXPECT_FALSE(check(status("+OK"), line("+ok")).matched);
  EXPECT_FALSE(check(status("+OK"), line("+OKAY")).matched);
  auto c = check(status("-ERR"), line("+OK fine"));
  EXPECT_EQ(c.mismatch, "status is \"+OK\", expected -ERR (line \"+OK fine\")");
}

TEST(MatcherTest, Pop2StatusNeedsDigitsForCountAndLength) {
  EXPECT_TRUE(check(status("#"), line("#3"), protocol_kind::pop2).matched);
  EXPECT_FALSE(check(status("#"), line("# 3"), protocol_kind::pop2).matched);
  EXPECT_TRUE(check(status("-"), line("- no"), protocol_kind::pop2).matched);
}

TEST(MatcherTest, MatchCapturesNamedGroups) {
  outcome o;
  o.match = text_template{R"(^\+OK (?<count>\d+) (?<size>\d+)$)"};
  auto c = check(o, line("+OK 7 1234"));
  ASSERT_TRUE(c.matched);
  EXPECT_EQ(c.captures["count"], "7");
  EXPECT_EQ(c.captures["size"], "1234");
  EXPECT_FALSE(check(o, line("+OK 7 1234 extra")).matched);
}

TEST(MatcherTest, MatchExpandsVariablesLiterally) {
  outcome o;
  o.match = text_template{"^\\+OK 1 ${uid}$"};
  EXPECT_TRUE(check(o, line("+OK 1 a.b"), protocol_kind::pop3, {{"uid", "a.b"}}).matched);
  EXPECT_FALSE(check(o, line("+OK 1 axb"), protocol_kind::pop3, {{"uid", "a.b"}}).matched);
}

TEST(MatcherTest, UndefinedVariableIsAnErrorNotAMismatch) {
  outcome o;
  o.match = text_template{"${missing}"};
  auto c = check(o, line("+OK"));
  EXPECT_FALSE(c.matched);
  EXPECT_NE(c.error.find("${missing}"), std::string::npos);
}

TEST(MatcherTest, ExactLinesInOrder) {
  outcome o = status("+OK");
  o.lines = std::vector<text_template>{{"1 10"}, {"2 20"}};
  EXPECT_TRUE(check(o, data("+OK", {"1 10", "2 20"})).matched);
  auto c = check(o, data("+OK", {"1 10", "2 21"}));
  EXPECT_EQ(c.mismatch, "lines: line 2 is \"2 21\", expected \"2 20\"");
  EXPECT_FALSE(check(o, data("+OK", {"1 10"})).matched);
}

TEST(MatcherTest, SetIgnoresOrderButNotMultiplicity) {
  outcome o = status("+OK");
  o.set = std::vector<text_template>{{"TOP"}, {"UIDL"}, {"USER"}};
  EXPECT_TRUE(check(o, data("+OK", {"USER", "TOP", "UIDL"})).matched);
  EXPECT_FALSE(check(o, data("+OK", {"USER", "TOP", "UIDL", "UIDL"})).matched);
  EXPECT_FALSE(check(o, data("+OK", {"USER", "TOP"})).matched);
}

TEST(MatcherTest, ContainsLineCountEveryLineAndOctets) {
  outcome o = status("+OK");
  o.contains = std::vector<text_template>{{"2 20"}};
  o.line_count = count_range{std::nullopt, 1, 3};
  o.every_line = text_template{"^\\d+ \\d+$"};
  o.octets = number_template{{"12"}};
  EXPECT_TRUE(check(o, data("+OK", {"1 10", "2 20"})).matched);
  EXPECT_FALSE(check(o, data("+OK", {"1 10", "2 2x"})).matched);
  auto too_many = check(o, data("+OK", {"1 10", "2 20", "3 30", "4 40"}));
  EXPECT_EQ(too_many.mismatch, "4 data lines, expected at most 3");
}

TEST(MatcherTest, MessageComparesUnstuffedDataWithTheFixtureOctetForOctet) {
  outcome o = status("+OK");
  o.message = fixture_message_ref{1, ""};
  EXPECT_TRUE(
      check(o, data("+OK", {"Subject: a", "X: y", "", "body 1", "body 2", ".dot"})).matched);
  auto c = check(o, data("+OK", {"Subject: a", "X: y", "", "body 1", "body 2", "dot"}));
  EXPECT_FALSE(c.matched);
  EXPECT_NE(c.mismatch.find("data differs from fixture message 1"), std::string::npos);
}

TEST(MatcherTest, TopOfComputesHeadersBlankLineAndBodyLines) {
  EXPECT_EQ(top_lines(fixture_one, 0), (std::vector<std::string>{"Subject: a", "X: y", ""}));
  EXPECT_EQ(top_lines(fixture_one, 2),
            (std::vector<std::string>{"Subject: a", "X: y", "", "body 1", "body 2"}));
  EXPECT_EQ(top_lines(fixture_one, 99).size(), 6u);
  EXPECT_EQ(top_lines("A: b\r\nC: d\r\n", 5).size(), 2u);  // no body: the whole message
  outcome o = status("+OK");
  o.top_of = top_spec{{1, ""}, 1};
  EXPECT_TRUE(check(o, data("+OK", {"Subject: a", "X: y", "", "body 1"})).matched);
  EXPECT_FALSE(check(o, data("+OK", {"Subject: a", "X: y", "", "body 1", "body 2"})).matched);
}

TEST(MatcherTest, DataChecksNeedMultiLineData) {
  outcome o = status("+OK");
  o.line_count = count_range{number_template{{"0"}}, std::nullopt, std::nullopt};
  EXPECT_EQ(check(o, line("+OK")).mismatch, "expected multi-line data, got a single-line response");
}

TEST(MatcherTest, Pop2DataMustHaveTheAnnouncedLengthAndContent) {
  outcome o;
  o.data_octets = number_template{{"${len}"}};
  o.message = fixture_message_ref{1, ""};
  observation seen;
  seen.pop2_data = true;
  seen.data = fixture_one;
  variable_map vars{{"len", std::to_string(fixture_one.size())}};
  EXPECT_TRUE(check(o, seen, protocol_kind::pop2, vars).matched);
  seen.data.pop_back();
  EXPECT_FALSE(check(o, seen, protocol_kind::pop2, vars).matched);
}

TEST(MatcherTest, ClosedAndSilenceMatchOnlyThoseEndings) {
  outcome closed;
  closed.closed = true;
  EXPECT_TRUE(check(closed, ended(response_end::closed)).matched);
  EXPECT_FALSE(check(closed, line("-ERR")).matched);
  EXPECT_FALSE(check(closed, ended(response_end::closed_midway)).matched);
  outcome quiet;
  quiet.silence_ms = 100;
  EXPECT_TRUE(check(quiet, ended(response_end::silence)).matched);
  EXPECT_FALSE(check(quiet, line("+OK")).matched);
  EXPECT_FALSE(check(status("+OK"), ended(response_end::timeout)).matched);
}

TEST(MatcherTest, ThenClosedNeedsTheServerToClose) {
  outcome o = status("+OK");
  o.then_closed = true;
  observation seen = line("+OK bye");
  EXPECT_FALSE(check(o, seen).matched);
  seen.closed_after = true;
  EXPECT_TRUE(check(o, seen).matched);
}

TEST(MatcherTest, SyntaxViolationsFailUnlessAllowed) {
  observation seen = line("+OK");
  seen.violations.push_back("bare_lf at octet 3");
  outcome o = status("+OK");
  EXPECT_EQ(check(o, seen).mismatch, "malformed response: bare_lf at octet 3");
  o.allow_malformed = true;
  EXPECT_TRUE(check(o, seen).matched);
}

TEST(MatcherTest, FirstMatchingAlternativeWinsWithItsVerdict) {
  expectation e;
  e.any_of.push_back(status("-ERR"));
  outcome soft = status("+OK");
  soft.result = verdict::non_strict;
  soft.note = "allowed but discouraged";
  e.any_of.push_back(soft);
  auto c = check_expectation(e, protocol_kind::pop3, line("+OK"), {}, lookup);
  ASSERT_TRUE(c.matched);
  EXPECT_EQ(*c.matched, 1u);
  EXPECT_EQ(c.result, verdict::non_strict);
  EXPECT_EQ(c.note, "allowed but discouraged");
  auto none = check_expectation(e, protocol_kind::pop3, line("+ok"), {}, lookup);
  EXPECT_FALSE(none.matched);
  EXPECT_EQ(none.mismatches.size(), 2u);
}

TEST(MatcherTest, DescriptionsNameWhatWasExpectedAndSeen) {
  outcome o = status("+OK");
  o.then_closed = true;
  EXPECT_EQ(describe_outcome(o, {}), "status +OK, then the server closes the connection");
  EXPECT_EQ(describe_observation(ended(response_end::closed)),
            "the server closed the connection without answering");
  EXPECT_EQ(describe_observation(data("+OK 2", {"a", "b"})),
            "\"+OK 2\" with 2 data lines (6 octets)");
}

TEST(MatcherTest, CaptureTakesNamedGroupsFromTheFirstMatchingDataLine) {
  outcome o = status("+OK");
  o.capture = std::vector<text_template>{{"^(?<top>TOP(?: .*)?)$"}, {"^SASL (?<mechs>.*)$"}};
  auto c = check(o, data("+OK", {"USER", "TOP", "SASL PLAIN", "TOP again", "SASL X"}));
  ASSERT_TRUE(c.matched) << c.mismatch << c.error;
  EXPECT_EQ(c.captures["top"], "TOP");
  EXPECT_EQ(c.captures["mechs"], "PLAIN");
}

TEST(MatcherTest, CaptureWithNoMatchingLineDefinesEmptyVariablesAndStillMatches) {
  outcome o = status("+OK");
  o.capture = std::vector<text_template>{{"^(?<expire>EXPIRE .*)$"}};
  auto c = check(o, data("+OK", {"USER"}));
  ASSERT_TRUE(c.matched) << c.mismatch << c.error;
  ASSERT_EQ(c.captures.count("expire"), 1u);
  EXPECT_EQ(c.captures["expire"], "");
}

TEST(MatcherTest, LaterCapturesSeeEarlierOnesEscaped) {
  // The second regex skips the line the first one took: a way to walk a list line by line.
  outcome o = status("+OK");
  o.capture = std::vector<text_template>{{"^(?<l1>.+)$"}, {"^(?!${l1}$)(?<l2>.+)$"}};
  auto c = check(o, data("+OK", {"A.B", "AxB", "C"}));
  ASSERT_TRUE(c.matched) << c.mismatch << c.error;
  EXPECT_EQ(c.captures["l1"], "A.B");
  EXPECT_EQ(c.captures["l2"], "AxB");  // "." in ${l1} is literal, so "AxB" is another line
}

TEST(MatcherTest, AnOutcomeThatDoesNotMatchCapturesNothing) {
  outcome o = status("+OK");
  o.line_count = count_range{number_template{{"5"}}, std::nullopt, std::nullopt};
  o.capture = std::vector<text_template>{{"^(?<first>.+)$"}};
  auto c = check(o, data("+OK", {"A"}));
  EXPECT_FALSE(c.matched);
  EXPECT_TRUE(c.captures.empty());
}

observation pop2_data_read(std::string octets, response_end end, std::uint64_t announced) {
  observation o;
  o.end = end;
  o.pop2_data = true;
  o.announced = announced;
  o.data = std::move(octets);
  o.octets = o.data.size();
  return o;
}

TEST(MatcherTest, Pop2DataReadEndedByAMinusLineAndACloseMatchesAReplyOutcome) {
  outcome minus = status("-");
  minus.then_closed = true;
  auto seen = pop2_data_read("- unknown command\r\n", response_end::closed_midway, 277);
  auto c = check(minus, seen, protocol_kind::pop2);
  EXPECT_TRUE(c.matched) << c.mismatch;
  EXPECT_FALSE(check(status("="), seen, protocol_kind::pop2).matched);
  // The data outcome still sees a short read.
  outcome data_out;
  data_out.data_octets = number_template{{"277"}};
  EXPECT_FALSE(check(data_out, seen, protocol_kind::pop2).matched);
}

TEST(MatcherTest, Pop2DataCutShortIsNotAReplyLine) {
  // More than one line, or a line without its end, is data cut short, not a reply.
  auto two = pop2_data_read("-\r\nmore\r\n", response_end::closed_midway, 277);
  EXPECT_FALSE(check(status("-"), two, protocol_kind::pop2).matched);
  auto partial = pop2_data_read("- no", response_end::closed_midway, 277);
  EXPECT_FALSE(check(status("-"), partial, protocol_kind::pop2).matched);
  auto timed_out = pop2_data_read("-\r\n", response_end::timeout_midway, 277);
  EXPECT_FALSE(check(status("-"), timed_out, protocol_kind::pop2).matched);
}

}  // namespace
}  // namespace popspec::harness
