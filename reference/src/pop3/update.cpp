// QUIT, the UPDATE state, and the endings that must not reach it: autologout and a dropped
// connection (RFC 1939 §3, §6; RFC 1225 "The UPDATE State").
#include "session_impl.hpp"

namespace popspec::pop3 {

bool session::impl::cmd_quit(const codec::command& cmd, std::string& out) {
  if (!cmd.args.empty()) {
    err(out, "QUIT takes no arguments");
    return true;
  }
  if (current == state::authorization) {
    // No UPDATE from AUTHORIZATION: nothing is touched (RFC 1939 QUITA.2).
    current = state::closed;
    ok(out, "popspec POP3 server signing off");
    return false;
  }

  current = state::update;
  std::vector<std::size_t> marked;
  for (std::size_t i = 0; i < message_count(); ++i)
    if (deleted[i]) marked.push_back(i);

  // RFC 1225 LAST persists across sessions (AUTH.8, LAST.3): record the retrievals first, as
  // store::mailbox::record_access asks. A failure here loses no mail, so QUIT still removes
  // the marked messages and answers for that.
  bool access_saved = true;
  if (options.prof == profile::rfc1225) {
    std::vector<std::size_t> accessed;
    for (std::size_t i = 0; i < message_count(); ++i)
      if (retrieved[i]) accessed.push_back(i);
    if (!accessed.empty() && box->record_access(accessed)) access_saved = false;
  }

  std::error_code removal;
  if (!marked.empty()) removal = box->commit_deletions(marked);
  if (!removal) committed = marked;
  const std::size_t left = message_count() - (removal ? 0 : marked.size());

  // Whatever happened, the lock is released and the connection closes (RFC 1939 UPD.5).
  box.reset();
  current = state::closed;
  if (removal) {
    err(out, coded("SYS/TEMP", "some deleted messages not removed"));
  } else {
    std::string text =
        "popspec POP3 server signing off (" + std::to_string(left) + " messages left)";
    if (!access_saved) text += " (accessed messages not recorded)";
    ok(out, text);
  }
  return false;
}

void session::impl::drop(bool commit_marks) {
  // No UPDATE: nothing is removed (RFC 1939 UPD.2, TIMER.4), except under commit_on_drop.
  if (commit_marks && current == state::transaction && box) {
    std::vector<std::size_t> marked;
    for (std::size_t i = 0; i < message_count(); ++i)
      if (deleted[i]) marked.push_back(i);
    if (!marked.empty() && !box->commit_deletions(marked)) committed = marked;
  }
  box.reset();  // releases the lock
  accepted_user.reset();
  current = state::closed;
}

}  // namespace popspec::pop3
