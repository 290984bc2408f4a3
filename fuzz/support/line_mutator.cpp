#include "support/line_mutator.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace popspec::fuzz {
namespace {

// Values where number parsing and range checks usually break: zero, the first messages, byte and
// 32/64-bit boundaries, numbers no integer type holds, signs and leading zeros.
constexpr std::array<std::string_view, 22> edge_numbers{"0",
                                                        "1",
                                                        "2",
                                                        "3",
                                                        "9",
                                                        "10",
                                                        "11",
                                                        "255",
                                                        "256",
                                                        "65536",
                                                        "2147483648",
                                                        "4294967295",
                                                        "4294967296",
                                                        "9223372036854775808",
                                                        "18446744073709551615",
                                                        "18446744073709551616",
                                                        "99999999999999999999999999",
                                                        "-1",
                                                        "+1",
                                                        "01",
                                                        "00",
                                                        ""};

std::size_t pick(std::minstd_rand& rng, std::size_t bound) {
  return bound == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, bound - 1)(rng);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// minstd_rand's first outputs for nearby seeds are nearly proportional to the seed; mixing the
// seed first (a 32-bit finaliser in the style of MurmurHash3's fmix32) decorrelates them.
std::minstd_rand make_rng(unsigned int seed) {
  std::uint32_t h = seed;
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return std::minstd_rand(h % 0x7ffffffeu + 1u);
}

std::string random_case(std::string_view word, std::minstd_rand& rng) {
  std::string s(word);
  switch (pick(rng, 4)) {
    case 0:  // lower case
      for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      break;
    case 1:  // one letter flipped
      if (!s.empty()) {
        char& c = s[pick(rng, s.size())];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      break;
    default:
      break;
  }
  return s;
}

bool mutate_number(std::string& text, std::minstd_rand& rng) {
  // Collect the digit runs.
  std::vector<std::pair<std::size_t, std::size_t>> runs;
  for (std::size_t i = 0; i < text.size();) {
    if (!is_digit(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && is_digit(text[j])) ++j;
    runs.emplace_back(i, j - i);
    i = j;
  }
  if (runs.empty()) return false;
  const auto [start, length] = runs[pick(rng, runs.size())];
  const std::string original = text.substr(start, length);
  std::string replacement = original;
  for (int attempt = 0; attempt < 4 && replacement == original; ++attempt) {
    if (length <= 18 && pick(rng, 3) == 0) {
      // Nudge into off-by-one territory around the value that is there: -2, -1, +1 or +2.
      const long long delta = static_cast<long long>(pick(rng, 4)) - 2;
      replacement = std::to_string(std::stoll(original) + (delta >= 0 ? delta + 1 : delta));
    } else {
      replacement = edge_numbers[pick(rng, edge_numbers.size())];
    }
  }
  if (replacement == original) return false;
  text.replace(start, length, replacement);
  return true;
}

std::string mutate_bytes(std::string_view text, std::size_t max_size, byte_mutator fallback) {
  const std::size_t capacity =
      std::max<std::size_t>(std::min<std::size_t>(max_size, text.size() * 2 + 16), text.size());
  std::vector<std::uint8_t> buffer(capacity == 0 ? 1 : capacity);
  if (!text.empty()) std::memcpy(buffer.data(), text.data(), text.size());
  const std::size_t n = fallback(buffer.data(), text.size(), capacity);
  return std::string(reinterpret_cast<const char*>(buffer.data()), std::min(n, capacity));
}

}  // namespace

std::vector<wire_line> split_wire_lines(std::string_view input) {
  std::vector<wire_line> lines;
  std::size_t start = 0;
  while (start < input.size()) {
    const std::size_t lf = input.find('\n', start);
    if (lf == std::string_view::npos) {
      lines.push_back({std::string(input.substr(start)), line_end::none});
      break;
    }
    if (lf > start && input[lf - 1] == '\r')
      lines.push_back({std::string(input.substr(start, lf - 1 - start)), line_end::crlf});
    else
      lines.push_back({std::string(input.substr(start, lf - start)), line_end::lf});
    start = lf + 1;
  }
  return lines;
}

std::string join_wire_lines(const std::vector<wire_line>& lines) {
  std::string out;
  for (const auto& line : lines) {
    out += line.text;
    if (line.end == line_end::crlf) out += "\r\n";
    if (line.end == line_end::lf) out += '\n';
  }
  return out;
}

bool apply_line_mutation(line_mutation op, std::vector<wire_line>& lines, std::minstd_rand& rng,
                         const line_vocabulary& vocab, byte_mutator fallback,
                         std::size_t max_size) {
  // Only the last line may lack a terminator; a line moved elsewhere gets a CRLF.
  const auto normalise = [&lines] {
    for (std::size_t i = 0; i + 1 < lines.size(); ++i)
      if (lines[i].end == line_end::none) lines[i].end = line_end::crlf;
  };
  const std::size_t n = lines.size();
  switch (op) {
    case line_mutation::insert_line: {
      wire_line line;
      if (n > 0 && (vocab.lines.empty() || pick(rng, 4) == 0)) {
        line = lines[pick(rng, n)];
        line.end = line_end::crlf;
      } else if (!vocab.lines.empty()) {
        line.text = std::string(vocab.lines[pick(rng, vocab.lines.size())]);
      } else {
        return false;
      }
      lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(pick(rng, n + 1)), line);
      normalise();
      return true;
    }
    case line_mutation::drop_line:
      if (n == 0) return false;
      lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(pick(rng, n)));
      return true;
    case line_mutation::duplicate_line: {
      if (n == 0) return false;
      const std::size_t i = pick(rng, n);
      const wire_line copy = lines[i];
      lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(i) + 1, copy);
      normalise();
      return true;
    }
    case line_mutation::swap_lines: {
      if (n < 2) return false;
      const std::size_t i = pick(rng, n);
      std::size_t j = pick(rng, n - 1);
      if (j >= i) ++j;
      std::swap(lines[i].text, lines[j].text);
      return true;
    }
    case line_mutation::swap_keyword: {
      if (n == 0 || vocab.keywords.empty()) return false;
      auto& text = lines[pick(rng, n)].text;
      const std::size_t space = text.find(' ');
      const std::size_t end = space == std::string::npos ? text.size() : space;
      text.replace(0, end, random_case(vocab.keywords[pick(rng, vocab.keywords.size())], rng));
      return true;
    }
    case line_mutation::mutate_number: {
      if (n == 0) return false;
      // Prefer a line that has digits: try a few random ones.
      for (int attempt = 0; attempt < 4; ++attempt)
        if (mutate_number(lines[pick(rng, n)].text, rng)) return true;
      return false;
    }
    case line_mutation::toggle_crlf: {
      if (n == 0) return false;
      auto& line = lines[pick(rng, n)];
      if (line.end == line_end::none) return false;
      line.end = line.end == line_end::crlf ? line_end::lf : line_end::crlf;
      return true;
    }
    case line_mutation::leading_dot: {
      if (n == 0) return false;
      lines[pick(rng, n)].text.insert(0, pick(rng, 2) == 0 ? "." : "..");
      return true;
    }
    case line_mutation::bytes_in_line: {
      if (n == 0 || fallback == nullptr) return false;
      auto& text = lines[pick(rng, n)].text;
      text = mutate_bytes(text, max_size, fallback);
      return true;
    }
    case line_mutation::bytes_anywhere: {
      if (fallback == nullptr) return false;
      lines = split_wire_lines(mutate_bytes(join_wire_lines(lines), max_size, fallback));
      return true;
    }
  }
  return false;
}

std::size_t mutate_lines(std::uint8_t* data, std::size_t size, std::size_t max_size,
                         unsigned int seed, const line_vocabulary& vocab, byte_mutator fallback) {
  std::minstd_rand rng = make_rng(seed);
  auto lines = split_wire_lines(std::string_view(reinterpret_cast<const char*>(data), size));
  const auto op = static_cast<line_mutation>(pick(rng, line_mutation_count));
  if (apply_line_mutation(op, lines, rng, vocab, fallback, max_size)) {
    const std::string result = join_wire_lines(lines);
    if (result.size() <= max_size) {
      if (!result.empty()) std::memcpy(data, result.data(), result.size());
      return result.size();
    }
  }
  return fallback != nullptr ? fallback(data, size, max_size) : size;
}

std::size_t cross_over_lines(const std::uint8_t* a, std::size_t a_size, const std::uint8_t* b,
                             std::size_t b_size, std::uint8_t* out, std::size_t max_out,
                             unsigned int seed) {
  std::minstd_rand rng = make_rng(seed);
  auto first = split_wire_lines(std::string_view(reinterpret_cast<const char*>(a), a_size));
  const auto second = split_wire_lines(std::string_view(reinterpret_cast<const char*>(b), b_size));
  first.resize(pick(rng, first.size() + 1));
  for (auto& line : first)
    if (line.end == line_end::none) line.end = line_end::crlf;
  first.insert(first.end(),
               second.begin() + static_cast<std::ptrdiff_t>(pick(rng, second.size() + 1)),
               second.end());
  const std::string result = join_wire_lines(first);
  const std::size_t n = std::min(result.size(), max_out);
  if (n > 0) std::memcpy(out, result.data(), n);
  return n;
}

}  // namespace popspec::fuzz
