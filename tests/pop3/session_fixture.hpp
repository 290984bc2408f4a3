#pragma once
// Shared by the tests/pop3/*_test.cpp files: one POP3 session over a memory_store, driven line
// by line as the server drives it, and the standard test messages. (Not a *_test.cpp file, so
// it is no test executable of its own.)
#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "popspec/codec/line_framer.hpp"
#include "popspec/pop3/limits.hpp"
#include "popspec/pop3/session.hpp"
#include "popspec/store/memory_store.hpp"
#include "popspec/store/user_db.hpp"

namespace popspec::pop3 {

// Readable parameter values in failure messages (found by ADL: same namespace as `profile`).
inline void PrintTo(profile p, std::ostream* os) {
  *os << (p == profile::rfc1939 ? "rfc1939" : "rfc1225");
}

namespace test {

// RFC 1939's APOP example timestamp, so its test vector applies (APOP.10).
inline constexpr std::string_view rfc_timestamp = "<1896.697170952@dbc.mtview.ca.us>";

// Wire-form messages (CRLF, unstuffed).
inline const std::string plain_message = "Subject: one\r\n\r\nhello\r\n";  // 23 octets
inline const std::string dotted_message =
    "Subject: dots\r\n\r\n.leading dot\r\n.\r\n..two dots\r\nend\r\n";  // 51 octets
inline const std::string lines_message =
    "Subject: lines\r\nFrom: a@b\r\n\r\nl1\r\nl2\r\nl3\r\n";  // 41 octets
inline const std::string headers_only_message =
    "Subject: no body\r\nX-Note: none\r\n";  // 32 octets

class session_fixture {
 public:
  explicit session_fixture(profile prof = profile::rfc1939, fault_set faults = {}) {
    users.add("alice", "secret");
    users.add("mrose", "tanstaaf");
    options.prof = prof;
    options.faults = faults;
    options.apop_timestamp = std::string(rfc_timestamp);
  }

  // Creates the session (with the current options) and returns its greeting.
  std::string start() {
    s = std::make_unique<session>(options, store, users);
    open = true;
    return s->greeting();
  }

  // Sends one CRLF-terminated command line; returns everything the session answered.
  std::string send(std::string_view line) {
    return event({codec::line_kind::line, std::string(line)});
  }

  std::string event(const codec::line_event& e) {
    std::string out;
    open = s->on_line(e, out);
    check_first_line(out);
    return out;
  }

  // Feeds raw bytes through a line framer of the server's size (255, RFC 2449 LEN.1) and
  // answers every complete line, in order.
  std::string feed(std::string_view bytes) {
    framer.feed(bytes);
    std::string all;
    while (auto e = framer.next()) all += event(*e);
    return all;
  }

  // USER/PASS as alice; the test fails if that does not reach TRANSACTION.
  void login(std::string_view user = "alice", std::string_view password = "secret") {
    const std::string u = send("USER " + std::string(user));
    ASSERT_TRUE(u.starts_with("+OK")) << u;
    const std::string p = send("PASS " + std::string(password));
    ASSERT_TRUE(p.starts_with("+OK")) << p;
    ASSERT_EQ(s->current_state(), state::transaction);
  }

  // start() + login() on a maildrop holding `messages`.
  void start_with(std::vector<std::string> messages) {
    store.add_mailbox("alice", "", std::move(messages));
    start();
    login();
  }

  store::memory_store store;
  store::user_db users;
  session_options options;
  std::unique_ptr<session> s;
  codec::line_framer framer{max_command_line};
  bool open = true;

 private:
  // RFC 1939 §3 / RFC 2449 §4: the first line of every response fits 512 octets with CRLF.
  static void check_first_line(const std::string& out) {
    if (out.empty()) return;
    const std::size_t crlf = out.find("\r\n");
    ASSERT_NE(crlf, std::string::npos) << out;
    EXPECT_LE(crlf + 2, max_response_line) << out.substr(0, 80);
  }
};

// Test-name suffix for suites run under both profiles.
inline std::string profile_name(const ::testing::TestParamInfo<profile>& info) {
  return info.param == profile::rfc1939 ? "rfc1939" : "rfc1225";
}

// "+OK text\r\n" + data lines + ".\r\n", for exact comparisons of multi-line responses.
inline std::string multiline(std::string_view first, std::vector<std::string_view> lines) {
  std::string out(first);
  out += "\r\n";
  for (auto l : lines) {
    out += l;
    out += "\r\n";
  }
  out += ".\r\n";
  return out;
}

}  // namespace test
}  // namespace popspec::pop3
