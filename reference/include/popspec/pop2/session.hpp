#pragma once
// The POP2 server session state machine (RFC 937, its server decision table), with no I/O.
// Driven like the POP3 session: greeting(), then on_line() per framed line, on_timeout(),
// on_disconnect().
#include <memory>
#include <string>
#include <vector>

#include "popspec/codec/line_framer.hpp"
#include "popspec/store/store.hpp"
#include "popspec/store/user_db.hpp"
#include "popspec/util/faults.hpp"

namespace popspec::pop2 {

// RFC 937's server states.
enum class state { lstn, auth, mbox, item, next, done };

struct session_options {
  std::string hostname = "localhost";  // sent in the greeting: "+ POP2 <hostname> ..."
  fault_set faults;
};

class session {
 public:
  session(session_options options, store::store& store, const store::user_db& users);
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  // LSTN -> AUTH: the greeting line with CRLF.
  std::string greeting();
  // One framed command line; appends the reply (and, for RETR, exactly the announced octets) to
  // `out`. Returns false when the connection must be closed after `out` is sent.
  bool on_line(const codec::line_event& line, std::string& out);
  // The server's inactivity timer expired: appends "- ..." to `out`; the connection then closes.
  // Nothing is deleted.
  void on_timeout(std::string& out);
  // The connection dropped: nothing is deleted, locks released.
  void on_disconnect();

  state current_state() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace popspec::pop2
