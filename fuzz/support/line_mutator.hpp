#pragma once
// A line-aware mutator for the session targets, whose inputs are wire transcripts (client lines
// separated by CRLF). Byte-level mutation almost always breaks the one thing that makes a
// transcript interesting, the sequence of well-formed commands; these mutations work on whole
// lines instead: insert, drop, duplicate or swap command lines, swap a keyword for another, push
// numbers to their edges, toggle CRLF/LF, inject leading dots. Byte-level mutation (libFuzzer's
// LLVMFuzzerMutate) stays in the mix, within one line or over the whole input.
//
// Used from LLVMFuzzerCustomMutator / LLVMFuzzerCustomCrossOver (see session_mutator.hpp); kept
// free of libFuzzer so it is unit-tested in the ordinary build.
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace popspec::fuzz {

// libFuzzer's LLVMFuzzerMutate: mutates data[0, size) in place (capacity max_size), returns the
// new size.
using byte_mutator = std::size_t (*)(std::uint8_t* data, std::size_t size, std::size_t max_size);

// What the mutator may put into a transcript for one protocol.
struct line_vocabulary {
  std::span<const std::string_view> keywords;  // command keywords, upper case
  std::span<const std::string_view> lines;     // whole command lines, without CRLF
};

enum class line_end { crlf, lf, none };  // none: the unterminated tail of the input

struct wire_line {
  std::string text;
  line_end end = line_end::crlf;

  friend bool operator==(const wire_line&, const wire_line&) = default;
};

// Splits at every LF ("\r\n" -> crlf, lone "\n" -> lf); a non-empty tail without LF is `none`.
// join_wire_lines(split_wire_lines(x)) == x for every x.
std::vector<wire_line> split_wire_lines(std::string_view input);
std::string join_wire_lines(const std::vector<wire_line>& lines);

enum class line_mutation {
  insert_line,  // a vocabulary line (or a copy of an existing line) at a random position
  drop_line,
  duplicate_line,  // a copy right after the original
  swap_lines,
  swap_keyword,    // the first word of a line becomes another keyword (sometimes in lower case)
  mutate_number,   // a run of digits becomes an edge value (0, 2^32, 2^64, ...) or moves by +-2
  toggle_crlf,     // CRLF <-> LF on one line
  leading_dot,     // "." or ".." in front of a line
  bytes_in_line,   // LLVMFuzzerMutate on one line's text
  bytes_anywhere,  // LLVMFuzzerMutate on the whole input
};
inline constexpr std::size_t line_mutation_count = 10;

// Applies `op` to `lines`. Returns false when it cannot apply (e.g. dropping from no lines).
// bytes_* use `fallback` (and need it non-null).
bool apply_line_mutation(line_mutation op, std::vector<wire_line>& lines, std::minstd_rand& rng,
                         const line_vocabulary& vocab, byte_mutator fallback, std::size_t max_size);

// One libFuzzer mutation: a random line_mutation chosen by `seed`, falling back to `fallback` on
// the whole input when the chosen one cannot apply or the result would exceed max_size.
std::size_t mutate_lines(std::uint8_t* data, std::size_t size, std::size_t max_size,
                         unsigned int seed, const line_vocabulary& vocab, byte_mutator fallback);

// LLVMFuzzerCustomCrossOver: the first lines of `a` followed by the last lines of `b`.
std::size_t cross_over_lines(const std::uint8_t* a, std::size_t a_size, const std::uint8_t* b,
                             std::size_t b_size, std::uint8_t* out, std::size_t max_out,
                             unsigned int seed);

}  // namespace popspec::fuzz
