#include "posix_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

namespace popspec::store::detail {

std::error_code last_error() {
  return {errno, std::system_category()};
}

void unique_fd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

std::error_code read_all(int fd, std::string& out) {
  out.clear();
  struct stat st {};
  if (::fstat(fd, &st) != 0) return last_error();
  out.reserve(static_cast<std::size_t>(st.st_size));
  char buffer[65536];
  off_t offset = 0;
  for (;;) {
    const ssize_t n = ::pread(fd, buffer, sizeof buffer, offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return last_error();
    }
    if (n == 0) return {};
    out.append(buffer, static_cast<std::size_t>(n));
    offset += n;
  }
}

std::error_code read_file(const std::filesystem::path& path, std::string& out, bool& exists) {
  out.clear();
  unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) {
      exists = false;
      return {};
    }
    return last_error();
  }
  exists = true;
  return read_all(fd.get(), out);
}

std::error_code write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return last_error();
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

std::error_code fsync_directory(const std::filesystem::path& dir) {
  unique_fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return last_error();
  if (::fsync(fd.get()) != 0) return last_error();
  return {};
}

std::error_code remove_if_exists(const std::filesystem::path& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return last_error();
  return {};
}

std::error_code replace_file(const std::filesystem::path& target, const std::filesystem::path& temp,
                             std::string_view data, mode_t mode) {
  if (auto ec = remove_if_exists(temp)) return ec;
  unique_fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
  if (!fd) return last_error();
  if (auto ec = write_all(fd.get(), data)) return ec;
  if (::fsync(fd.get()) != 0) return last_error();
  fd.reset();
  if (::rename(temp.c_str(), target.c_str()) != 0) return last_error();
  return fsync_directory(target.parent_path());
}

std::error_code file_lock::try_lock(const std::filesystem::path& path, bool& busy) {
  busy = false;
  unique_fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!fd) return last_error();
  while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    if (errno == EWOULDBLOCK) {
      busy = true;
      return {};
    }
    return last_error();
  }
  fd_ = std::move(fd);
  return {};
}

namespace {

// Whether an existing dotlock at `path` may be taken over.
bool dotlock_is_stale(const std::filesystem::path& path) {
  std::string text;
  bool exists = false;
  if (read_file(path, text, exists) || !exists) return false;  // vanished: just retry
  long pid = 0;
  bool digits = !text.empty();
  for (char c : text) {
    if (c == '\n') break;
    if (c < '0' || c > '9' || pid > 1'000'000'000) {
      digits = false;
      break;
    }
    pid = pid * 10 + (c - '0');
  }
  if (digits && pid > 0) return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  return ::time(nullptr) - st.st_mtime > 300;
}

}  // namespace

std::error_code dotlock::acquire(const std::filesystem::path& mbox_path,
                                 std::chrono::milliseconds patience) {
  release();
  const std::filesystem::path path = mbox_path.string() + ".lock";
  // The pid is written to a private file first and link(2)ed into place, so the dotlock never
  // exists without its pid (a crash between O_EXCL and the write would leave an empty lock
  // that only a five-minute timeout could clear). Under our flock we are the only popspec
  // writer of this mailbox, so one fixed private name suffices; a crash leaves it behind and
  // the next acquire removes it.
  const std::filesystem::path mine =
      mbox_path.parent_path() / ("." + mbox_path.filename().string() + ".popspec-dotlock");
  if (auto ec = remove_if_exists(mine)) return ec;
  {
    unique_fd fd(::open(mine.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (!fd) return last_error();
    if (auto ec = write_all(fd.get(), std::to_string(::getpid()) + "\n")) {
      ::unlink(mine.c_str());
      return ec;
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + patience;
  std::error_code result;
  for (;;) {
    if (::link(mine.c_str(), path.c_str()) == 0) {
      path_ = path;
      held_ = true;
      break;
    }
    if (errno != EEXIST) {
      result = last_error();
      break;
    }
    if (dotlock_is_stale(path)) {
      ::unlink(path.c_str());
      continue;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      result = std::make_error_code(std::errc::resource_unavailable_try_again);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::unlink(mine.c_str());
  return result;
}

void dotlock::release() {
  if (held_) ::unlink(path_.c_str());
  held_ = false;
}

}  // namespace popspec::store::detail
