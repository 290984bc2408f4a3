#pragma once
// The popspec release the reference server names in CAPA's IMPLEMENTATION line (RFC 2449 §6.9).
// It must equal project(popspec VERSION ...) in the top-level CMakeLists.txt; a unit test
// (tests/pop3/version_test.cpp) reads that file and fails when the two drift apart.
#include <string_view>

namespace popspec::pop3 {

inline constexpr std::string_view popspec_version = "0.1.0";

}  // namespace popspec::pop3
