#include "sessions/session_world.hpp"

#include "popspec/store/fixture.hpp"
#include "support/check.hpp"

namespace popspec::fuzz {
namespace {

// The fuzz world's copy of a fixture message: the same octets, except that the 100 KB "large"
// message keeps only its first `large_message_lines` lines. The state machines treat every size
// alike, and copying, stuffing and re-parsing 100 KB on each RETR was most of the session
// targets' time without reaching one more branch.
constexpr std::size_t large_message_lines = 40;

std::string fuzz_wire(const store::fixture_message& m) {
  if (m.name != "large") return m.wire;
  std::size_t end = 0;
  for (std::size_t line = 0; line < large_message_lines && end < m.wire.size(); ++line) {
    const std::size_t crlf = m.wire.find("\r\n", end);
    end = crlf == std::string::npos ? m.wire.size() : crlf + 2;
  }
  return m.wire.substr(0, end);
}

std::vector<std::string> wires(const std::vector<store::fixture_message>& messages) {
  std::vector<std::string> out;
  out.reserve(messages.size());
  for (const auto& m : messages) out.push_back(fuzz_wire(m));
  return out;
}

}  // namespace

const std::vector<std::string>& standard_wires() {
  static const std::vector<std::string> w = wires(store::standard_messages());
  return w;
}

const std::vector<std::string>& folder_wires() {
  static const std::vector<std::string> w = wires(store::standard_folder_messages());
  return w;
}

session_world::session_world(bool with_folder, const std::vector<std::size_t>& accessed_messages) {
  const std::string user(store::default_user);
  store.add_mailbox(user, "", standard_wires());
  if (with_folder)
    store.add_mailbox(user, std::string(store::standard_folder_name), folder_wires());
  // The second account's maildrop exists but is empty (RFC 1939: STAT "+OK 0 0").
  store.add_mailbox(std::string(store::default_user2), "", {});
  users.add(user, std::string(store::default_password));
  users.add(std::string(store::default_user2), std::string(store::default_password2));
  if (!accessed_messages.empty()) {
    auto opened = store.open(user);
    POPSPEC_FUZZ_CHECK(opened.status == store::open_status::ok && opened.box,
                       "the fuzz world's maildrop could not be opened: " + opened.detail);
    POPSPEC_FUZZ_CHECK(!opened.box->record_access(accessed_messages),
                       "record_access failed while seeding the fuzz world");
  }
}

}  // namespace popspec::fuzz
