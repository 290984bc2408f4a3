// AUTHORIZATION state: USER, PASS, APOP, RPOP, and opening the maildrop (RFC 1939 §4, §7;
// RFC 1225 "The AUTHORIZATION State"; RFC 2449 §8.1.2 and RFC 3206 for the response codes).
#include <algorithm>

#include "popspec/pop3/message_text.hpp"
#include "popspec/util/md5.hpp"
#include "session_impl.hpp"

namespace popspec::pop3 {

std::string apop_digest(std::string_view timestamp, std::string_view secret) {
  std::string input(timestamp);
  input += secret;
  return util::md5_hex(input);
}

bool usable_apop_timestamp(std::string_view timestamp) {
  // The greeting is "+OK popspec POP3 server ready " + timestamp + CRLF
  // ("-ERR " under the greeting_err fault is one octet longer.)
  constexpr std::size_t greeting_overhead = 31 + 2;
  if (timestamp.size() < 5 || timestamp.size() + greeting_overhead > max_response_line)
    return false;
  if (timestamp.front() != '<' || timestamp.back() != '>') return false;
  const std::string_view inner = timestamp.substr(1, timestamp.size() - 2);
  for (const char c : inner) {
    if (c < 0x21 || c > 0x7E || c == '<' || c == '>') return false;
  }
  // msg-id = "<" addr-spec ">", addr-spec = local-part "@" domain: both parts non-empty.
  const std::size_t at = inner.rfind('@');
  return at != std::string_view::npos && at != 0 && at + 1 != inner.size();
}

void session::impl::cmd_user(const codec::command& cmd, bool after_user, std::string& out) {
  // USER is valid only after the greeting or a failed USER/PASS (RFC 1939 USER.2).
  if (after_user) return err(out, "USER already given; send PASS");
  if (cmd.args.size() != 1) return err(out, "USER takes exactly one argument: a name");
  // A name that could not safely name a maildrop never reaches the store (issue #2).
  if (!store::is_safe_name(cmd.args[0])) return err(out, "invalid user name");
  // RFC 1939 USER.4 allows +OK for a name without a mailbox, so the answer does not tell which
  // names exist; PASS decides. RFC 1225 has no such allowance: its USER answers "-ERR never
  // heard of name" (USER.3), so that profile says so.
  if (options.prof == profile::rfc1225 && !users.secret(cmd.args[0]))
    return err(out, "never heard of that name");
  accepted_user = cmd.args[0];
  ok(out, "send PASS");
}

void session::impl::cmd_pass(const codec::command& cmd, std::optional<std::string> user,
                             std::string& out) {
  if (!user) return err(out, "PASS must immediately follow a successful USER");
  if (cmd.args.size() != 1) return err(out, "PASS takes a password");
  const auto secret = users.secret(*user);
  const bool granted = secret && (*secret == cmd.args[0] || has(fault::any_password));
  // After a failure the client starts again with USER (RFC 1939 AUTH.9, RFC 1225 AUTH.11).
  if (!granted) return err(out, "invalid user name or password");
  open_maildrop(*user, out);
}

void session::impl::cmd_apop(const codec::command& cmd, bool after_user, std::string& out) {
  // After the greeting or a failed USER/PASS only (RFC 1939 APOP.2).
  if (after_user) return err(out, "APOP not valid after USER; send PASS");
  if (!apop_offered) return err(out, "APOP not available");
  if (cmd.args.size() != 2) return err(out, "APOP takes a name and a digest");
  const std::string& name = cmd.args[0];
  if (!store::is_safe_name(name)) return err(out, "invalid user name");
  const auto secret = users.secret(name);
  // The digest is sent in lower-case hex (RFC 1939 APOP.7); it is compared exactly.
  const bool granted = secret && (has(fault::apop_any_digest) ||
                                  cmd.args[1] == apop_digest(options.apop_timestamp, *secret));
  if (!granted) return err(out, "authentication failed");  // stays in AUTHORIZATION (APOP.9)
  open_maildrop(name, out);
}

void session::impl::cmd_rpop(std::string& out) const {
  // RFC 1225 makes RPOP optional (OPT.2); trusting the client host's reserved port is unsafe.
  err(out, "RPOP not supported");
}

void session::impl::cmd_before_auth(const codec::command& cmd, std::string& out) const {
  if (cmd.keyword == "STAT") return ok(out, "0 0");
  if (!cmd.args.empty()) return err(out, "no such message");
  ok(out, "0 messages (0 octets)");
  terminate(out);
}

void session::impl::open_maildrop(const std::string& user, std::string& out) {
  store::open_result opened = maildrops.open(user);
  switch (opened.status) {
    case store::open_status::ok:
      break;
    // The store holds no lock on any failure (the mailbox object never existed), as RFC 1939
    // AUTH.7 requires before answering -ERR.
    case store::open_status::in_use:
      return err(out, coded("IN-USE", "maildrop is locked by another session"));
    case store::open_status::io_error:
      return err(out, coded("SYS/TEMP", "maildrop cannot be opened"));
    case store::open_status::invalid_name:
    case store::open_status::no_such_mailbox:
      return err(out, coded("SYS/PERM", "maildrop cannot be opened"));
  }
  box = std::move(opened.box);
  const auto& infos = box->messages();
  const std::size_t n = infos.size();
  sizes.assign(n, 0);
  uids.assign(n, {});
  deleted.assign(n, false);
  retrieved.assign(n, false);
  last_at_start = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sizes[i] = infos[i].size;
    uids[i] = infos[i].uid;
    if (infos[i].accessed) last_at_start = i + 1;  // RFC 1225 AUTH.8, LAST.3
  }
  last = last_at_start;

  if (has(fault::lf_sizes)) {
    for (std::size_t i = 0; i < n; ++i) {
      std::string wire;
      if (!box->content(i, wire)) sizes[i] -= std::min<std::uint64_t>(sizes[i], count_crlf(wire));
    }
  }
  if (has(fault::uidl_unstable)) {
    const std::string suffix = "." + std::to_string(serial);
    constexpr std::size_t max_uid = 70;  // RFC 1939 UIDL.6
    for (auto& uid : uids) {
      uid.resize(std::min(uid.size(), max_uid - suffix.size()));
      uid += suffix;
    }
  }
  if (has(fault::uidl_duplicate) && n >= 2) uids[1] = uids[0];

  current = state::transaction;
  ok(out, drop_summary());
}

}  // namespace popspec::pop3
