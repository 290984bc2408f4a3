#include "popspec/codec/line_framer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace popspec::codec {
namespace {

std::vector<line_event> drain(line_framer& framer) {
  std::vector<line_event> events;
  while (auto event = framer.next()) events.push_back(std::move(*event));
  return events;
}

std::vector<line_event> frame_whole(std::string_view input, std::size_t max_line) {
  line_framer framer(max_line);
  framer.feed(input);
  return drain(framer);
}

line_event ev(line_kind kind, std::string text) {
  return {kind, std::move(text)};
}

TEST(LineFramerTest, SplitsCrlfTerminatedLines) {
  EXPECT_EQ(
      frame_whole("USER bob\r\nPASS x\r\n", 255),
      (std::vector<line_event>{ev(line_kind::line, "USER bob"), ev(line_kind::line, "PASS x")}));
}

TEST(LineFramerTest, ReportsEmptyLine) {
  EXPECT_EQ(frame_whole("\r\n", 255), (std::vector<line_event>{ev(line_kind::line, "")}));
}

TEST(LineFramerTest, ReportsLoneLineFeedAsBareLf) {
  EXPECT_EQ(frame_whole("STAT\nNOOP\r\n", 255),
            (std::vector<line_event>{ev(line_kind::bare_lf, "STAT"), ev(line_kind::line, "NOOP")}));
}

TEST(LineFramerTest, KeepsCrNotFollowedByLfInTheText) {
  EXPECT_EQ(frame_whole("A\rB\r\n", 255), (std::vector<line_event>{ev(line_kind::line, "A\rB")}));
  EXPECT_EQ(frame_whole("A\r\r\n", 255), (std::vector<line_event>{ev(line_kind::line, "A\r")}));
}

TEST(LineFramerTest, HoldsAnUnterminatedLineUntilItsTerminatorArrives) {
  line_framer framer(255);
  framer.feed("NOO");
  EXPECT_FALSE(framer.next().has_value());
  EXPECT_EQ(framer.pending(), 3u);
  framer.feed("P\r");
  EXPECT_FALSE(framer.next().has_value());
  EXPECT_EQ(framer.pending(), 5u);
  framer.feed("\n");
  EXPECT_EQ(framer.next(), ev(line_kind::line, "NOOP"));
  EXPECT_EQ(framer.pending(), 0u);
  EXPECT_FALSE(framer.next().has_value());
}

TEST(LineFramerTest, AcceptsALineOfExactlyMaxLineOctetsIncludingCrlf) {
  const std::string text(8, 'a');
  EXPECT_EQ(frame_whole(text + "\r\n", 10), (std::vector<line_event>{ev(line_kind::line, text)}));
}

TEST(LineFramerTest, RejectsALineOneOctetOverMaxLine) {
  const std::string text(9, 'a');
  EXPECT_EQ(
      frame_whole(text + "\r\nOK\r\n", 10),
      (std::vector<line_event>{ev(line_kind::too_long, text + "\r"), ev(line_kind::line, "OK")}));
}

TEST(LineFramerTest, CountsABareLfTerminatorAsOneOctet) {
  EXPECT_EQ(frame_whole(std::string(9, 'a') + "\n", 10),
            (std::vector<line_event>{ev(line_kind::bare_lf, std::string(9, 'a'))}));
  EXPECT_EQ(frame_whole(std::string(10, 'a') + "\n", 10),
            (std::vector<line_event>{ev(line_kind::too_long, std::string(10, 'a'))}));
}

TEST(LineFramerTest, ReportsAnOverlongLineOnceWithOnlyItsHead) {
  const std::string head(16, 'h');
  const std::string input = head + std::string(10000, 'x') + "\r\nNOOP\r\n";
  EXPECT_EQ(frame_whole(input, 16),
            (std::vector<line_event>{ev(line_kind::too_long, head), ev(line_kind::line, "NOOP")}));
}

TEST(LineFramerTest, EndsAnOverlongLineAtABareLfToo) {
  EXPECT_EQ(frame_whole(std::string(50, 'x') + "\nQUIT\r\n", 8),
            (std::vector<line_event>{ev(line_kind::too_long, std::string(8, 'x')),
                                     ev(line_kind::line, "QUIT")}));
}

TEST(LineFramerTest, KeepsMemoryBoundedWhileDiscardingAHugeLine) {
  line_framer framer(32);
  const std::string chunk(4096, 'z');
  for (int i = 0; i < 256; ++i) {
    framer.feed(chunk);
    EXPECT_LE(framer.pending(), framer.max_line());
    EXPECT_FALSE(framer.next().has_value());
  }
  framer.feed("\r\n");
  EXPECT_EQ(framer.next(), ev(line_kind::too_long, std::string(32, 'z')));
  EXPECT_EQ(framer.pending(), 0u);
}

TEST(LineFramerTest, PendingNeverExceedsMaxLine) {
  line_framer framer(4);
  for (char c : std::string("abcdefgh\r\nab\rcd")) {
    framer.feed(std::string_view(&c, 1));
    EXPECT_LE(framer.pending(), 4u);
  }
}

TEST(LineFramerTest, ZeroMaxLineRejectsEveryLine) {
  EXPECT_EQ(frame_whole("\r\n\n", 0),
            (std::vector<line_event>{ev(line_kind::too_long, ""), ev(line_kind::too_long, "")}));
}

TEST(LineFramerTest, InterleavedFeedAndNextKeepOrder) {
  line_framer framer(255);
  framer.feed("A\r\nB");
  EXPECT_EQ(framer.next(), ev(line_kind::line, "A"));
  framer.feed("\r\nC\n");
  EXPECT_EQ(framer.next(), ev(line_kind::line, "B"));
  EXPECT_EQ(framer.next(), ev(line_kind::bare_lf, "C"));
  EXPECT_FALSE(framer.next().has_value());
}

// The same input framed whole, split at every single point and at every pair of points, and fed
// one octet at a time must give the same events.
TEST(LineFramerTest, GivesTheSameEventsWhateverTheChunking) {
  const std::vector<std::pair<std::string, std::size_t>> cases = {
      {"USER bob\r\nPASS a b c\r\nSTAT\r\n", 255},
      {"x\ny\r\n\r\n\n", 255},
      {"A\rB\r\r\n\r", 255},
      {"0123456789\r\nabc\r\n012345678\r\n0123456789abcdef\nq\r\n", 11},
      {"toolongline\r\ntoolonglinetoo\nok\r\n", 5},
      {"\r\r\r\r\r\r\r\r\n\r\n", 4},
  };
  for (const auto& [input, max_line] : cases) {
    const auto expected = frame_whole(input, max_line);
    for (std::size_t i = 0; i <= input.size(); ++i) {
      for (std::size_t j = i; j <= input.size(); ++j) {
        line_framer framer(max_line);
        framer.feed(std::string_view(input).substr(0, i));
        framer.feed(std::string_view(input).substr(i, j - i));
        framer.feed(std::string_view(input).substr(j));
        EXPECT_EQ(drain(framer), expected) << "input " << input << " split at " << i << "," << j;
      }
    }
    line_framer bytewise(max_line);
    std::vector<line_event> got;
    for (char c : input) {
      bytewise.feed(std::string_view(&c, 1));
      for (auto e : drain(bytewise)) got.push_back(std::move(e));
    }
    EXPECT_EQ(got, expected) << "input " << input << " fed one octet at a time";
  }
}

TEST(LineFramerTest, EmptyFeedChangesNothing) {
  line_framer framer(10);
  framer.feed("");
  EXPECT_FALSE(framer.next().has_value());
  EXPECT_EQ(framer.pending(), 0u);
}

}  // namespace
}  // namespace popspec::codec
