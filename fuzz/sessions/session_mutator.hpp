#pragma once
// Wires the line-aware mutator into libFuzzer for a session target:
//   POPSPEC_FUZZ_LINE_MUTATOR(popspec::fuzz::pop3_vocabulary())
// defines LLVMFuzzerCustomMutator and LLVMFuzzerCustomCrossOver. LLVMFuzzerMutate is declared
// weak so the same target also links into the plain replay driver, which never mutates.
#include <cstddef>
#include <cstdint>

#include "sessions/vocabulary.hpp"
#include "support/line_mutator.hpp"

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size)
    __attribute__((weak));

#define POPSPEC_FUZZ_LINE_MUTATOR(vocabulary)                                                      \
  extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,             \
                                                 std::size_t max_size, unsigned int seed) {        \
    return ::popspec::fuzz::mutate_lines(data, size, max_size, seed, (vocabulary),                 \
                                         LLVMFuzzerMutate);                                        \
  }                                                                                                \
  extern "C" std::size_t LLVMFuzzerCustomCrossOver(                                                \
      const std::uint8_t* data1, std::size_t size1, const std::uint8_t* data2, std::size_t size2,  \
      std::uint8_t* out, std::size_t max_out_size, unsigned int seed) {                            \
    return ::popspec::fuzz::cross_over_lines(data1, size1, data2, size2, out, max_out_size, seed); \
  }
