#include "popspec/pop2/session.hpp"

#include <numeric>
#include <optional>
#include <utility>
#include <vector>

#include "popspec/codec/pop2_command.hpp"
#include "popspec/codec/pop2_reply.hpp"
#include "popspec/pop2/state_name.hpp"

// RFC 937's server decision table, row by row (state x input -> action):
//
//            LSTN AUTH MBOX ITEM NEXT DONE
//   Open       2    1    1    1    1    1     greeting()
//   HELO       1    3    1    1    1    1
//   FOLD       1    1    5    5    1    1
//   READ       1    1    6    6    1    1
//   RETR       1    1    1    7    1    1
//   ACKS       1    1    1    1    8    1
//   ACKD       1    1    1    1    8    1
//   NACK       1    1    1    1    8    1
//   QUIT       1    4    4    4    1    1
//   Close      1    1    1    1    1    9     on_disconnect()
//   other      1    1    1    1    1    1     unknown keyword, bad syntax, bare LF, > 512 octets
//   Timeout         1    1    1    1    1     on_timeout()
//
// Action 1 ("This is garbage. Send '- error', and Close the connection") releases the mailbox
// WITHOUT carrying out ACKD deletions: like a dropped connection, an aborted session leaves the
// mailbox as it was. Only QUIT (action 4) and FOLD (action 5) release with the deletions.

namespace popspec::pop2 {

namespace {

using codec::pop2_command;
using codec::pop2_keyword;
using codec::pop2_reply;

// Compares a password without stopping at the first difference, so response timing does not
// reveal how much of a guess was right.
bool same_secret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return diff == 0;
}

std::size_t count_crlf(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t pos = s.find("\r\n"); pos != std::string_view::npos;
       pos = s.find("\r\n", pos + 2))
    ++n;
  return n;
}

// POP3-style transparency for the pop2_dot_stuffing fault: a leading '.' doubled on every line,
// the data ended by CRLF "." CRLF.
std::string dot_stuff(std::string_view data) {
  std::string out;
  out.reserve(data.size() + data.size() / 64 + 5);
  bool line_start = true;
  for (char c : data) {
    if (line_start && c == '.') out.push_back('.');
    out.push_back(c);
    line_start = c == '\n';
  }
  if (!out.empty() && !out.ends_with("\r\n")) out += "\r\n";
  out += ".\r\n";
  return out;
}

}  // namespace

struct session::impl {
  session_options options;
  store::store& mail_store;
  const store::user_db& users;

  state st = state::lstn;
  std::string user;
  // The selected mailbox; null after a FOLD to a mailbox that does not exist (then it has no
  // messages: every READ answers =0).
  std::unique_ptr<store::mailbox> box;
  // Message number - 1 -> index in box->messages(). The identity, except under the
  // pop2_ackd_renumbers fault, which erases ACKD'd entries at once.
  std::vector<std::size_t> numbering;
  std::vector<bool> marked;  // ACKD marks, by store index
  // The current message indicator: set to 1 on selecting a mailbox, set by READ n, incremented
  // by ACKS and ACKD. In ITEM and NEXT it is also the message the last =ccc reply announced.
  std::uint64_t current = 1;

  impl(session_options o, store::store& s, const store::user_db& u)
      : options(std::move(o)), mail_store(s), users(u) {}

  bool has(fault f) const { return options.faults.has(f); }

  static void send(std::string& out, const pop2_reply& reply) {
    out += codec::serialize_pop2_reply(reply);
  }

  void select(std::unique_ptr<store::mailbox> opened) {
    box = std::move(opened);
    const std::size_t n = box ? box->messages().size() : 0;
    numbering.resize(n);
    std::iota(numbering.begin(), numbering.end(), std::size_t{0});
    marked.assign(n, false);
    current = 1;
  }

  // Releases the selected mailbox. With `commit`, the ACKD marks are carried out first, in one
  // atomic commit_deletions call; nothing is called when there are none.
  std::error_code release(bool commit) {
    std::error_code ec;
    if (box && commit) {
      std::vector<std::size_t> doomed;
      for (std::size_t i = 0; i < marked.size(); ++i)
        if (marked[i]) doomed.push_back(i);
      if (!doomed.empty()) ec = box->commit_deletions(doomed);
    }
    box.reset();
    numbering.clear();
    marked.clear();
    return ec;
  }

  // Action 1, and every other "send - and close": never commits.
  bool fail(std::string& out, std::string text) {
    release(false);
    send(out, codec::pop2_err(std::move(text)));
    st = state::done;
    return false;
  }

  // The store index of message `number`, if it exists and is not marked deleted.
  std::optional<std::size_t> live_index(std::uint64_t number) const {
    if (number == 0 || number > numbering.size()) return std::nullopt;
    const std::size_t index = numbering[static_cast<std::size_t>(number - 1)];
    if (marked[index]) return std::nullopt;
    return index;
  }

  // The =ccc reply for the current message (RFC 937: READ, ACKS, ACKD and NACK all answer it).
  pop2_reply length_of_current() const {
    const std::string which = "message " + std::to_string(current);
    const auto index = live_index(current);
    if (!index) {
      if (current > numbering.size()) return codec::pop2_length(0, "no more messages");
      if (current == 0) return codec::pop2_length(0, "there is no message 0");
      return codec::pop2_length(0, which + " is deleted");
    }
    std::uint64_t size = box->messages()[*index].size;
    if (size == 0) return codec::pop2_length(0, which + " is empty");
    if (has(fault::pop2_wrong_length)) {
      std::string data;
      if (!box->content(*index, data)) size -= count_crlf(data);
    }
    return codec::pop2_length(size, "characters in " + which);
  }

  bool on_helo(const pop2_command& cmd, std::string& out) {
    const auto refuse = [&](std::string text) {
      if (!has(fault::pop2_bad_helo_stays_open)) return fail(out, std::move(text));
      send(out, codec::pop2_err(std::move(text)));
      return true;  // still in AUTH
    };
    const auto secret = users.secret(cmd.user);
    if (!secret || !same_secret(cmd.password, *secret))
      return refuse("invalid user name or password");
    auto opened = mail_store.open(cmd.user, {});
    switch (opened.status) {
      case store::open_status::ok:
        break;
      case store::open_status::in_use:
        return refuse("your mailbox is locked by another POP2 or POP3 session");
      default:
        return refuse("cannot open your mailbox: " + opened.detail);
    }
    user = cmd.user;
    select(std::move(opened.box));
    st = state::mbox;
    send(out, codec::pop2_count(numbering.size(), "messages in your mailbox"));
    return true;
  }

  bool on_fold(const pop2_command& cmd, std::string& out) {
    // The mailbox being left is released (with its ACKD deletions) before the new one is
    // opened, so FOLD to the mailbox already selected works and sees the deletions done.
    if (release(!has(fault::pop2_fold_no_commit)))
      return fail(out, "could not remove the messages marked deleted");
    auto opened = mail_store.open(user, cmd.mailbox);
    switch (opened.status) {
      case store::open_status::ok:
        select(std::move(opened.box));
        st = state::mbox;
        send(out, codec::pop2_count(numbering.size(), "messages in that mailbox"));
        return true;
      case store::open_status::no_such_mailbox:
      case store::open_status::invalid_name:
        // RFC 937: "If the mailbox is empty or does not exist, the number of messages reported
        // is zero." A name the store refuses can never exist.
        select(nullptr);
        st = state::mbox;
        send(out, codec::pop2_count(0, "no such mailbox"));
        return true;
      case store::open_status::in_use:
        // Our reading (docs/pop2.md): "#0" would claim the mailbox is empty, so a locked one
        // gets "-" and close, as HELO does for a locked default mailbox.
        return fail(out, "that mailbox is locked by another POP2 or POP3 session");
      case store::open_status::io_error:
        break;
    }
    return fail(out, "cannot open that mailbox: " + opened.detail);
  }

  bool on_read(const pop2_command& cmd, std::string& out) {
    if (cmd.number) current = *cmd.number;
    st = state::item;
    send(out, length_of_current());
    return true;
  }

  bool on_retr(std::string& out) {
    const auto index = live_index(current);
    const std::uint64_t size = index ? box->messages()[*index].size : 0;
    if (size == 0) {
      // RFC 937 action 7: a missing or zero-length message closes the connection, no reply.
      if (has(fault::pop2_retr_zero_sends)) {
        send(out, codec::pop2_err("no such message"));
        return true;  // still in ITEM
      }
      release(false);
      st = state::done;
      return false;
    }
    std::string data;
    // A message that can no longer be read, or whose wire form does not have the size the =ccc
    // reply was computed from, cannot be sent as announced: close rather than send a wrong count.
    if (box->content(*index, data) || data.size() != size) {
      release(false);
      st = state::done;
      return false;
    }
    out += has(fault::pop2_dot_stuffing) ? dot_stuff(data) : data;
    st = state::next;
    return true;
  }

  bool on_ack(pop2_keyword k, std::string& out) {
    const std::size_t index = numbering[static_cast<std::size_t>(current - 1)];
    switch (k) {
      case pop2_keyword::acks:
        ++current;
        break;
      case pop2_keyword::ackd:
        // Marked only: carried out when the mailbox is released by QUIT or FOLD. Every popspec
        // user has write access to its own mailboxes, so the mark is always made.
        marked[index] = true;
        if (has(fault::pop2_ackd_renumbers)) {
          numbering.erase(numbering.begin() + static_cast<std::ptrdiff_t>(current - 1));
        } else {
          ++current;
        }
        break;
      default:  // NACK: the current message stays the same (non-zero: it was just sent)
        if (has(fault::pop2_nack_advances)) ++current;
        break;
    }
    st = state::item;
    send(out, length_of_current());
    return true;
  }

  bool on_quit(std::string& out) {
    const bool ok = !release(true);
    st = state::done;
    send(out, ok ? codec::pop2_ok("OK, bye")
                 : codec::pop2_err("could not remove the messages marked deleted"));
    return false;
  }

  bool unexpected(pop2_keyword k, std::string& out) {
    return fail(out, std::string(codec::to_string(k)) + " is not valid in state " +
                         std::string(to_string(st)));
  }

  bool on_line(const codec::line_event& line, std::string& out) {
    if (st == state::done) return fail(out, "session is over");
    if (st == state::lstn) return fail(out, "command before the greeting");
    if (line.kind == codec::line_kind::too_long)
      return fail(out, "command line longer than 512 characters");
    if (line.kind == codec::line_kind::bare_lf) return fail(out, "command line not ended by CRLF");
    pop2_command cmd;
    if (const auto ec = codec::parse_pop2_command(line.text, cmd))
      return fail(out, "bad command: " + ec.message());

    switch (cmd.keyword) {
      case pop2_keyword::helo:
        if (st == state::auth) return on_helo(cmd, out);
        break;
      case pop2_keyword::fold:
        if (st == state::mbox || st == state::item) return on_fold(cmd, out);
        break;
      case pop2_keyword::read:
        if (st == state::mbox || st == state::item) return on_read(cmd, out);
        break;
      case pop2_keyword::retr:
        if (st == state::item) return on_retr(out);
        break;
      case pop2_keyword::acks:
      case pop2_keyword::ackd:
      case pop2_keyword::nack:
        if (st == state::next) return on_ack(cmd.keyword, out);
        break;
      case pop2_keyword::quit:
        if (st == state::auth || st == state::mbox || st == state::item) return on_quit(out);
        if (st == state::next && has(fault::pop2_quit_in_next)) return on_quit(out);
        break;
    }
    return unexpected(cmd.keyword, out);
  }
};

session::session(session_options options, store::store& store, const store::user_db& users)
    : impl_(std::make_unique<impl>(std::move(options), store, users)) {}

session::~session() = default;

std::string session::greeting() {
  auto& s = *impl_;
  if (s.st != state::lstn) {
    // "Open" in any state but LSTN is action 1.
    std::string out;
    s.fail(out, "connection already open");
    return out;
  }
  s.st = state::auth;
  return codec::serialize_pop2_greeting({s.options.hostname, "popspec server ready"});
}

bool session::on_line(const codec::line_event& line, std::string& out) {
  return impl_->on_line(line, out);
}

void session::on_timeout(std::string& out) {
  // The Timeout row has no LSTN cell: no command timer runs before the greeting.
  if (impl_->st == state::lstn) return;
  impl_->fail(out, "inactivity timeout, closing");
}

void session::on_disconnect() {
  impl_->release(false);
  impl_->st = state::done;
}

state session::current_state() const {
  return impl_->st;
}

}  // namespace popspec::pop2
