#pragma once
// One interface over the POP3 and POP2 session state machines, so the Asio connection loop is
// written once. No I/O here.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "popspec/codec/line_framer.hpp"
#include "popspec/server/server.hpp"

namespace popspec::server {

enum class protocol { pop3, pop2 };

class session_driver {
 public:
  virtual ~session_driver() = default;
  // The greeting line with CRLF.
  virtual std::string greeting() = 0;
  // One framed line; appends the response. False: close once `out` is sent.
  virtual bool on_line(const codec::line_event& line, std::string& out) = 0;
  // The inactivity deadline passed. POP3 (RFC 1939 TIMER.5) appends nothing; POP2 (RFC 937
  // decision table, Timeout row) appends "- ..." to send before closing.
  virtual void on_deadline(std::string& out) = 0;
  // The connection dropped or the server is stopping: nothing committed.
  virtual void on_disconnect() = 0;

  // Longest command line accepted, CRLF included.
  virtual std::size_t max_line() const = 0;
  // How long the peer may stay silent between commands.
  virtual std::chrono::seconds inactivity_timeout() const = 0;
};

// RFC 2449 §4: commands are at most 255 octets with CRLF (servers that announce CAPA).
inline constexpr std::size_t pop3_max_line = 255;
// RFC 937: command lines are at most 512 characters with CRLF.
inline constexpr std::size_t pop2_max_line = 512;

// The line sent to a connection refused because max_connections are open (then closed).
std::string_view too_many_connections_line(protocol proto, const server_options& options);

std::unique_ptr<session_driver> make_session_driver(protocol proto, const server_options& options,
                                                    store::store& store,
                                                    const store::user_db& users,
                                                    std::string apop_timestamp);

}  // namespace popspec::server
