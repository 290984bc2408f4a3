// TRANSACTION state: STAT, LIST, RETR, TOP, DELE, NOOP, RSET, UIDL, LAST, and CAPA (RFC 1939
// §5, §7; RFC 1225 "The TRANSACTION State" and "Optional POP3 Commands"; RFC 2449 §5).
#include <algorithm>

#include "popspec/pop3/arguments.hpp"
#include "popspec/pop3/capabilities.hpp"
#include "popspec/pop3/message_text.hpp"
#include "session_impl.hpp"

namespace popspec::pop3 {
namespace {

std::string listing(std::size_t number, std::string_view value) {
  std::string line = std::to_string(number);
  line += ' ';
  line += value;
  return line;
}

}  // namespace

std::size_t session::impl::live_count(bool include_deleted) const {
  if (include_deleted) return message_count();
  return static_cast<std::size_t>(std::count(deleted.begin(), deleted.end(), false));
}

std::uint64_t session::impl::live_octets(bool include_deleted) const {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < message_count(); ++i)
    if (include_deleted || !deleted[i]) total += sizes[i];
  return total;
}

std::string session::impl::drop_summary() const {
  return "maildrop has " + std::to_string(live_count(false)) + " messages (" +
         std::to_string(live_octets(false)) + " octets)";
}

std::size_t session::impl::number_of(std::size_t index) const {
  if (!has(fault::dele_renumbers)) return index + 1;
  return static_cast<std::size_t>(std::count(deleted.begin(), deleted.begin() + index, false)) + 1;
}

std::optional<session::impl::target> session::impl::find_message(std::string_view arg,
                                                                 std::string& out) const {
  const auto number = parse_message_number(arg);
  if (!number) {
    err(out, "invalid message number");
    return std::nullopt;
  }
  if (has(fault::dele_renumbers)) {
    // The fault: marked messages vanish from the numbering at once.
    std::size_t seen = 0;
    for (std::size_t i = 0; i < message_count(); ++i) {
      if (!deleted[i] && ++seen == *number) return target{i, *number, false};
    }
    err(out, "no such message");
    return std::nullopt;
  }
  if (*number == 0 || *number > message_count()) {
    err(out, "no such message");
    return std::nullopt;
  }
  return target{*number - 1, *number, deleted[*number - 1]};
}

void session::impl::cmd_stat(const codec::command& cmd, std::string& out) const {
  if (!cmd.args.empty()) return err(out, "STAT takes no arguments");
  const bool all = has(fault::stat_counts_deleted);
  // The drop listing and nothing after it (RFC 1939 STAT.2-4).
  ok(out, std::to_string(live_count(all)) + " " + std::to_string(live_octets(all)));
}

void session::impl::cmd_list(const codec::command& cmd, std::string& out) const {
  const bool all = has(fault::list_includes_deleted);
  if (cmd.args.size() > 1) return err(out, "LIST takes at most one message number");
  if (cmd.args.size() == 1) {
    const auto t = find_message(cmd.args[0], out);
    if (!t) return;
    if (t->deleted && !all) return err(out, "message " + std::to_string(t->number) + " is deleted");
    return ok(out, listing(t->number, std::to_string(sizes[t->index])));
  }
  ok(out, std::to_string(live_count(false)) + " messages (" + std::to_string(live_octets(false)) +
              " octets)");
  for (std::size_t i = 0; i < message_count(); ++i) {
    if (deleted[i] && !all) continue;
    out += listing(number_of(i), std::to_string(sizes[i]));
    out += "\r\n";
  }
  terminate(out);
}

void session::impl::cmd_retr(const codec::command& cmd, std::string& out) {
  if (cmd.args.empty()) return err(out, "RETR needs a message number");
  if (cmd.args.size() > 1) return err(out, "RETR takes one message number");
  const auto t = find_message(cmd.args[0], out);
  if (!t) return;
  if (t->deleted && !has(fault::retr_deleted_ok))
    return err(out, "message " + std::to_string(t->number) + " is deleted");
  std::string wire;
  if (box->content(t->index, wire)) return err(out, coded("SYS/TEMP", "message cannot be read"));
  ok(out, std::to_string(sizes[t->index]) + " octets");
  append_data(out, wire);
  terminate(out);
  // RFC 1225 RETR: raises the "highest number accessed"; QUIT records the retrieval.
  retrieved[t->index] = true;
  last = std::max(last, t->number);
}

void session::impl::cmd_top(const codec::command& cmd, std::string& out) const {
  // Both arguments are required (RFC 1939 TOP.2).
  if (cmd.args.size() != 2) return err(out, "TOP needs a message number and a line count");
  const auto lines = parse_line_count(cmd.args[1]);
  if (!lines) return err(out, "line count must be a non-negative decimal number");
  const auto t = find_message(cmd.args[0], out);
  if (!t) return;
  if (t->deleted) return err(out, "message " + std::to_string(t->number) + " is deleted");
  std::string wire;
  if (box->content(t->index, wire)) return err(out, coded("SYS/TEMP", "message cannot be read"));
  ok(out, "top of message follows");
  append_data(out,
              has(fault::top_ignores_count) ? std::string_view(wire) : top_excerpt(wire, *lines));
  terminate(out);
}

void session::impl::cmd_dele(const codec::command& cmd, std::string& out) {
  if (cmd.args.empty()) return err(out, "DELE needs a message number");
  if (cmd.args.size() > 1) return err(out, "DELE takes one message number");
  const auto t = find_message(cmd.args[0], out);
  if (!t) return;
  const std::string number = std::to_string(t->number);
  // A marked message cannot be named again, not even by DELE (RFC 1939 DELE.3).
  if (t->deleted && !has(fault::dele_twice_ok))
    return err(out, "message " + number + " already deleted");
  deleted[t->index] = true;
  last = std::max(last, t->number);  // RFC 1225 DELE.5
  ok(out, "message " + number + " deleted");
}

void session::impl::cmd_noop(const codec::command& cmd, std::string& out) const {
  if (!cmd.args.empty()) return err(out, "NOOP takes no arguments");
  ok(out, "nothing done");
}

void session::impl::cmd_rset(const codec::command& cmd, std::string& out) {
  if (!cmd.args.empty()) return err(out, "RSET takes no arguments");
  if (!has(fault::rset_keeps_deletions)) std::fill(deleted.begin(), deleted.end(), false);
  // RFC 1225 RSET.3: LAST goes back to its value at session start; the retrievals it counted
  // are forgotten with it, so QUIT records only those made after the RSET.
  if (!has(fault::last_not_reset)) last = last_at_start;
  std::fill(retrieved.begin(), retrieved.end(), false);
  ok(out, drop_summary());
}

void session::impl::cmd_uidl(const codec::command& cmd, std::string& out) const {
  if (cmd.args.size() > 1) return err(out, "UIDL takes at most one message number");
  if (cmd.args.size() == 1) {
    const auto t = find_message(cmd.args[0], out);
    if (!t) return;
    if (t->deleted) return err(out, "message " + std::to_string(t->number) + " is deleted");
    return ok(out, listing(t->number, uids[t->index]));
  }
  ok(out, "unique-id listing follows");
  for (std::size_t i = 0; i < message_count(); ++i) {
    if (deleted[i]) continue;
    out += listing(number_of(i), uids[i]);
    out += "\r\n";
  }
  terminate(out);
}

void session::impl::cmd_last(const codec::command& cmd, std::string& out) const {
  if (!cmd.args.empty()) return err(out, "LAST takes no arguments");
  ok(out, std::to_string(last));
}

void session::impl::cmd_capa(const codec::command& cmd, std::string& out) const {
  if (!cmd.args.empty()) return err(out, "CAPA takes no arguments");
  ok(out, "capability list follows");
  for (const auto& line : capabilities(options)) {
    out += line;
    out += "\r\n";
  }
  if (!has(fault::capa_no_terminator)) terminate(out);
}

}  // namespace popspec::pop3
