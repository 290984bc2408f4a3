#include "popspec/server/apop_timestamp.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <utility>

namespace popspec::server {
namespace {

// Process-wide: every server instance in this process draws from the same sequence, so the
// (pid, counter) pair alone is already unique for the process's lifetime; the epoch makes it
// unique across restarts that reuse a pid.
std::atomic<std::uint64_t> greeting_counter{0};

}  // namespace

apop_timestamp_source::apop_timestamp_source(std::string hostname)
    : hostname_(std::move(hostname)) {}

std::string apop_timestamp_source::next() {
  const auto counter = greeting_counter.fetch_add(1, std::memory_order_relaxed);
  const auto epoch = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  std::string out = "<";
  out += std::to_string(static_cast<long long>(::getpid()));
  out += '.';
  out += std::to_string(counter);
  out += '.';
  out += std::to_string(static_cast<long long>(epoch));
  out += '@';
  out += hostname_;
  out += '>';
  return out;
}

}  // namespace popspec::server
