#include "sessions/pop3_transcript.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "popspec/codec/line_framer.hpp"
#include "popspec/codec/pop3_command.hpp"
#include "popspec/codec/pop3_response.hpp"
#include "popspec/store/fixture.hpp"
#include "popspec/util/md5.hpp"
#include "sessions/exchange_log.hpp"
#include "sessions/session_world.hpp"
#include "support/check.hpp"

namespace popspec::fuzz {
namespace {

// What the server accepts (RFC 2449 §4: commands up to 255 octets with CRLF, which lifts RFC
// 1939's 40-octet argument limit; PASS takes the rest of the line, RFC 1939 PASS.4).
const codec::command_limits server_limits{255, 255, true};
// RFC 1939 §3 / RFC 2449 §4: the first line of any response, CRLF included.
constexpr std::size_t max_status_line = 512;
constexpr std::size_t max_uid = 70;  // RFC 1939 UIDL

const char* state_name(pop3::state s) {
  switch (s) {
    case pop3::state::authorization:
      return "AUTHORIZATION";
    case pop3::state::transaction:
      return "TRANSACTION";
    case pop3::state::update:
      return "UPDATE";
    case pop3::state::closed:
      return "closed";
  }
  return "?";
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The value of a decimal string, saturating (a huge number names no message).
std::uint64_t decimal(std::string_view s) {
  std::uint64_t v = 0;
  for (const char c : s) {
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return UINT64_MAX;
    v = v * 10 + d;
  }
  return v;
}

// A number written the plain way ("7", not "007"): a conforming server must accept it.
bool plain_number(std::string_view s) {
  return all_digits(s) && s.size() <= 18 && (s.size() == 1 || s[0] != '0');
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// `text` is `expected`, optionally followed by a space and more (RFC 1939: "no requirement on
// what follows" a drop or scan listing).
bool starts_listing(std::string_view text, std::string_view expected) {
  return text == expected || (text.starts_with(expected) && text[expected.size()] == ' ');
}

// TOP msg n, computed independently of the server: the header, the blank line, then the first
// n body lines (all of them if there are fewer). Lines end after LF.
std::string top_excerpt(std::string_view wire, std::uint64_t n) {
  std::size_t pos = 0;
  bool in_body = false;
  while (pos < wire.size()) {
    const std::size_t lf = wire.find('\n', pos);
    const std::size_t end = lf == std::string_view::npos ? wire.size() : lf + 1;
    const std::string_view line = wire.substr(pos, end - pos);
    if (!in_body) {
      pos = end;
      if (line == "\r\n" || line == "\n") in_body = true;
      continue;
    }
    if (n == 0) break;
    --n;
    pos = end;
  }
  return std::string(wire.substr(0, pos));
}

// Whether a +OK answer to this command is multi-line (RFC 1939 §3, RFC 2449 CAPA).
bool multiline_if_ok(const codec::command& c) {
  const auto& k = c.keyword;
  return k == "RETR" || k == "TOP" || k == "CAPA" ||
         ((k == "LIST" || k == "UIDL") && c.args.empty());
}

class pop3_checker {
 public:
  pop3_checker(const pop3_run_options& options, session_world& world)
      : options_(options), world_(world) {
    // What session_world put in the store (compared with the store at the end).
    initial_[std::string(store::default_user)] = {&standard_wires(),
                                                  world_.store.uids(store::default_user),
                                                  world_.store.accessed(store::default_user)};
    initial_[std::string(store::default_user2)] = {&no_messages_, {}, {}};
  }

  void greeting(std::string_view out) {
    log_.add("S: ", out);
    const codec::response r = parse(out, false);
    // RFC 1939 §4: the greeting MUST be positive; it carries the APOP timestamp (APOP.3).
    POPSPEC_FUZZ_CHECK(r.ok, "greeting must be +OK" + context());
    if (options_.prof == pop3::profile::rfc1939)
      POPSPEC_FUZZ_CHECK(r.text.find(fuzz_apop_timestamp) != std::string::npos,
                         "greeting must carry the APOP timestamp" + context());
  }

  // One framed line and the session's answer to it.
  void exchange(const codec::line_event& ev, pop3::state before, pop3::state after, bool keep_open,
                std::string_view out) {
    log_.add_client_line(ev);
    log_.add("S: ", out);
    before_ = before;
    after_ = after;
    keep_open_ = keep_open;
    const std::optional<std::string> user_before = std::exchange(accepted_user_, std::nullopt);

    codec::command cmd;
    std::error_code syntax;
    if (ev.kind == codec::line_kind::line)
      syntax = codec::parse_command(ev.text, cmd, server_limits);
    const bool malformed = ev.kind != codec::line_kind::line || syntax;
    const codec::response r = parse(out, !malformed && multiline_if_ok(cmd));

    // RFC 1939 §3: -ERR to a line that is not a command (bare LF, over-long, invalid syntax).
    if (malformed) {
      expect_refused(r, "a malformed line");
      return;
    }
    const std::string& k = cmd.keyword;
    const auto& args = cmd.args;
    const bool rfc1939 = options_.prof == pop3::profile::rfc1939;

    if (k == "QUIT") return quit(r, args.empty());
    if (k == "CAPA") {
      if (!rfc1939 || !args.empty()) return expect_refused(r, "CAPA here");
      POPSPEC_FUZZ_CHECK(r.ok && after == before, "CAPA must succeed in any state" + context());
      for (const auto line : codec::split_data_lines(r.data))
        POPSPEC_FUZZ_CHECK(!line.empty() && line.size() + 2 <= max_status_line,
                           "a CAPA line is empty or over 512 octets" + context());
      return;
    }
    if (before == pop3::state::authorization) return authorization(cmd, r, user_before);
    POPSPEC_FUZZ_CHECK(
        before == pop3::state::transaction,
        std::string("a command was answered in state ") + state_name(before) + context());
    transaction(cmd, r);
  }

  // The session is over: dropped, timed out, or closed after QUIT.
  void finish(const pop3::session& s) {
    POPSPEC_FUZZ_CHECK(
        s.current_state() == pop3::state::closed,
        std::string("session not closed at the end: ") + state_name(s.current_state()) + context());
    std::vector<std::size_t> marked;
    for (std::size_t i = 0; i < marked_.size(); ++i)
      if (marked_[i]) marked.push_back(i);
    auto committed = s.committed_deletions();
    std::sort(committed.begin(), committed.end());
    POPSPEC_FUZZ_CHECK(committed == (updated_ ? marked : std::vector<std::size_t>{}),
                       "committed_deletions() differs from the DELE marks at QUIT" + context());
    if (!updated_) {
      POPSPEC_FUZZ_CHECK(world_.store.commit_count() == 0,
                         "a session without QUIT committed deletions" + context());
    }
    for (const auto& [user, before] : initial_) {
      POPSPEC_FUZZ_CHECK(!world_.store.is_locked(user),
                         "maildrop of " + user + " still locked after the session" + context());
      if (updated_ && user == user_) {
        check_committed();
        continue;
      }
      POPSPEC_FUZZ_CHECK(world_.store.contents(user) == *before.contents,
                         "maildrop of " + user + " changed without QUIT" + context());
      POPSPEC_FUZZ_CHECK(world_.store.uids(user) == before.uids,
                         "unique-ids of " + user + " changed without QUIT" + context());
      POPSPEC_FUZZ_CHECK(world_.store.accessed(user) == before.accessed,
                         "accessed flags of " + user + " changed without QUIT" + context());
    }
  }

 private:
  struct snapshot {
    const std::vector<std::string>* contents;
    std::vector<std::string> uids;
    std::vector<bool> accessed;
  };

  std::string context() const {
    std::string s = "\n  profile " +
                    std::string(options_.prof == pop3::profile::rfc1939 ? "rfc1939" : "rfc1225") +
                    ", state before " + state_name(before_) + ", after " + state_name(after_) +
                    "\n  last exchanges:";
    s += log_.str();
    return s;
  }

  // Exactly one well-formed response, free of every violation the client-side parser detects.
  codec::response parse(std::string_view out, bool multiline) {
    codec::response_parser parser(multiline);
    std::error_code ec;
    const std::size_t used = parser.feed(out, ec);
    POPSPEC_FUZZ_CHECK(!ec && parser.done(), "response does not parse (" + ec.message() +
                                                 ", multi-line expected: " +
                                                 (multiline ? "yes" : "no") + ")" + context());
    POPSPEC_FUZZ_CHECK(used == out.size(),
                       "more than one response, or octets after the response" + context());
    codec::response r = parser.take_result();
    std::string kinds;
    for (const auto& v : r.violations) kinds += std::string(" ") + codec::to_string(v.kind);
    POPSPEC_FUZZ_CHECK(r.violations.empty() && r.violations_dropped == 0,
                       "protocol violations in the response:" + kinds + context());
    POPSPEC_FUZZ_CHECK(r.status_line.size() + 2 <= max_status_line,
                       "status line over 512 octets" + context());
    return r;
  }

  void expect_refused(const codec::response& r, std::string_view what) {
    POPSPEC_FUZZ_CHECK(!r.ok, "+OK to " + std::string(what) + ": -ERR expected" + context());
    POPSPEC_FUZZ_CHECK(after_ == before_, "a refused command changed the state" + context());
  }

  void quit(const codec::response& r, bool no_args) {
    if (!no_args) {
      expect_refused(r, "QUIT with arguments");
      POPSPEC_FUZZ_CHECK(keep_open_, "a refused QUIT closed the connection" + context());
      return;
    }
    POPSPEC_FUZZ_CHECK(r.ok && !keep_open_, "QUIT must answer +OK and close" + context());
    if (before_ == pop3::state::transaction) {
      updated_ = true;  // RFC 1939 §6: QUIT in TRANSACTION enters UPDATE
      check_committed();
    }
  }

  void authorization(const codec::command& cmd, const codec::response& r,
                     const std::optional<std::string>& user_before) {
    const auto& k = cmd.keyword;
    const auto& args = cmd.args;
    if (k == "USER") {
      // RFC 1939 USER.2: only after the greeting or a failed USER/PASS.
      if (r.ok) {
        POPSPEC_FUZZ_CHECK(
            !user_before && args.size() == 1,
            "+OK to USER right after a successful USER, or without one name" + context());
        accepted_user_ = args[0];
      }
      POPSPEC_FUZZ_CHECK(after_ == pop3::state::authorization,
                         "USER left AUTHORIZATION" + context());
      return;
    }
    if (k == "PASS") {
      const auto secret = user_before ? world_.users.secret(*user_before) : std::nullopt;
      const bool correct = secret && args.size() == 1 && args[0] == *secret;
      POPSPEC_FUZZ_CHECK(
          r.ok == correct,
          std::string(correct ? "-ERR to the right password" : "+OK to a wrong PASS") + context());
      if (correct) authenticated(*user_before);
      return expect_state_after_auth(correct);
    }
    if (k == "APOP" && options_.prof == pop3::profile::rfc1939) {
      const auto secret = args.size() == 2 ? world_.users.secret(args[0]) : std::nullopt;
      const std::string digest =
          secret ? util::md5_hex(std::string(fuzz_apop_timestamp) + *secret) : std::string();
      const bool correct = !user_before && secret && args[1] == digest;
      const bool acceptable = !user_before && secret && equal_ignoring_case(args[1], digest);
      if (correct) POPSPEC_FUZZ_CHECK(r.ok, "-ERR to a correct APOP digest" + context());
      if (r.ok) {
        POPSPEC_FUZZ_CHECK(acceptable, "+OK to a wrong APOP" + context());
        authenticated(args[0]);
      }
      return expect_state_after_auth(r.ok);
    }
    // STAT, LIST, ... before authentication, RPOP (refused), anything unknown: RFC 1939 §3.
    expect_refused(r, k + " in AUTHORIZATION");
  }

  void expect_state_after_auth(bool granted) {
    POPSPEC_FUZZ_CHECK(after_ == (granted ? pop3::state::transaction : pop3::state::authorization),
                       "wrong state after authentication" + context());
  }

  // +OK to PASS/APOP: the session now holds `user`'s maildrop as committed in the store.
  void authenticated(const std::string& user) {
    user_ = user;
    // Nothing has changed the store since the session started.
    const auto it = initial_.find(user);
    POPSPEC_FUZZ_CHECK(it != initial_.end(),
                       "authenticated as an unknown user " + user + context());
    messages_ = it->second.contents;
    uids_ = world_.store.uids(user);
    marked_.assign(messages_->size(), false);
    const auto accessed = world_.store.accessed(user);
    last_at_start_ = 0;
    for (std::size_t i = 0; i < accessed.size(); ++i)
      if (accessed[i]) last_at_start_ = i + 1;
    last_ = last_at_start_;
    POPSPEC_FUZZ_CHECK(world_.store.is_locked(user),
                       "maildrop not locked in TRANSACTION (RFC 1939 AUTH.5)" + context());
  }

  // The message a number argument names, if it exists and is not marked deleted.
  std::optional<std::size_t> live(std::string_view arg) const {
    if (!all_digits(arg)) return std::nullopt;
    const std::uint64_t n = decimal(arg);
    if (n == 0 || n > messages_->size() || marked_[n - 1]) return std::nullopt;
    return static_cast<std::size_t>(n - 1);
  }

  // +OK only for a live message; a plainly written live message must be accepted.
  std::optional<std::size_t> message_argument(const codec::response& r, std::string_view arg,
                                              std::string_view what) {
    const auto index = live(arg);
    if (!index)
      POPSPEC_FUZZ_CHECK(
          !r.ok, "+OK to " + std::string(what) + " of a missing or deleted message" + context());
    else if (plain_number(arg))
      POPSPEC_FUZZ_CHECK(r.ok, "-ERR to " + std::string(what) + " of a live message" + context());
    return r.ok ? index : std::nullopt;
  }

  std::string drop_listing() const {
    std::size_t count = 0;
    std::uint64_t octets = 0;
    for (std::size_t i = 0; i < messages_->size(); ++i)
      if (!marked_[i]) {
        ++count;
        octets += (*messages_)[i].size();
      }
    return std::to_string(count) + " " + std::to_string(octets);
  }

  void expect_arguments(const codec::response& r, bool right, std::string_view what) {
    if (!right) return expect_refused(r, std::string(what) + " with the wrong arguments");
    POPSPEC_FUZZ_CHECK(r.ok, "-ERR to a well-formed " + std::string(what) + context());
  }

  void transaction(const codec::command& cmd, const codec::response& r) {
    const auto& k = cmd.keyword;
    const auto& args = cmd.args;
    const bool rfc1939 = options_.prof == pop3::profile::rfc1939;
    POPSPEC_FUZZ_CHECK(after_ == pop3::state::transaction,
                       "left TRANSACTION without QUIT" + context());
    if (k == "STAT") {
      expect_arguments(r, args.empty(), "STAT");
      if (r.ok)  // RFC 1939 STAT: count and octets of the messages not marked deleted
        POPSPEC_FUZZ_CHECK(starts_listing(r.text, drop_listing()),
                           "STAT should be " + drop_listing() + context());
    } else if (k == "LIST" || (k == "UIDL" && rfc1939)) {
      const bool uidl = k == "UIDL";
      if (args.size() > 1) return expect_refused(r, k + " with two arguments");
      if (args.size() == 1) {
        if (const auto i = message_argument(r, args[0], k))
          POPSPEC_FUZZ_CHECK(listed(r.text, *i, uidl), "wrong " + k + " line" + context());
        return;
      }
      POPSPEC_FUZZ_CHECK(r.ok, "-ERR to " + k + context());
      const auto lines = codec::split_data_lines(r.data);
      std::size_t next = 0;
      for (std::size_t i = 0; i < messages_->size(); ++i) {
        if (marked_[i]) continue;
        POPSPEC_FUZZ_CHECK(
            next < lines.size() && listed(lines[next], i, uidl),
            k + " misses or misreports message " + std::to_string(i + 1) + context());
        ++next;
      }
      POPSPEC_FUZZ_CHECK(next == lines.size(),
                         k + " lists a deleted or unknown message" + context());
    } else if (k == "RETR") {
      if (args.size() != 1) return expect_refused(r, "RETR without exactly one argument");
      if (const auto i = message_argument(r, args[0], "RETR")) {
        // The octets delivered are the stored message: what STAT and LIST announced.
        POPSPEC_FUZZ_CHECK(r.data == (*messages_)[*i],
                           "RETR data differs from the stored message (" +
                               std::to_string(r.data.size()) + " vs " +
                               std::to_string((*messages_)[*i].size()) + " octets)" + context());
        last_ = std::max<std::uint64_t>(last_, *i + 1);  // RFC 1225 RETR
      }
    } else if (k == "TOP") {
      if (args.size() != 2) return expect_refused(r, "TOP without two arguments");
      if (!all_digits(args[1])) return expect_refused(r, "TOP with a line count that is no number");
      const auto index = live(args[0]);
      if (!index) return expect_refused(r, "TOP of a missing or deleted message");
      if (plain_number(args[0]) && plain_number(args[1]))
        POPSPEC_FUZZ_CHECK(r.ok, "-ERR to TOP of a live message" + context());
      if (r.ok)
        POPSPEC_FUZZ_CHECK(r.data == top_excerpt((*messages_)[*index], decimal(args[1])),
                           "TOP data is not the header plus the first lines" + context());
    } else if (k == "DELE") {
      if (args.size() != 1) return expect_refused(r, "DELE without exactly one argument");
      // RFC 1939 DELE.3: a marked message may not be named again, not even by DELE.
      if (const auto i = message_argument(r, args[0], "DELE")) {
        marked_[*i] = true;
        last_ = std::max<std::uint64_t>(last_, *i + 1);  // RFC 1225 DELE
      }
    } else if (k == "NOOP") {
      expect_arguments(r, args.empty(), "NOOP");
    } else if (k == "RSET") {
      expect_arguments(r, args.empty(), "RSET");
      if (r.ok) {  // RFC 1939 RSET: unmark all; RFC 1225 RSET: LAST back to its start value
        std::fill(marked_.begin(), marked_.end(), false);
        last_ = last_at_start_;
      }
    } else if (k == "LAST" && !rfc1939) {
      expect_arguments(r, args.empty(), "LAST");
      if (r.ok)
        POPSPEC_FUZZ_CHECK(starts_listing(r.text, std::to_string(last_)),
                           "LAST should be " + std::to_string(last_) + context());
    } else {
      // USER, PASS, APOP, RPOP after authentication; commands of the other profile; unknown.
      expect_refused(r, k + " in TRANSACTION");
    }
  }

  // A scan listing "n size" (LIST) or unique-id listing "n uid" (UIDL) of message index i.
  bool listed(std::string_view line, std::size_t i, bool uidl) const {
    const std::string head = std::to_string(i + 1) + " ";
    if (!uidl) return starts_listing(line, head + std::to_string((*messages_)[i].size()));
    // RFC 1939 UIDL: the unique-id, 1-70 octets of 0x21-0x7E, and nothing after it.
    const std::string& uid = uids_[i];
    const bool valid =
        !uid.empty() && uid.size() <= max_uid &&
        std::all_of(uid.begin(), uid.end(), [](char c) { return c > 0x20 && c < 0x7f; });
    return valid && line == head + uid;
  }

  // After QUIT in TRANSACTION: exactly the marked messages are gone, the rest kept in order.
  void check_committed() {
    std::vector<std::string> survivors;
    std::vector<std::string> survivor_uids;
    for (std::size_t i = 0; i < messages_->size(); ++i)
      if (!marked_[i]) {
        survivors.push_back((*messages_)[i]);
        survivor_uids.push_back(uids_[i]);
      }
    POPSPEC_FUZZ_CHECK(world_.store.contents(user_) == survivors,
                       "after QUIT the maildrop is not the unmarked messages" + context());
    POPSPEC_FUZZ_CHECK(world_.store.uids(user_) == survivor_uids,
                       "after QUIT the surviving unique-ids changed" + context());
  }

  const pop3_run_options& options_;
  session_world& world_;
  const std::vector<std::string> no_messages_;
  std::map<std::string, snapshot> initial_;
  exchange_log log_;
  pop3::state before_ = pop3::state::authorization;
  pop3::state after_ = pop3::state::authorization;
  bool keep_open_ = true;
  std::optional<std::string> accepted_user_;
  // TRANSACTION model.
  std::string user_;
  const std::vector<std::string>* messages_ = &no_messages_;
  std::vector<std::string> uids_;
  std::vector<bool> marked_;
  std::uint64_t last_at_start_ = 0;
  std::uint64_t last_ = 0;
  bool updated_ = false;
};

}  // namespace

void run_pop3_transcript(std::string_view transcript, const pop3_run_options& options) {
  // RFC 1225: messages 1 and 2 were retrieved in an earlier session, so LAST starts at 2.
  // (Seeding costs a maildrop open, so only the profile that has LAST pays for it.)
  session_world world(false, options.prof == pop3::profile::rfc1225 ? std::vector<std::size_t>{0, 1}
                                                                    : std::vector<std::size_t>{});
  pop3::session_options session_options;
  session_options.prof = options.prof;
  session_options.apop_timestamp = std::string(fuzz_apop_timestamp);
  session_options.faults = options.faults;
  pop3_checker checker(options, world);
  pop3::session session(session_options, world.store, world.users);
  checker.greeting(session.greeting());

  codec::line_framer framer(server_limits.max_line);
  framer.feed(transcript);
  std::size_t sent = 0;
  bool open = true;
  while (open && sent < session_output_budget) {
    const auto event = framer.next();
    if (!event) break;
    std::string out;
    const pop3::state before = session.current_state();
    open = session.on_line(*event, out);
    checker.exchange(*event, before, session.current_state(), open, out);
    sent += out.size();
  }
  // The end of the transcript: a partial line means the client went silent (autologout);
  // otherwise the connection dropped. After QUIT the server closes and nothing of this matters.
  if (open && framer.pending() > 0)
    session.on_autologout();
  else
    session.on_disconnect();
  checker.finish(session);
}

}  // namespace popspec::fuzz
