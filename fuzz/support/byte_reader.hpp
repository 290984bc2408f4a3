#pragma once
// Takes structured values from the fuzzer's input, front to back, in the spirit of libFuzzer's
// FuzzedDataProvider (which is not available to the g++ replay build). Running out of input is
// not an error: every read then yields zeros / empty strings, so a short input is still a valid
// (if boring) test case.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace popspec::fuzz {

class byte_reader {
 public:
  byte_reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  bool empty() const { return pos_ >= size_; }
  std::size_t remaining() const { return size_ - pos_; }

  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  bool flag() { return (byte() & 1u) != 0; }
  // A value in [0, bound) (0 when bound is 0), from one or two bytes.
  std::size_t below(std::size_t bound) {
    if (bound <= 1) return 0;
    std::size_t v = byte();
    if (bound > 256) v = (v << 8) | byte();
    return v % bound;
  }
  // A length-prefixed string of at most `max` octets: one length byte, then the octets.
  std::string string(std::size_t max) {
    const std::size_t want = below(max + 1);
    const std::size_t n = want < remaining() ? want : remaining();
    std::string s(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return s;
  }
  // Everything not read yet.
  std::string_view rest() {
    std::string_view r(reinterpret_cast<const char*>(data_ + pos_), remaining());
    pos_ = size_;
    return r;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

}  // namespace popspec::fuzz
