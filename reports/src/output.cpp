#include "popspec/reports/output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <sstream>

#include "popspec/reports/errc.hpp"
#include "popspec/reports/html.hpp"
#include "popspec/reports/json_results.hpp"
#include "popspec/reports/junit.hpp"
#include "popspec/reports/markdown.hpp"

namespace popspec::reports {
namespace {
std::error_code last_system_error() {
  return {errno, std::generic_category()};
}

// Writes all of `data` to `fd`, retrying short writes and interruptions.
std::error_code write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return last_system_error();
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

std::error_code write_directly(const std::filesystem::path& file, std::string_view data) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) return last_system_error();
  std::error_code ec = write_all(fd, data);
  if (::close(fd) != 0 && !ec) ec = last_system_error();
  return ec;
}

std::error_code write_by_rename(const std::filesystem::path& file, std::string_view data) {
  static std::atomic<unsigned> counter{0};
  std::filesystem::path temporary = file;
  temporary += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  // 0666 before the umask, like any other file the user creates.
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) return last_system_error();
  std::error_code ec = write_all(fd, data);
  if (::close(fd) != 0 && !ec) ec = last_system_error();
  if (!ec && ::rename(temporary.c_str(), file.c_str()) != 0) ec = last_system_error();
  if (ec) ::unlink(temporary.c_str());
  return ec;
}
}  // namespace

std::string_view to_string(report_format format) {
  switch (format) {
    case report_format::json:
      return "JSON";
    case report_format::junit:
      return "JUnit XML";
    case report_format::html:
      return "HTML";
    case report_format::markdown:
      return "Markdown";
  }
  return "report";
}

std::error_code render_report(report_format format, std::span<const harness::run_results> runs,
                              std::ostream& out, std::string& error) {
  if (format == report_format::html) {
    write_html(runs, out);
    return {};
  }
  if (runs.size() != 1) {
    error = "a " + std::string(to_string(format)) + " report takes exactly one run, not " +
            std::to_string(runs.size()) + " (only HTML puts several side by side)";
    return errc::one_run_only;
  }
  switch (format) {
    case report_format::json:
      write_json(runs.front(), out);
      break;
    case report_format::junit:
      write_junit(runs.front(), out);
      break;
    case report_format::markdown:
      write_markdown(runs.front(), out);
      break;
    case report_format::html:
      break;
  }
  return {};
}

std::error_code write_report_file(const std::filesystem::path& file, report_format format,
                                  std::span<const harness::run_results> runs, std::string& error) {
  std::ostringstream rendered;
  if (const auto ec = render_report(format, runs, rendered, error)) return ec;
  const std::string data = std::move(rendered).str();
  if (file == "-") {
    std::cout << data << std::flush;
    if (!std::cout) {
      error = "cannot write to standard output";
      return errc::cannot_write;
    }
    return {};
  }
  std::error_code status_ec;
  std::filesystem::path target = file;
  if (std::filesystem::is_symlink(file, status_ec)) {
    // Replace what the link points to, not the link.
    target = std::filesystem::weakly_canonical(file, status_ec);
    if (status_ec) target = file;
  }
  const auto status = std::filesystem::status(target, status_ec);
  std::error_code ec;
  if (std::filesystem::is_directory(status))
    ec = std::make_error_code(std::errc::is_a_directory);
  else if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status))
    ec = write_directly(target, data);
  else
    ec = write_by_rename(target, data);
  if (ec) {
    error = "cannot write " + file.string() + ": " + ec.message();
    return errc::cannot_write;
  }
  return {};
}

}  // namespace popspec::reports
