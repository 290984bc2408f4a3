#pragma once
// Helpers shared by the store tests: a temporary maildrops directory and small file utilities.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "popspec/store/store.hpp"

namespace popspec::store::testing {

// A fresh directory under $TMPDIR, removed (with everything in it) at the end of the test.
class temp_dir {
 public:
  temp_dir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "popspec-store-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& p, const std::string& data) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << data;
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every file below `dir`, relative, sorted (to prove nothing was created or changed).
inline std::vector<std::string> tree(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  if (!std::filesystem::exists(dir)) return out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    out.push_back(std::filesystem::relative(e.path(), dir).string());
  std::sort(out.begin(), out.end());
  return out;
}

// The wire forms of every message of an opened mailbox.
inline std::vector<std::string> all_contents(const mailbox& box) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < box.messages().size(); ++i) {
    std::string wire;
    if (auto ec = box.content(i, wire)) ADD_FAILURE() << "content(" << i << "): " << ec.message();
    out.push_back(wire);
  }
  return out;
}

inline std::vector<std::string> all_uids(const mailbox& box) {
  std::vector<std::string> out;
  for (const auto& m : box.messages()) out.push_back(m.uid);
  return out;
}

inline void make_maildir(const std::filesystem::path& dir) {
  for (const char* sub : {"cur", "new", "tmp"}) std::filesystem::create_directories(dir / sub);
}

}  // namespace popspec::store::testing
