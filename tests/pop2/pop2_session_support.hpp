#pragma once
// Shared by the tests/pop2 unit tests: a POP2 session over a memory_store, driven line by line.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "popspec/codec/pop2_reply.hpp"
#include "popspec/pop2/session.hpp"
#include "popspec/store/memory_store.hpp"
#include "popspec/store/user_db.hpp"

namespace popspec::pop2::testing {

inline constexpr std::string_view user = "popspec";
inline constexpr std::string_view password = "popspec-secret";

// The default mailbox of the test rig: three messages of different sizes.
inline std::vector<std::string> default_messages() {
  return {"Subject: one\r\n\r\nfirst\r\n", "Subject: two\r\n\r\nsecond message\r\n",
          "Subject: three\r\n\r\nthe third message\r\n.\r\n"};
}
// The named mailbox "archive": one message.
inline std::vector<std::string> archive_messages() {
  return {"Subject: old\r\n\r\narchived\r\n"};
}

// What one call produced: the octets to send and whether the connection stays open.
struct step {
  std::string out;
  bool open = true;
};

class rig {
 public:
  explicit rig(fault_set faults = {}) {
    users.add(std::string(user), std::string(password));
    store.add_mailbox(std::string(user), "", default_messages());
    store.add_mailbox(std::string(user), "archive", archive_messages());
    session_options options;
    options.hostname = "pop2.test";
    options.faults = faults;
    s = std::make_unique<session>(options, store, users);
  }

  std::string greet() { return s->greeting(); }
  step line(std::string_view text) { return event({codec::line_kind::line, std::string(text)}); }
  step event(const codec::line_event& e) {
    step r;
    r.open = s->on_line(e, r.out);
    return r;
  }
  step timeout() {
    step r;
    s->on_timeout(r.out);
    r.open = false;
    return r;
  }
  // Greeting and HELO: the session is in MBOX with the default mailbox selected.
  void login() {
    greet();
    const auto r = line("HELO popspec popspec-secret");
    ASSERT_TRUE(r.open) << r.out;
    ASSERT_EQ(r.out.front(), '#') << r.out;
  }
  state st() const { return s->current_state(); }

  store::memory_store store;
  store::user_db users;
  std::unique_ptr<session> s;
};

// The reply at the start of `out` (which may be followed by message data).
inline codec::pop2_reply reply_of(std::string_view out) {
  codec::pop2_reply r;
  const auto eol = out.find("\r\n");
  EXPECT_NE(eol, std::string_view::npos) << "no CRLF in \"" << out << "\"";
  const auto ec = codec::parse_pop2_reply(out.substr(0, eol), r);
  EXPECT_FALSE(ec) << "\"" << out << "\": " << ec.message();
  EXPECT_EQ(eol + 2, out.size()) << "more than one line in \"" << out << "\"";
  return r;
}

inline fault_set only(fault f) {
  fault_set set;
  set.add(f);
  return set;
}

}  // namespace popspec::pop2::testing
