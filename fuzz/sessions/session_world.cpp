#include "sessions/session_world.hpp"

#include "popspec/store/fixture.hpp"
#include "support/check.hpp"

namespace popspec::fuzz {
namespace {

std::vector<std::string> wires(const std::vector<store::fixture_message>& messages) {
  std::vector<std::string> out;
  out.reserve(messages.size());
  for (const auto& m : messages) out.push_back(m.wire);
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
