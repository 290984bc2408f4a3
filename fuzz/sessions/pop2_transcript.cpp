#include "sessions/pop2_transcript.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "popspec/codec/line_framer.hpp"
#include "popspec/codec/pop2_command.hpp"
#include "popspec/codec/pop2_reply.hpp"
#include "popspec/pop2/session.hpp"
#include "popspec/pop2/state_name.hpp"
#include "popspec/store/fixture.hpp"
#include "sessions/exchange_log.hpp"
#include "sessions/session_world.hpp"
#include "support/check.hpp"

namespace popspec::fuzz {
namespace {

using codec::pop2_keyword;
using codec::pop2_reply_kind;

const char* kind_name(pop2_reply_kind k) {
  switch (k) {
    case pop2_reply_kind::ok:
      return "+";
    case pop2_reply_kind::err:
      return "-";
    case pop2_reply_kind::count:
      return "#";
    case pop2_reply_kind::length:
      return "=";
  }
  return "?";
}

class pop2_checker {
 public:
  explicit pop2_checker(session_world& world) : world_(world) {
    // What session_world put in the store, shared rather than copied (the fixture is 110 KB).
    const auto unowned = [](const std::vector<std::string>& v) { return messages(messages(), &v); };
    const std::string user(store::default_user);
    expected_[{user, ""}] = unowned(standard_wires());
    expected_[{user, std::string(store::standard_folder_name)}] = unowned(folder_wires());
    expected_[{std::string(store::default_user2), ""}] =
        std::make_shared<const std::vector<std::string>>();
  }

  void greeting(std::string_view out) {
    log_.add("S: ", out);
    const auto reply = reply_line(out);
    codec::pop2_greeting greeting;
    POPSPEC_FUZZ_CHECK(
        reply.kind == pop2_reply_kind::ok && !codec::parse_pop2_greeting(reply, greeting),
        "the greeting is not \"+ POP2 host\"" + context());
  }

  void exchange(const codec::line_event& ev, pop2::state before, pop2::state after, bool keep_open,
                std::string_view out) {
    log_.add_client_line(ev);
    log_.add("S: ", out);
    before_ = before;
    after_ = after;
    keep_open_ = keep_open;
    out_ = out;

    codec::pop2_command cmd;
    if (ev.kind != codec::line_kind::line || codec::parse_pop2_command(ev.text, cmd))
      return garbage("a malformed line");
    const pop2::state s = before;
    using st = pop2::state;
    switch (cmd.keyword) {
      case pop2_keyword::helo:
        if (s == st::auth) return helo(cmd);
        break;
      case pop2_keyword::fold:
        if (s == st::mbox || s == st::item) return fold(cmd);
        break;
      case pop2_keyword::read:
        if (s == st::mbox || s == st::item) {
          if (cmd.number) current_ = *cmd.number;
          return length_reply("READ");
        }
        break;
      case pop2_keyword::retr:
        if (s == st::item) return retr();
        break;
      case pop2_keyword::acks:
      case pop2_keyword::ackd:
      case pop2_keyword::nack:
        if (s == st::next) return acknowledge(cmd.keyword);
        break;
      case pop2_keyword::quit:
        if (s == st::auth || s == st::mbox || s == st::item) return quit();
        break;
    }
    // QUIT in NEXT included: the client must acknowledge the message first.
    garbage(std::string(codec::to_string(cmd.keyword)) + " in state " +
            std::string(pop2::to_string(s)));
  }

  // The server's inactivity timer fired: "- ..." and close, nothing committed.
  void timeout(std::string_view out) {
    log_.add("(timeout) S: ", out);
    keep_open_ = false;
    after_ = pop2::state::done;
    out_ = out;
    if (!out.empty()) garbage("a timeout");
  }

  void finish(const pop2::session& s) {
    POPSPEC_FUZZ_CHECK(s.current_state() == pop2::state::done,
                       "session not in DONE at the end" + context());
    for (const auto& [key, contents] : expected_) {
      const auto& [user, mailbox] = key;
      POPSPEC_FUZZ_CHECK(!world_.store.is_locked(user, mailbox),
                         "mailbox " + user + "/" + mailbox + " still locked" + context());
      POPSPEC_FUZZ_CHECK(world_.store.contents(user, mailbox) == *contents,
                         "mailbox " + user + "/" + mailbox +
                             " is not what the ACKD marks committed by QUIT/FOLD leave" +
                             context());
    }
  }

 private:
  using mailbox_key = std::pair<std::string, std::string>;  // user, mailbox ("" = default)

  std::string context() const {
    std::string s = "\n  state before " + std::string(pop2::to_string(before_)) + ", after " +
                    std::string(pop2::to_string(after_)) + ", current message " +
                    std::to_string(current_) + "\n  last exchanges:";
    s += log_.str();
    return s;
  }

  // Exactly one reply line: CRLF only at its end, within RFC 937's 512 characters, parsable.
  codec::pop2_reply reply_line(std::string_view out) {
    POPSPEC_FUZZ_CHECK(
        out.size() >= 2 && out.find('\n') == out.size() - 1 && out.find('\r') == out.size() - 2,
        "not exactly one CRLF-terminated reply line" + context());
    POPSPEC_FUZZ_CHECK(out.size() <= codec::pop2_max_reply_line,
                       "reply line over 512 characters" + context());
    codec::pop2_reply reply;
    const auto ec = codec::parse_pop2_reply(out.substr(0, out.size() - 2), reply);
    POPSPEC_FUZZ_CHECK(!ec, "reply does not parse: " + ec.message() + context());
    return reply;
  }

  codec::pop2_reply expect_reply(pop2_reply_kind kind, pop2::state state, std::string_view what) {
    const auto reply = reply_line(out_);
    POPSPEC_FUZZ_CHECK(reply.kind == kind && keep_open_ && after_ == state,
                       std::string(what) + ": expected a " + kind_name(kind) + " reply in state " +
                           std::string(pop2::to_string(state)) + context());
    return reply;
  }

  // Decision table action 1: "- error" and close. The selected mailbox is released without
  // carrying out its ACKD marks (docs/pop2.md), so nothing changes in the store.
  void garbage(const std::string& what) {
    const auto reply = reply_line(out_);
    POPSPEC_FUZZ_CHECK(
        reply.kind == pop2_reply_kind::err && !keep_open_ && after_ == pop2::state::done,
        "expected \"-\" and a close for " + what + context());
    selected_.reset();
  }

  void helo(const codec::pop2_command& cmd) {
    const auto secret = world_.users.secret(cmd.user);
    if (!secret || *secret != cmd.password) return garbage("HELO with a wrong password");
    user_ = cmd.user;
    const auto reply = expect_reply(pop2_reply_kind::count, pop2::state::mbox, "HELO");
    select(mailbox_key{user_, ""});
    POPSPEC_FUZZ_CHECK(reply.number == snapshot_->size(),
                       "HELO's #nnn is not the message count" + context());
  }

  void fold(const codec::pop2_command& cmd) {
    commit();  // FOLD releases the mailbox it leaves, carrying out its ACKD marks
    const auto reply = expect_reply(pop2_reply_kind::count, pop2::state::mbox, "FOLD");
    select(mailbox_key{user_, cmd.mailbox});
    POPSPEC_FUZZ_CHECK(reply.number == snapshot_->size(),
                       "FOLD's #nnn is not the message count of " + cmd.mailbox + context());
  }

  void select(const mailbox_key& key) {
    selected_ = key;
    auto it = expected_.find(key);
    // A mailbox never seen before: as committed in the store (empty if it does not exist).
    if (it == expected_.end())
      it = expected_
               .emplace(key, std::make_shared<const std::vector<std::string>>(
                                 world_.store.contents(key.first, key.second)))
               .first;
    snapshot_ = it->second;
    marked_.assign(snapshot_->size(), false);
    current_ = 1;  // RFC 937: "set to one when a new folder is selected"
  }

  // QUIT or FOLD releases the selected mailbox: the store now holds the unmarked messages.
  void commit() {
    if (!selected_) return;
    if (std::find(marked_.begin(), marked_.end(), true) != marked_.end()) {
      auto survivors = std::make_shared<std::vector<std::string>>();
      for (std::size_t i = 0; i < snapshot_->size(); ++i)
        if (!marked_[i]) survivors->push_back((*snapshot_)[i]);
      expected_[*selected_] = std::move(survivors);
    }
    POPSPEC_FUZZ_CHECK(
        world_.store.contents(selected_->first, selected_->second) == *expected_[*selected_],
        "releasing the mailbox did not remove exactly the ACKD-marked messages" + context());
    selected_.reset();
  }

  // The current message's index if it exists and is not marked.
  std::optional<std::size_t> live() const {
    if (current_ == 0 || current_ > snapshot_->size() || marked_[current_ - 1]) return std::nullopt;
    return static_cast<std::size_t>(current_ - 1);
  }

  void length_reply(std::string_view what) {
    const auto reply = expect_reply(pop2_reply_kind::length, pop2::state::item, what);
    const auto index = live();
    const std::uint64_t size = index ? (*snapshot_)[*index].size() : 0;
    POPSPEC_FUZZ_CHECK(reply.number == size,
                       std::string(what) + ": =" + std::to_string(reply.number) + " but message " +
                           std::to_string(current_) + " has " + std::to_string(size) +
                           " characters" + context());
  }

  void retr() {
    const auto index = live();
    if (!index || (*snapshot_)[*index].empty()) {
      // RFC 937 action 7: no such message, close the connection (a "-" line is tolerated).
      POPSPEC_FUZZ_CHECK(!keep_open_ && after_ == pop2::state::done,
                         "RETR of a missing message must close the connection" + context());
      if (!out_.empty()) garbage("RETR of a missing message");
      selected_.reset();
      return;
    }
    // Exactly the =ccc octets announced: the message as stored, no stuffing, no terminator.
    POPSPEC_FUZZ_CHECK(
        keep_open_ && after_ == pop2::state::next && out_ == (*snapshot_)[*index],
        "RETR did not send exactly the " + std::to_string((*snapshot_)[*index].size()) +
            " announced characters (sent " + std::to_string(out_.size()) + ")" + context());
  }

  void acknowledge(pop2_keyword k) {
    POPSPEC_FUZZ_CHECK(live().has_value(), "NEXT state without a message just sent" + context());
    if (k == pop2_keyword::ackd) marked_[current_ - 1] = true;
    if (k != pop2_keyword::nack) ++current_;
    length_reply(codec::to_string(k));
  }

  void quit() {
    const auto reply = reply_line(out_);
    POPSPEC_FUZZ_CHECK(
        reply.kind == pop2_reply_kind::ok && !keep_open_ && after_ == pop2::state::done,
        "QUIT must answer + and close" + context());
    commit();
  }

  session_world& world_;
  using messages = std::shared_ptr<const std::vector<std::string>>;
  std::map<mailbox_key, messages> expected_;  // committed contents, as expected
  exchange_log log_;
  pop2::state before_ = pop2::state::auth;
  pop2::state after_ = pop2::state::auth;
  bool keep_open_ = true;
  std::string_view out_;
  std::string user_;
  std::optional<mailbox_key> selected_;
  messages snapshot_ = std::make_shared<const std::vector<std::string>>();  // as opened
  std::vector<bool> marked_;                                                // ACKD marks
  std::uint64_t current_ = 1;  // the current message indicator
};

}  // namespace

void run_pop2_transcript(std::string_view transcript, const pop2_run_options& options) {
  session_world world(true);
  pop2::session_options session_options;
  session_options.faults = options.faults;
  pop2_checker checker(world);
  pop2::session session(session_options, world.store, world.users);
  checker.greeting(session.greeting());

  codec::line_framer framer(codec::pop2_max_command_line);
  framer.feed(transcript);
  std::size_t sent = 0;
  bool open = true;
  while (open && sent < session_output_budget) {
    const auto event = framer.next();
    if (!event) break;
    std::string out;
    const pop2::state before = session.current_state();
    open = session.on_line(*event, out);
    checker.exchange(*event, before, session.current_state(), open, out);
    sent += out.size();
  }
  if (open && framer.pending() > 0) {
    // A partial line, then silence: the server's timer (RFC 937 T2) fires.
    std::string out;
    session.on_timeout(out);
    checker.timeout(out);
  }
  session.on_disconnect();
  checker.finish(session);
}

}  // namespace popspec::fuzz
