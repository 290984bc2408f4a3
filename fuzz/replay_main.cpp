// The replay driver: what a fuzz target links instead of libFuzzer in the ordinary build, so
// every seed and every regression input runs as a plain CTest test on every CI run, with any
// compiler and no sanitizer runtime needed.
//
//   <target>_fuzzer [--optional=DIR]... PATH...
// Runs LLVMFuzzerTestOneInput once per file (directories are walked recursively, in sorted
// order). A PATH that does not exist is an error; an --optional one may be missing (the
// regression corpus of a target that never crashed). Arguments starting with '-' are otherwise
// ignored, so libFuzzer-style flags (-runs=..., -dict=...) do no harm. Exits non-zero when no
// input at all was found: a replay of nothing cannot fail, so it must not pass either.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) __attribute__((weak));

namespace {

namespace fs = std::filesystem;

bool collect(const fs::path& path, bool optional, std::vector<fs::path>& files) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (!fs::exists(status)) {
    if (optional) return true;
    std::fprintf(stderr, "replay: %s does not exist\n", path.c_str());
    return false;
  }
  if (!fs::is_directory(status)) {
    files.push_back(path);
    return true;
  }
  std::vector<fs::path> found;
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::end(it);
       it.increment(ec))
    if (it->is_regular_file()) found.push_back(it->path());
  if (ec) {
    std::fprintf(stderr, "replay: cannot read %s: %s\n", path.c_str(), ec.message().c_str());
    return false;
  }
  std::sort(found.begin(), found.end());
  files.insert(files.end(), found.begin(), found.end());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  std::vector<fs::path> files;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    constexpr std::string_view optional_flag = "--optional=";
    if (arg.starts_with(optional_flag))
      ok = collect(fs::path(arg.substr(optional_flag.size())), true, files) && ok;
    else if (!arg.starts_with("-"))
      ok = collect(fs::path(arg), false, files) && ok;
  }
  if (!ok) return 2;
  if (files.empty()) {
    std::fprintf(stderr, "replay: no inputs found\n");
    return 2;
  }
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      std::fprintf(stderr, "replay: cannot read %s\n", file.c_str());
      return 2;
    }
    // Its own allocation of exactly the input's size, so ASan sees any read past the end.
    std::fprintf(stderr, "replay: %s\n", file.c_str());
    auto copy = std::make_unique<std::uint8_t[]>(bytes.size());
    if (!bytes.empty()) std::memcpy(copy.get(), bytes.data(), bytes.size());
    LLVMFuzzerTestOneInput(copy.get(), bytes.size());
  }
  std::fprintf(stderr, "replay: %zu inputs, no failure\n", files.size());
  return 0;
}
