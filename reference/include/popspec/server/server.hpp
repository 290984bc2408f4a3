#pragma once
// The reference POP3/POP2 server on Boost.Asio: `popspec serve`, and the in-process embedded
// target/oracle of `popspec run`. One io_context thread serves every connection.
//
// The server has no protocol logic: it frames bytes with codec::line_framer and drives the
// pop3::session / pop2::session state machines. What it adds is transport discipline:
//   - every read has a deadline (POP3: the autologout timer, reset by every command, RFC 1939
//     TIMER.3; POP2: RFC 937's T2) and a size limit (the framer's max line: 255 octets for POP3,
//     RFC 2449; 512 for POP2, RFC 937);
//   - every write has a deadline (write_timeout), and unsent output is capped: a client that
//     pipelines RETRs without reading stops being read until its output drains;
//   - beyond max_connections a connection gets one error line and is closed;
//   - stop() and SIGINT/SIGTERM drop every session through on_disconnect: no UPDATE, nothing
//     deleted.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include "popspec/pop3/session.hpp"
#include "popspec/store/store.hpp"
#include "popspec/store/user_db.hpp"
#include "popspec/util/faults.hpp"

namespace popspec::server {

struct listen_address {
  std::string host = "127.0.0.1";  // loopback unless told otherwise; a numeric IPv4/IPv6 address
  std::uint16_t port = 0;          // 0 picks a free port
};

struct server_options {
  std::optional<listen_address> pop3;  // at least one of pop3/pop2 must be set
  std::optional<listen_address> pop2;
  pop3::profile pop3_profile = pop3::profile::rfc1939;
  std::string hostname = "localhost";         // for greetings and APOP timestamps
  std::chrono::seconds pop3_autologout{600};  // RFC 1939: at least 10 minutes
  std::chrono::seconds pop2_timeout{600};     // RFC 937's T2 (server inactivity timeout)
  // Deadline of each write: a peer that accepts none of a response for this long is dropped
  // (on_disconnect, nothing committed).
  std::chrono::seconds write_timeout{600};
  std::size_t max_connections = 4096;
  fault_set faults;
};

class server {
 public:
  // The store and users must outlive the server.
  server(server_options options, store::store& store, const store::user_db& users);
  ~server();  // stops if still running
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Binds the listeners (and raises the RLIMIT_NOFILE soft limit to the hard limit, so 1000+
  // concurrent connections fit). On success the bound ports are known (see pop3_port/pop2_port).
  // On failure `error_message` reads like "cannot listen on 127.0.0.1:110: Permission denied".
  std::error_code listen(std::string& error_message);
  std::uint16_t pop3_port() const;  // 0 when not listening
  std::uint16_t pop2_port() const;

  // Serves on the calling thread until stop() (or SIGINT/SIGTERM when handle_signals is set).
  // Unfinished sessions are dropped without UPDATE. With handle_signals, SIGINT and SIGTERM are
  // unblocked on the calling thread once handled, so a caller can block them before printing
  // its ports and lose none sent in between.
  void run(bool handle_signals);
  // Serves on a background thread (the embedded target); returns at once.
  void start_background();
  // Thread-safe; waits for the background thread, if any. Must not be called from a thread the
  // server runs on.
  void stop();

  // Connections currently open, including ones being refused (for tests and diagnostics).
  // Thread-safe.
  std::size_t open_connections() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace popspec::server
