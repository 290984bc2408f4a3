#pragma once
// Small POSIX file helpers for fs_store (private to src/store): owned descriptors, whole-file
// reads, durable writes (write, fsync, rename, fsync the directory), flock and mbox dotlocks.
// Everything reports std::error_code (system category, from errno); nothing throws.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace popspec::store::detail {

std::error_code last_error();

class unique_fd {
 public:
  unique_fd() = default;
  explicit unique_fd(int fd) : fd_(fd) {}
  ~unique_fd() { reset(); }
  unique_fd(unique_fd&& other) noexcept : fd_(other.release()) {}
  unique_fd& operator=(unique_fd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// Reads all of `fd` from offset 0 (pread, so the file position does not matter).
std::error_code read_all(int fd, std::string& out);
// Reads `path`; a missing file is not an error: `exists` is false and `out` empty.
std::error_code read_file(const std::filesystem::path& path, std::string& out, bool& exists);
std::error_code write_all(int fd, std::string_view data);
std::error_code fsync_directory(const std::filesystem::path& dir);

// Replaces `target` with `data` so that a crash leaves either the old or the new file: writes
// `temp` (same directory; an existing one is removed first), fsyncs it, renames it over
// `target`, fsyncs the directory.
std::error_code replace_file(const std::filesystem::path& target, const std::filesystem::path& temp,
                             std::string_view data, mode_t mode = 0600);

// Removes `path` if it exists (ENOENT is not an error).
std::error_code remove_if_exists(const std::filesystem::path& path);

// An exclusive flock(2) on a lock file, held while this object lives. flock locks belong to the
// open file description, so two opens in one process exclude each other just like two
// processes do.
class file_lock {
 public:
  // Creates `path` if needed and takes LOCK_EX|LOCK_NB. `busy` is set when someone else holds it.
  std::error_code try_lock(const std::filesystem::path& path, bool& busy);
  bool held() const { return static_cast<bool>(fd_); }

 private:
  unique_fd fd_;
};

// The traditional mbox dotlock `<mbox>.lock` (holding our pid, put in place with link(2)), which
// MDAs such as procmail, Postfix local(8) and dovecot-lda honour before appending. A dotlock whose
// pid is dead, or that is unreadable and older than five minutes, is stale and taken over.
class dotlock {
 public:
  dotlock() = default;
  ~dotlock() { release(); }
  dotlock(const dotlock&) = delete;
  dotlock& operator=(const dotlock&) = delete;

  // Retries until `patience` has passed; then fails with std::errc::resource_unavailable_try_again.
  std::error_code acquire(const std::filesystem::path& mbox_path,
                          std::chrono::milliseconds patience = std::chrono::seconds(5));
  void release();

 private:
  std::filesystem::path path_;
  bool held_ = false;
};

}  // namespace popspec::store::detail
