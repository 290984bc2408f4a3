// The line-aware custom mutator of the session targets (support/line_mutator.hpp).
#include "support/line_mutator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <set>
#include <string>
#include <vector>

namespace popspec::fuzz {
namespace {

constexpr std::array<std::string_view, 3> keywords{"STAT", "LIST", "QUIT"};
constexpr std::array<std::string_view, 2> lines{"NOOP", "RETR 1"};
const line_vocabulary vocab{keywords, lines};

// Stands in for LLVMFuzzerMutate: appends one 'X' if there is room.
std::size_t append_x(std::uint8_t* data, std::size_t size, std::size_t max_size) {
  if (size >= max_size) return size;
  data[size] = 'X';
  return size + 1;
}

std::vector<std::string> texts(const std::vector<wire_line>& ls) {
  std::vector<std::string> out;
  for (const auto& l : ls) out.push_back(l.text);
  return out;
}

const std::string transcript = "USER a\r\nPASS b\r\nRETR 12\nQUIT";

TEST(LineMutatorTest, SplitAndJoinReproduceAnyInputExactly) {
  for (const std::string& input :
       {std::string(), std::string("\n"), std::string("\r\n\r\n"), std::string("a\rb\r\nc"),
        transcript, std::string("\r"), std::string("x\n\ny")}) {
    EXPECT_EQ(join_wire_lines(split_wire_lines(input)), input);
  }
}

TEST(LineMutatorTest, SplitTellsCrlfFromBareLfAndTheUnterminatedTail) {
  const auto ls = split_wire_lines(transcript);
  ASSERT_EQ(ls.size(), 4u);
  EXPECT_EQ(ls[0], (wire_line{"USER a", line_end::crlf}));
  EXPECT_EQ(ls[2], (wire_line{"RETR 12", line_end::lf}));
  EXPECT_EQ(ls[3], (wire_line{"QUIT", line_end::none}));
}

class LineMutationTest : public ::testing::Test {
 protected:
  std::vector<wire_line> ls = split_wire_lines(transcript);
  std::minstd_rand rng{42};
  bool apply(line_mutation op) { return apply_line_mutation(op, ls, rng, vocab, append_x, 4096); }
};

TEST_F(LineMutationTest, InsertAddsOneCrlfLineFromTheVocabularyOrTheInput) {
  for (int i = 0; i < 20; ++i) {
    ls = split_wire_lines(transcript);
    ASSERT_TRUE(apply(line_mutation::insert_line));
    ASSERT_EQ(ls.size(), 5u);
    const std::set<std::string> allowed{"NOOP", "RETR 1", "USER a", "PASS b", "RETR 12", "QUIT"};
    for (const auto& t : texts(ls)) EXPECT_TRUE(allowed.count(t)) << t;
    // Only the last line may be unterminated.
    for (std::size_t k = 0; k + 1 < ls.size(); ++k) EXPECT_NE(ls[k].end, line_end::none);
  }
}

TEST_F(LineMutationTest, DropRemovesOneLine) {
  ASSERT_TRUE(apply(line_mutation::drop_line));
  EXPECT_EQ(ls.size(), 3u);
  ls.clear();
  EXPECT_FALSE(apply(line_mutation::drop_line));
}

TEST_F(LineMutationTest, DuplicatePutsACopyRightAfterTheOriginal) {
  ASSERT_TRUE(apply(line_mutation::duplicate_line));
  ASSERT_EQ(ls.size(), 5u);
  bool adjacent_pair = false;
  for (std::size_t k = 0; k + 1 < ls.size(); ++k) adjacent_pair |= ls[k].text == ls[k + 1].text;
  EXPECT_TRUE(adjacent_pair);
}

TEST_F(LineMutationTest, SwapKeepsTheSameLinesInAnotherOrder) {
  ASSERT_TRUE(apply(line_mutation::swap_lines));
  auto after = texts(ls);
  auto before = texts(split_wire_lines(transcript));
  EXPECT_NE(after, before);
  std::sort(after.begin(), after.end());
  std::sort(before.begin(), before.end());
  EXPECT_EQ(after, before);
}

TEST_F(LineMutationTest, SwapKeywordReplacesOnlyTheFirstWord) {
  ASSERT_TRUE(apply(line_mutation::swap_keyword));
  int changed = 0;
  const auto before = split_wire_lines(transcript);
  for (std::size_t k = 0; k < ls.size(); ++k) {
    if (ls[k].text == before[k].text) continue;
    ++changed;
    const auto space = before[k].text.find(' ');
    const std::string rest = space == std::string::npos ? "" : before[k].text.substr(space);
    std::string word = ls[k].text.substr(0, ls[k].text.size() - rest.size());
    for (char& c : word)
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    EXPECT_TRUE(word == "STAT" || word == "LIST" || word == "QUIT") << ls[k].text;
    EXPECT_TRUE(ls[k].text.ends_with(rest));
  }
  EXPECT_LE(changed, 1);
}

TEST_F(LineMutationTest, MutateNumberChangesADigitRunOnly) {
  ls = split_wire_lines("RETR 12\r\n");
  ASSERT_TRUE(apply(line_mutation::mutate_number));
  EXPECT_TRUE(ls[0].text.starts_with("RETR ")) << ls[0].text;
  EXPECT_NE(ls[0].text, "RETR 12");
  ls = split_wire_lines("NOOP\r\n");
  EXPECT_FALSE(apply(line_mutation::mutate_number));
}

TEST_F(LineMutationTest, ToggleCrlfFlipsOneTerminator) {
  ls = split_wire_lines("A\r\nB\r\n");
  ASSERT_TRUE(apply(line_mutation::toggle_crlf));
  const std::string joined = join_wire_lines(ls);
  EXPECT_TRUE(joined == "A\nB\r\n" || joined == "A\r\nB\n") << joined;
}

TEST_F(LineMutationTest, LeadingDotPrefixesOneOrTwoDots) {
  ls = split_wire_lines("RETR 1\r\n");
  ASSERT_TRUE(apply(line_mutation::leading_dot));
  EXPECT_TRUE(ls[0].text == ".RETR 1" || ls[0].text == "..RETR 1") << ls[0].text;
}

TEST_F(LineMutationTest, ByteMutationsUseTheFallback) {
  ls = split_wire_lines("A\r\n");
  ASSERT_TRUE(apply(line_mutation::bytes_in_line));
  EXPECT_EQ(join_wire_lines(ls), "AX\r\n");
  ASSERT_TRUE(apply(line_mutation::bytes_anywhere));
  EXPECT_EQ(join_wire_lines(ls), "AX\r\nX");
  EXPECT_FALSE(apply_line_mutation(line_mutation::bytes_in_line, ls, rng, vocab, nullptr, 64));
}

TEST(LineMutatorTest, MutateLinesIsDeterministicForASeedAndRespectsMaxSize) {
  std::array<std::uint8_t, 64> a{};
  std::array<std::uint8_t, 64> b{};
  std::memcpy(a.data(), transcript.data(), transcript.size());
  std::memcpy(b.data(), transcript.data(), transcript.size());
  for (unsigned seed = 1; seed < 200; ++seed) {
    std::size_t na = transcript.size();
    std::size_t nb = transcript.size();
    std::memcpy(a.data(), transcript.data(), na);
    std::memcpy(b.data(), transcript.data(), nb);
    na = mutate_lines(a.data(), na, a.size(), seed, vocab, append_x);
    nb = mutate_lines(b.data(), nb, b.size(), seed, vocab, append_x);
    ASSERT_LE(na, a.size());
    ASSERT_EQ(na, nb);
    ASSERT_EQ(0, std::memcmp(a.data(), b.data(), na)) << "seed " << seed;
  }
}

TEST(LineMutatorTest, CrossOverJoinsAHeadOfOneInputToATailOfTheOther) {
  const std::string a = "A1\r\nA2\r\n";
  const std::string b = "B1\r\nB2\r\n";
  std::set<std::string> seen;
  for (unsigned seed = 1; seed < 100; ++seed) {
    std::array<std::uint8_t, 64> out{};
    const std::size_t n = cross_over_lines(
        reinterpret_cast<const std::uint8_t*>(a.data()), a.size(),
        reinterpret_cast<const std::uint8_t*>(b.data()), b.size(), out.data(), out.size(), seed);
    const std::string result(reinterpret_cast<const char*>(out.data()), n);
    const auto ls = texts(split_wire_lines(result));
    // A prefix of a's lines, then a suffix of b's.
    std::size_t k = 0;
    while (k < ls.size() && ls[k][0] == 'A') ++k;
    for (std::size_t j = k; j < ls.size(); ++j) EXPECT_EQ(ls[j][0], 'B') << result;
    seen.insert(result);
  }
  EXPECT_GT(seen.size(), 3u);
}

}  // namespace
}  // namespace popspec::fuzz
