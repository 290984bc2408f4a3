#pragma once
#include <string>
#include <string_view>

namespace popspec::util {
// MD5 of `data` as 32 lower-case hex digits (OpenSSL's libcrypto does the hashing).
std::string md5_hex(std::string_view data);
}  // namespace popspec::util
