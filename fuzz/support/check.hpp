#pragma once
// Invariant checks for fuzz targets. A violated invariant is a bug exactly like a crash: it prints
// what was expected and what happened, then aborts so libFuzzer saves the input. The first line
// it prints ("popspec fuzz invariant violated at FILE:LINE") is what fuzz/campaign.py groups
// crashes by, so each distinct broken invariant becomes one entry in the summary.
#include <cstddef>
#include <string>
#include <string_view>

namespace popspec::fuzz {

// Prints the report to stderr and aborts. `detail` says what was expected and what was seen.
[[noreturn]] void invariant_failed(const char* file, int line, const char* condition,
                                   std::string_view detail);

// Makes octets printable for a report (codec::escape_bytes), cut after `max` octets.
std::string show(std::string_view bytes, std::size_t max = 400);

}  // namespace popspec::fuzz

// `detail` is only evaluated when `condition` is false, so building it may be expensive.
#define POPSPEC_FUZZ_CHECK(condition, detail)                                                      \
  do {                                                                                             \
    if (!(condition)) ::popspec::fuzz::invariant_failed(__FILE__, __LINE__, #condition, (detail)); \
  } while (false)
