#include "popspec/server/session_driver.hpp"

#include <utility>

#include "popspec/pop2/session.hpp"
#include "popspec/pop3/session.hpp"

namespace popspec::server {
namespace {

class pop3_driver final : public session_driver {
 public:
  pop3_driver(const server_options& options, store::store& store, const store::user_db& users,
              std::string apop_timestamp)
      : session_(make_options(options, std::move(apop_timestamp)), store, users),
        timeout_(options.pop3_autologout) {}

  std::string greeting() override { return session_.greeting(); }
  bool on_line(const codec::line_event& line, std::string& out) override {
    return session_.on_line(line, out);
  }
  // RFC 1939 TIMER.5: close without sending any response.
  void on_deadline(std::string&) override { session_.on_autologout(); }
  void on_disconnect() override { session_.on_disconnect(); }
  std::size_t max_line() const override { return pop3_max_line; }
  std::chrono::seconds inactivity_timeout() const override { return timeout_; }

 private:
  static pop3::session_options make_options(const server_options& options, std::string stamp) {
    pop3::session_options o;
    o.prof = options.pop3_profile;
    o.apop_timestamp = std::move(stamp);
    o.autologout = options.pop3_autologout;
    o.faults = options.faults;
    return o;
  }

  pop3::session session_;
  std::chrono::seconds timeout_;
};

class pop2_driver final : public session_driver {
 public:
  pop2_driver(const server_options& options, store::store& store, const store::user_db& users)
      : session_(make_options(options), store, users), timeout_(options.pop2_timeout) {}

  std::string greeting() override { return session_.greeting(); }
  bool on_line(const codec::line_event& line, std::string& out) override {
    return session_.on_line(line, out);
  }
  // RFC 937, server decision table, Timeout row: "- error", then close.
  void on_deadline(std::string& out) override { session_.on_timeout(out); }
  void on_disconnect() override { session_.on_disconnect(); }
  std::size_t max_line() const override { return pop2_max_line; }
  std::chrono::seconds inactivity_timeout() const override { return timeout_; }

 private:
  static pop2::session_options make_options(const server_options& options) {
    pop2::session_options o;
    o.hostname = options.hostname;
    o.faults = options.faults;
    return o;
  }

  pop2::session session_;
  std::chrono::seconds timeout_;
};

}  // namespace

std::string_view too_many_connections_line(protocol proto, const server_options& options) {
  if (proto == protocol::pop2) return "- too many connections\r\n";
  // RFC 3206 [SYS/TEMP]: a transient system condition, try again later. RFC 1225 predates
  // response codes, so that profile gets the plain text.
  if (options.pop3_profile == pop3::profile::rfc1225) return "-ERR too many connections\r\n";
  return "-ERR [SYS/TEMP] too many connections\r\n";
}

std::unique_ptr<session_driver> make_session_driver(protocol proto, const server_options& options,
                                                    store::store& store,
                                                    const store::user_db& users,
                                                    std::string apop_timestamp) {
  if (proto == protocol::pop2) return std::make_unique<pop2_driver>(options, store, users);
  return std::make_unique<pop3_driver>(options, store, users, std::move(apop_timestamp));
}

}  // namespace popspec::server
