#pragma once
// Private to the pop3 module: the state behind pop3::session, shared by the files that handle
// one part of the protocol each (session.cpp: framing, dispatch and replies; authorization.cpp;
// transaction.cpp; update.cpp).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "popspec/codec/pop3_command.hpp"
#include "popspec/pop3/limits.hpp"
#include "popspec/pop3/session.hpp"

namespace popspec::pop3 {

// True when `timestamp` can go into the greeting: RFC 822 msg-id shape "<local@domain>" made of
// printable ASCII (RFC 2449 GRAM.5), no '<' or '>' inside, and short enough that the greeting
// line fits 512 octets.
bool usable_apop_timestamp(std::string_view timestamp);

struct session::impl {
  impl(session_options options, store::store& maildrops, const store::user_db& users);

  // ---- replies (session.cpp) ----
  // A status line. With the lowercase_status fault "+ok"/"-err" instead.
  void status(std::string& out, bool ok, std::string_view text) const;
  void ok(std::string& out, std::string_view text) const { status(out, true, text); }
  void err(std::string& out, std::string_view text) const { status(out, false, text); }
  // "[CODE] text" where extended response codes may be sent (rfc1939 announces RESP-CODES);
  // plain text under rfc1225, which has no CAPA to announce them (RFC 2449 CODE.5).
  std::string coded(std::string_view code, std::string_view text) const;
  // The ".\r\n" that ends a multi-line response (left out by the missing_terminator fault).
  void terminate(std::string& out) const;
  // Message octets of RETR/TOP: dot-stuffed, CRLF-ended (unstuffed with no_dot_stuffing).
  void append_data(std::string& out, std::string_view wire) const;
  bool has(fault f) const { return options.faults.has(f); }

  // ---- dispatch (session.cpp) ----
  bool on_command(const codec::command& cmd, std::string_view raw_line,
                  std::optional<std::string> user_before, std::string& out);
  bool known_keyword(std::string_view keyword) const;

  // ---- AUTHORIZATION (authorization.cpp) ----
  void cmd_user(const codec::command& cmd, bool after_user, std::string& out);
  void cmd_pass(const codec::command& cmd, std::optional<std::string> user, std::string& out);
  void cmd_apop(const codec::command& cmd, bool after_user, std::string& out);
  void cmd_rpop(std::string& out) const;
  // Opens and locks the maildrop of an authenticated user; +OK and TRANSACTION, or -ERR.
  void open_maildrop(const std::string& user, std::string& out);
  // commands_before_auth fault: STAT/LIST answered as if on an empty maildrop.
  void cmd_before_auth(const codec::command& cmd, std::string& out) const;

  // ---- TRANSACTION (transaction.cpp) ----
  void cmd_stat(const codec::command& cmd, std::string& out) const;
  void cmd_list(const codec::command& cmd, std::string& out) const;
  void cmd_retr(const codec::command& cmd, std::string& out);
  void cmd_top(const codec::command& cmd, std::string& out) const;
  void cmd_dele(const codec::command& cmd, std::string& out);
  void cmd_noop(const codec::command& cmd, std::string& out) const;
  void cmd_rset(const codec::command& cmd, std::string& out);
  void cmd_uidl(const codec::command& cmd, std::string& out) const;
  void cmd_last(const codec::command& cmd, std::string& out) const;
  void cmd_capa(const codec::command& cmd, std::string& out) const;

  // A message named by a message-number argument.
  struct target {
    std::size_t index;   // 0-based, into the maildrop snapshot
    std::size_t number;  // the message-number the client used
    bool deleted;
  };
  // Resolves `arg`; on failure writes the -ERR line and returns nothing. Deleted messages are
  // returned (marked), so each command decides (DELE.3 says: an error, except under faults).
  std::optional<target> find_message(std::string_view arg, std::string& out) const;
  // The message-number shown for `index` in listings (its position among the undeleted ones
  // under the dele_renumbers fault).
  std::size_t number_of(std::size_t index) const;
  std::size_t message_count() const { return sizes.size(); }
  // Messages and octets not marked deleted (both when include_deleted).
  std::size_t live_count(bool include_deleted) const;
  std::uint64_t live_octets(bool include_deleted) const;
  std::string drop_summary() const;  // "maildrop has N messages (M octets)"

  // ---- UPDATE and endings (update.cpp) ----
  bool cmd_quit(const codec::command& cmd, std::string& out);
  void drop(bool commit_marks);  // autologout / disconnect: release without UPDATE

  session_options options;
  store::store& maildrops;
  const store::user_db& users;
  state current = state::authorization;
  // The greeting carries the timestamp and APOP is offered (rfc1939 with a usable timestamp).
  bool apop_offered = false;
  // The name accepted by a USER that was the immediately preceding command (PASS needs it).
  std::optional<std::string> accepted_user;
  std::uint64_t serial;  // this session's number in the process (uidl_unstable fault)

  // TRANSACTION: the opened maildrop and what the session reports of it. Numbers and sizes are
  // fixed at open and never change within the session (RFC 1939 AUTH.11).
  std::unique_ptr<store::mailbox> box;
  std::vector<std::uint64_t> sizes;  // reported octet counts
  std::vector<std::string> uids;     // reported unique-ids
  std::vector<bool> deleted;         // DELE marks
  std::vector<bool> retrieved;       // RETR since open or the last RSET (RFC 1225 LAST)
  std::size_t last_at_start = 0;     // RFC 1225 "highest number accessed" at session start
  std::size_t last = 0;              // ... now
  std::vector<std::size_t> committed;
};

}  // namespace popspec::pop3
