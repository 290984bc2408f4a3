#pragma once
// The POP3 server session state machine (RFC 1225 and RFC 1939 + RFC 2449 CAPA), with no I/O.
// The Asio server, the unit tests and the fuzz targets all drive it the same way:
//   session s(opts, store, users);
//   out += s.greeting();
//   for each framed line: keep_open = s.on_line(event, out); write out; if (!keep_open) close.
//   on autologout timer: s.on_autologout(); on a dropped connection: s.on_disconnect().
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "popspec/codec/line_framer.hpp"
#include "popspec/store/store.hpp"
#include "popspec/store/user_db.hpp"
#include "popspec/util/faults.hpp"

namespace popspec::pop3 {

enum class profile {
  rfc1225,  // USER/PASS, LAST, RPOP refused; no UIDL/APOP/CAPA
  rfc1939,  // the default: USER/PASS, APOP, UIDL, TOP, CAPA (RFC 2449) with RESP-CODES etc.
};

enum class state { authorization, transaction, update, closed };

struct session_options {
  profile prof = profile::rfc1939;
  // The APOP timestamp put in the greeting, e.g. "<1234.5678@host>". The caller makes it unique
  // per greeting (RFC 1939 APOP.5); fuzz targets pass a fixed one for determinism.
  std::string apop_timestamp = "<0.0@localhost>";
  std::string implementation = "popspec";
  // Autologout timer (RFC 1939 §3: if present, at least 10 minutes). The state machine does not
  // keep time; the server arms a timer with this value and calls on_autologout() on expiry.
  std::chrono::seconds autologout{600};
  fault_set faults;
};

class session {
 public:
  session(session_options options, store::store& store, const store::user_db& users);
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  // The greeting line (with CRLF). Call once, first.
  std::string greeting();
  // Handles one framed command line; appends the full response (CRLF-terminated, multi-line
  // responses dot-stuffed and terminated) to `out`. Returns false when the connection must be
  // closed after `out` is sent (QUIT, or a fatal condition).
  bool on_line(const codec::line_event& line, std::string& out);
  // The autologout timer expired: no UPDATE, nothing deleted, lock released, no response sent.
  void on_autologout();
  // The connection dropped (or the server is shutting down): no UPDATE, lock released.
  void on_disconnect();

  state current_state() const;
  profile current_profile() const;
  // Messages removed by the last UPDATE (for tests and fuzz invariants).
  const std::vector<std::size_t>& committed_deletions() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// MD5(timestamp + secret) as 32 lower-case hex digits (RFC 1939 APOP.6/APOP.7).
std::string apop_digest(std::string_view timestamp, std::string_view secret);

}  // namespace popspec::pop3
