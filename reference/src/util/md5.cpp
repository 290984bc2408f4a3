#include "popspec/util/md5.hpp"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace popspec::util {

std::string md5_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_md5(), nullptr) != 1)
    throw std::runtime_error("MD5 is unavailable in this OpenSSL build");
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(hex[digest[i] >> 4]);
    out.push_back(hex[digest[i] & 0xf]);
  }
  return out;
}

}  // namespace popspec::util
