#pragma once
// The client transport: one TCP connection to a POP server, driven by Boost.Asio C++20
// coroutines. Every operation has a deadline and every read a size limit, so a hostile server
// (an endless line, silence, one byte per second, gigabytes, garbage, a close mid-response,
// answers out of turn) can only produce an observation, never a hang or unbounded memory.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "popspec/codec/pop3_response.hpp"
#include "popspec/harness/observation.hpp"
#include "popspec/harness/results.hpp"

namespace popspec::harness {

using steady_clock = std::chrono::steady_clock;

struct transport_limits {
  // POP3 responses (see codec::response_limits). The whole-response cap bounds memory per read.
  codec::response_limits pop3{8192, 1u << 20, 8u << 20, 64};
  std::size_t pop2_line = 8192;        // a POP2 reply line, CRLF included
  std::uint64_t pop2_data = 8u << 20;  // a POP2 RETR data read
};

// How to read one response.
struct read_plan {
  bool multiline_if_ok = false;            // POP3: a positive answer carries dot-terminated data
  std::optional<std::uint64_t> pop2_data;  // POP2: read exactly this many data octets
  std::optional<std::chrono::milliseconds> silence;  // report silence if nothing arrives by then
  bool wait_for_close = false;  // after the response, wait (to the deadline) for the close
};

class connection {
 public:
  // `on_bytes` sees every octet sent and received (for the transcript).
  using byte_observer = std::function<void(direction, std::string_view)>;

  explicit connection(boost::asio::any_io_executor executor);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  void set_observer(byte_observer observer) { observer_ = std::move(observer); }
  void set_limits(const transport_limits& limits) { limits_ = limits; }

  // Resolves and connects; an error names what failed ("connection refused", "timed out").
  boost::asio::awaitable<std::error_code> connect(std::string host, std::uint16_t port,
                                                  steady_clock::time_point deadline);
  // Writes all of `bytes`; returns the error if the write failed or missed the deadline.
  boost::asio::awaitable<std::error_code> write(std::string_view bytes,
                                                steady_clock::time_point deadline);
  // Reads one POP3 response (status line, and data when the plan says so).
  boost::asio::awaitable<observation> read_pop3(read_plan plan, steady_clock::time_point deadline);
  // Reads one POP2 reply line, or (plan.pop2_data) exactly that many data octets.
  boost::asio::awaitable<observation> read_pop2(read_plan plan, steady_clock::time_point deadline);
  // After a complete response: waits (to the deadline) to see whether the server closes the
  // connection next, and records the answer in seen.closed_after.
  boost::asio::awaitable<void> await_close(observation& seen, steady_clock::time_point deadline);
  // Octets the server sent that no read asked for (read without waiting). Empty when none.
  std::string take_unsolicited();
  // Closes without QUIT: half-closes, waits until the server closes too (so it has released
  // the maildrop) or the deadline passes, then closes. Octets received meanwhile are observed.
  boost::asio::awaitable<bool> drop(steady_clock::time_point deadline);
  // Closes at once.
  void close();

  bool is_open() const;
  bool peer_closed() const { return eof_; }

 private:
  enum class fill_result { data, eof, timeout, error };
  // Reads more octets into buffer_ by `deadline`.
  boost::asio::awaitable<fill_result> fill(steady_clock::time_point deadline);
  void consume(std::size_t n);

  boost::asio::ip::tcp::socket socket_;
  std::string buffer_;  // received, not yet consumed
  bool eof_ = false;
  std::string last_error_;
  std::error_code write_error_;  // the failure of an earlier write: later writes fail at once
  transport_limits limits_;
  byte_observer observer_;
};

}  // namespace popspec::harness
