#include "player.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <map>
#include <memory>

#include "popspec/codec/escape.hpp"
#include "popspec/harness/loader.hpp"
#include "popspec/harness/matcher.hpp"
#include "popspec/harness/transport.hpp"
#include "popspec/harness/variables.hpp"
#include "popspec/store/fixture.hpp"
#include "popspec/util/md5.hpp"

namespace popspec::harness {

namespace asio = boost::asio;
using asio::awaitable;

namespace {

std::optional<std::string> fixture_wire(const fixture_message_ref& ref) {
  const auto& messages =
      ref.mailbox.empty() ? store::standard_messages() : store::standard_folder_messages();
  if (ref.number == 0 || ref.number > messages.size()) return std::nullopt;
  return messages[ref.number - 1].wire;
}

std::string pop2_quote(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

struct conn_state {
  std::unique_ptr<connection> conn;
  std::string timestamp;           // from the greeting, angle brackets included
  std::optional<std::string> len;  // POP2: the last =ccc
};

// Thrown inside the player only, to end a scenario early once its verdict is settled.
struct scenario_over {};

class player {
 public:
  player(const scenario& s, play_settings settings) : s_(s), settings_(std::move(settings)) {
    vars_["user"] = settings_.endpoint.user;
    vars_["pass"] = settings_.endpoint.pass;
    vars_["user2"] = settings_.endpoint.user2;
    vars_["pass2"] = settings_.endpoint.pass2;
  }

  awaitable<play_result> run() {
    start_ = steady_clock::now();
    try {
      for (step_ = 0; step_ < s_.steps.size(); ++step_) co_await run_step(s_.steps[step_]);
    } catch (const scenario_over&) {
    }
    // Close what is still open without QUIT, sharing one deadline: at most one more second.
    auto deadline = steady_clock::now() + std::chrono::seconds(1);
    for (auto& [name, c] : conns_) {
      if (c.conn && c.conn->is_open()) {
        event(name, "end of scenario: closing without QUIT");
        co_await c.conn->drop(deadline);
      }
    }
    conns_.clear();
    co_return std::move(result_);
  }

 private:
  // ---- recording ----------------------------------------------------------------------------

  // The step being played, none once the steps are over.
  std::optional<std::size_t> current_step() const {
    if (step_ < s_.steps.size()) return step_;
    return std::nullopt;
  }

  double now_ms() const {
    return std::chrono::duration<double, std::milli>(steady_clock::now() - start_).count();
  }

  void record(direction dir, const std::string& conn, std::string_view bytes) {
    if (!settings_.judge) return;
    if (transcript_octets_ >= settings_.transcript_limit) {
      // Past the limit the server's octets are dropped, but what the client sent is still
      // shown (its first 200 octets per write), so the conversation stays readable.
      if (!truncation_noted_) {
        truncation_noted_ = true;
        result_.transcript.push_back(
            {direction::event, conn,
             "transcript limit reached: the server's further octets are not kept", now_ms(),
             current_step()});
      }
      if (dir == direction::client_to_server && late_writes_ < 1000) {
        ++late_writes_;
        result_.transcript.push_back(
            {dir, conn, std::string(bytes.substr(0, 200)), now_ms(), current_step()});
      }
      return;
    }
    std::size_t keep = std::min(bytes.size(), settings_.transcript_limit - transcript_octets_);
    transcript_octets_ += keep;
    auto& t = result_.transcript;
    // Coalesce consecutive chunks of the same direction, connection and step.
    if (!t.empty() && t.back().dir == dir && t.back().connection == conn &&
        dir != direction::event && t.back().step_index == current_step())
      t.back().bytes.append(bytes.substr(0, keep));
    else
      t.push_back({dir, conn, std::string(bytes.substr(0, keep)), now_ms(), current_step()});
  }

  void event(const std::string& conn, std::string text) {
    if (settings_.judge)
      result_.transcript.push_back(
          {direction::event, conn, std::move(text), now_ms(), current_step()});
  }

  // ---- verdicts -----------------------------------------------------------------------------

  std::string step_label(const step& st, const std::string& command) const {
    std::string label = "step " + std::to_string(step_ + 1);
    if (!command.empty())
      label += " (" + codec::escape_bytes(command) + ")";
    else if (st.kind == step_kind::connect)
      label += " (greeting on " + st.connection + ")";
    return label;
  }

  [[noreturn]] void finish(verdict v, std::string reason, const source_location& where,
                           std::string expected = {}, std::string actual = {}) {
    result_.result = v;
    result_.reason = std::move(reason);
    if (!expected.empty() || !actual.empty())
      result_.failure = step_failure{step_, where.str(), std::move(expected), std::move(actual)};
    throw scenario_over{};
  }

  void judge(const step& st, const expectation& e, std::size_t sub, const std::string& command,
             const observation& seen, conn_state& c) {
    if (!settings_.judge) {
      // The reference side still learns captures so later steps expand the same way.
      auto check = check_expectation(e, s_.protocol, seen, with_connection(c), fixture_wire);
      for (auto& [k, v] : check.captures) vars_[k] = v;
      return;
    }
    std::string label = step_label(st, command);
    if (e.from_reference) {
      const recorded_response* ref = nullptr;
      if (settings_.reference)
        for (const auto& r : *settings_.reference)
          if (r.step_index == step_ && r.sub_index == sub) ref = &r;
      if (!ref)
        finish(verdict::error, label + ": the reference server gave no answer to compare with",
               e.where);
      recorded_response mine{step_, sub, command, st.kind == step_kind::connect, e.where, seen};
      auto target_n = normalise(mine, s_.protocol, uids_for_expect_);
      auto ref_n = normalise(*ref, s_.protocol, ref_uids_for_expect_);
      if (target_n == ref_n) return;
      std::string diff = describe_difference(target_n, ref_n);
      if (seen.end == response_end::timeout)
        finish(verdict::timeout, label + ": no response within the deadline", e.where,
               "the reference server's answer: " + ref_n.summary(), describe_observation(seen));
      finish(settings_.soft ? verdict::non_strict : verdict::fail,
             label + ": differs from the reference server: " + diff, e.where,
             "the reference server's answer: " + ref_n.summary(),
             describe_observation(seen) + "\n" + diff);
    }
    variable_map vars = with_connection(c);
    auto check = check_expectation(e, s_.protocol, seen, vars, fixture_wire);
    if (!check.error.empty()) {
      bool apop = check.error.find("${timestamp}") != std::string::npos ||
                  check.error.find("${apop_digest}") != std::string::npos;
      finish(apop ? verdict::unsupported : verdict::error,
             label + ": " + (apop ? "the greeting has no APOP timestamp" : check.error), e.where);
    }
    if (check.matched) {
      for (auto& [k, v] : check.captures) vars_[k] = v;
      const outcome& o = e.any_of[*check.matched];
      switch (check.result) {
        case verdict::pass:
          return;
        case verdict::non_strict:
          if (result_.result == verdict::pass) {
            result_.result = verdict::non_strict;
            result_.reason =
                label + ": " + (check.note.empty() ? describe_outcome(o, vars) : check.note);
          }
          return;
        default:
          finish(check.result,
                 label + ": " + (check.note.empty() ? describe_outcome(o, vars) : check.note),
                 o.where, describe_expectation(e, vars), describe_observation(seen));
      }
    }
    std::string why =
        check.mismatches.empty() ? describe_observation(seen) : check.mismatches.front();
    std::string actual = describe_observation(seen);
    for (std::size_t i = 0; i < check.mismatches.size() && check.mismatches.size() > 1; ++i)
      actual += "\n  (" + std::to_string(i + 1) + ") " + check.mismatches[i];
    if (check.mismatches.size() == 1 && check.mismatches[0] != actual)
      actual += "\n" + check.mismatches[0];
    if (seen.end == response_end::timeout)
      finish(verdict::timeout,
             label + ": no response within " + std::to_string(timeout_of(st).count()) + " ms",
             e.where, describe_expectation(e, vars), actual);
    finish(settings_.soft ? verdict::non_strict : verdict::fail, label + ": " + why, e.where,
           describe_expectation(e, vars), actual);
  }

  // ---- variables ----------------------------------------------------------------------------

  variable_map with_connection(const conn_state& c) const {
    variable_map vars = vars_;
    if (!c.timestamp.empty()) {
      vars["timestamp"] = c.timestamp;
      vars["apop_digest"] = util::md5_hex(c.timestamp + settings_.endpoint.pass);
    }
    if (c.len) vars["len"] = *c.len;
    return vars;
  }

  std::string expand_text(const text_template& t, const conn_state& c,
                          const source_location& where) {
    auto x = expand(t.text, with_connection(c));
    if (x.undefined) {
      if (*x.undefined == "timestamp" || *x.undefined == "apop_digest")
        finish(verdict::unsupported,
               step_label(s_.steps[step_], "") + ": the greeting has no APOP timestamp", where);
      finish(verdict::error,
             step_label(s_.steps[step_], "") + ": variable ${" + *x.undefined +
                 "} is not defined "
                 "(its capture did not match)",
             where);
    }
    return x.text;
  }

  // ---- I/O ----------------------------------------------------------------------------------

  std::chrono::milliseconds timeout_of(const step& st) const {
    return st.timeout.value_or(settings_.timeout);
  }

  conn_state& conn_for(const step& st) {
    auto it = conns_.find(st.connection);
    if (it == conns_.end() || !it->second.conn)
      finish(verdict::error,
             "step " + std::to_string(step_ + 1) + ": connection \"" + st.connection +
                 "\" is not open",
             st.where);
    return it->second;
  }

  read_plan plan_for(const expectation& e, const std::string& command, conn_state& c,
                     bool derive_multiline) {
    read_plan plan;
    if (s_.protocol == protocol_kind::pop3)
      plan.multiline_if_ok =
          e.multiline.value_or(derive_multiline && pop3_command_is_multiline(command));
    for (const auto& o : e.any_of) {
      if (o.silence_ms) {
        auto ms = std::chrono::milliseconds(*o.silence_ms);
        plan.silence = plan.silence ? std::max(*plan.silence, ms) : ms;
      }
      if (o.data_octets && !plan.pop2_data) {
        std::string n = expand_text(o.data_octets->text, c, o.where);
        std::uint64_t v = 0;
        auto [p, ec] = std::from_chars(n.data(), n.data() + n.size(), v);
        if (ec != std::errc() || p != n.data() + n.size() || n.empty())
          finish(verdict::error,
                 step_label(s_.steps[step_], command) + ": \"data_octets\" expands to \"" +
                     codec::escape_bytes(n) + "\", not a number",
                 o.where);
        plan.pop2_data = v;
      }
    }
    if (e.from_reference && settings_.reference) {
      // Read the way the reference's answer was read.
      for (const auto& r : *settings_.reference)
        if (r.step_index == step_ && r.sub_index == plan_sub_) {
          if (r.seen.pop2_data && r.seen.announced) plan.pop2_data = r.seen.announced;
        }
    }
    return plan;
  }

  awaitable<observation> read(conn_state& c, const read_plan& plan,
                              steady_clock::time_point deadline) {
    // (No co_await inside ?: : g++ 12 mishandles the temporaries.)
    observation seen;
    if (s_.protocol == protocol_kind::pop3)
      seen = co_await c.conn->read_pop3(plan, deadline);
    else
      seen = co_await c.conn->read_pop2(plan, deadline);
    if (s_.protocol == protocol_kind::pop2 && seen.end == response_end::complete &&
        !seen.pop2_data && seen.status_line.size() > 1 && seen.status_line[0] == '=') {
      std::size_t end = 1;
      while (end < seen.status_line.size() && seen.status_line[end] >= '0' &&
             seen.status_line[end] <= '9')
        ++end;
      if (end > 1) c.len = seen.status_line.substr(1, end - 1);
    }
    co_return seen;
  }

  // Waits for the server to close only when an alternative that needs to know is reached, in
  // order: an earlier alternative that matches without it costs no waiting.
  awaitable<void> resolve_closure(conn_state& c, const expectation& e, observation& seen,
                                  steady_clock::time_point deadline) {
    if (seen.end != response_end::complete) co_return;
    bool needed = e.from_reference && settings_.reference;
    if (needed) {
      needed = false;
      for (const auto& r : *settings_.reference)
        if (r.step_index == step_ && r.sub_index == plan_sub_) needed = r.seen.closed_after;
    }
    if (!needed) {
      variable_map vars = with_connection(c);
      for (const auto& o : e.any_of) {
        outcome open_ended = o;
        open_ended.then_closed = false;
        auto check = check_outcome(open_ended, s_.protocol, seen, vars, fixture_wire);
        if (!check.matched) continue;
        needed = o.then_closed;
        break;
      }
    }
    if (needed) co_await c.conn->await_close(seen, deadline);
  }

  // Reads and judges one response; records it for the differential comparison.
  awaitable<void> respond(const step& st, conn_state& c, const expectation& e, std::size_t sub,
                          std::string command, bool derive_multiline,
                          steady_clock::time_point deadline, bool greeting = false) {
    plan_sub_ = sub;
    read_plan plan = plan_for(e, command, c, derive_multiline);
    observation seen = co_await read(c, plan, deadline);
    co_await resolve_closure(c, e, seen, deadline);
    result_.responses.push_back({step_, sub, command, greeting, e.where, seen});
    if (!seen.problem.empty() && seen.end != response_end::complete)
      event(st.connection, std::string(to_string(seen.end)) + ": " + seen.problem);
    judge(st, e, sub, command, seen, c);
  }

  awaitable<bool> send(const step& st, conn_state& c, std::string bytes,
                       steady_clock::time_point deadline, std::string label) {
    std::string extra = c.conn->take_unsolicited();
    if (!extra.empty() && settings_.judge)
      finish(settings_.soft ? verdict::non_strict : verdict::fail,
             step_label(st, label) + ": the server sent " + std::to_string(extra.size()) +
                 " octets out of turn, before this command was sent",
             st.where, "nothing until the command is sent",
             "\"" + codec::escape_bytes(extra.substr(0, 200)) + "\"");
    auto ec = co_await c.conn->write(bytes, deadline);
    if (ec) event(st.connection, "write failed: " + ec.message());
    co_return !ec;
  }

  // One coroutine per step kind (a switch with locals across co_await trips g++ 12).
  awaitable<void> run_step(const step& st) {
    auto deadline = steady_clock::now() + timeout_of(st);
    switch (st.kind) {
      case step_kind::connect:
        co_await do_connect(st, deadline);
        break;
      case step_kind::login:
        co_await do_login(st, deadline);
        break;
      case step_kind::send:
        co_await do_send(st, deadline);
        break;
      case step_kind::send_raw:
        co_await do_send_raw(st, deadline);
        break;
      case step_kind::expect:
        co_await do_expect(st, deadline);
        break;
      case step_kind::close:
        co_await do_close(st, deadline);
        break;
      case step_kind::drop:
        co_await do_drop(st, deadline);
        break;
      case step_kind::sleep:
        co_await do_sleep(st);
        break;
    }
  }

  awaitable<void> do_connect(const step& st, steady_clock::time_point deadline) {
    conn_state c;
    c.conn = std::make_unique<connection>(co_await asio::this_coro::executor);
    std::string name = st.connection;
    c.conn->set_observer([this, name](direction d, std::string_view b) { record(d, name, b); });
    event(name,
          "connect to " + settings_.endpoint.host + ":" + std::to_string(settings_.endpoint.port));
    auto ec = co_await c.conn->connect(settings_.endpoint.host, settings_.endpoint.port, deadline);
    auto& slot = conns_[name];
    slot = std::move(c);
    if (ec) {
      event(name, "connect failed: " + ec.message());
      if (settings_.judge)
        finish(verdict::error, step_label(st, "") + ": cannot connect: " + ec.message(), st.where);
      throw scenario_over{};
    }
    plan_sub_ = 0;
    read_plan plan = plan_for(st.expect[0], "", slot, false);
    observation seen = co_await read(slot, plan, deadline);
    co_await resolve_closure(slot, st.expect[0], seen, deadline);
    if (s_.protocol == protocol_kind::pop3 && seen.end == response_end::complete) {
      auto lt = seen.status_line.find('<');
      auto gt = lt == std::string::npos ? lt : seen.status_line.find('>', lt);
      if (gt != std::string::npos) slot.timestamp = seen.status_line.substr(lt, gt - lt + 1);
    }
    result_.responses.push_back({step_, 0, "", true, st.expect[0].where, seen});
    judge(st, st.expect[0], 0, "", seen, slot);
    co_return;
  }

  awaitable<void> do_login(const step& st, steady_clock::time_point deadline) {
    conn_state& c = conn_for(st);
    bool second = st.account == "user2";
    std::string user = second ? settings_.endpoint.user2 : settings_.endpoint.user;
    std::string pass = second ? settings_.endpoint.pass2 : settings_.endpoint.pass;
    std::vector<std::string> commands;
    std::string positive = "+OK";
    if (s_.protocol == protocol_kind::pop2) {
      commands.push_back("HELO " + pop2_quote(user) + " " + pop2_quote(pass));
      positive = "#";
    } else {
      login_method m = st.method;
      if (m == login_method::automatic) {
        bool user_ok =
            !settings_.caps || settings_.caps->supported.count("USER") || !settings_.caps->has_capa;
        m = user_ok || c.timestamp.empty() ? login_method::user_pass : login_method::apop;
      }
      if (m == login_method::apop) {
        if (c.timestamp.empty())
          finish(verdict::unsupported,
                 step_label(st, "") +
                     ": APOP login needs a timestamp in "
                     "the greeting, and there is none",
                 st.where);
        commands.push_back("APOP " + user + " " + util::md5_hex(c.timestamp + pass));
      } else {
        commands.push_back("USER " + user);
        commands.push_back("PASS " + pass);
      }
    }
    for (std::size_t i = 0; i < commands.size(); ++i) {
      std::string bytes = commands[i] + "\r\n";
      co_await send(st, c, bytes, deadline, commands[i]);
      expectation e;
      e.where = st.where;
      outcome o;
      o.where = st.where;
      o.status = positive;
      e.any_of.push_back(o);
      plan_sub_ = i;
      observation seen = co_await read(c, read_plan{}, deadline);
      result_.responses.push_back({step_, i, commands[i], false, st.where, seen});
      if (!settings_.judge) continue;
      auto check = check_expectation(e, s_.protocol, seen, vars_, fixture_wire);
      if (!check.matched) {
        std::string shown = commands[i].rfind("PASS", 0) == 0 ? "PASS ..." : commands[i];
        if (seen.end == response_end::timeout)
          finish(verdict::timeout, step_label(st, shown) + ": no response within the deadline",
                 st.where, "status " + positive, describe_observation(seen));
        finish(settings_.soft ? verdict::non_strict : verdict::fail,
               step_label(st, shown) + ": login as " + user + " failed: " +
                   (check.mismatches.empty() ? describe_observation(seen) : check.mismatches[0]),
               st.where, "status " + positive, describe_observation(seen));
      }
    }
    co_return;
  }

  awaitable<void> do_send(const step& st, steady_clock::time_point deadline) {
    conn_state& c = conn_for(st);
    std::string bytes;
    std::vector<std::string> lines;
    for (const auto& t : st.commands) {
      lines.push_back(expand_text(t, c, st.where));
      bytes += lines.back() + "\r\n";
    }
    std::string label = lines.size() == 1 ? lines[0] : std::string();
    bool sent = co_await send(st, c, bytes, deadline, label);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (!sent) {
        observation seen;
        seen.end = response_end::closed;
        seen.problem = "the command could not be written";
        result_.responses.push_back({step_, i, lines[i], false, st.expect[i].where, seen});
        judge(st, st.expect[i], i, lines[i], seen, c);
        continue;
      }
      co_await respond(st, c, st.expect[i], i, lines[i], true, deadline);
    }
    co_return;
  }

  awaitable<void> do_send_raw(const step& st, steady_clock::time_point deadline) {
    conn_state& c = conn_for(st);
    std::string bytes;
    if (st.raw) {
      bytes = expand_text(*st.raw, c, st.where);
    } else {
      bytes = expand_text(st.repeat->prefix, c, st.where);
      bytes.reserve(bytes.size() + st.repeat->unit.size() * st.repeat->count + 64);
      for (std::uint64_t i = 0; i < st.repeat->count; ++i) bytes += st.repeat->unit;
      bytes += expand_text(st.repeat->suffix, c, st.where);
    }
    // Line i of the octets goes with expectation i, for the multi-line rule.
    std::vector<std::string> raw_lines;
    std::size_t start = 0;
    while (start < bytes.size()) {
      std::size_t lf = bytes.find('\n', start);
      if (lf == std::string::npos) break;
      std::string line = bytes.substr(start, lf - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      raw_lines.push_back(line.substr(0, 80));
      start = lf + 1;
    }
    bool derive = raw_lines.size() == st.expect.size();
    std::string raw_label =
        raw_lines.size() == 1 && bytes.size() < 100 ? raw_lines[0] : std::string();
    bool sent = co_await send(st, c, bytes, deadline, raw_label);
    for (std::size_t i = 0; i < st.expect.size(); ++i) {
      std::string label = derive ? raw_lines[i] : "";
      if (!sent) {
        observation seen;
        seen.end = response_end::closed;
        seen.problem = "the octets could not be written";
        result_.responses.push_back({step_, i, label, false, st.expect[i].where, seen});
        judge(st, st.expect[i], i, label, seen, c);
        continue;
      }
      co_await respond(st, c, st.expect[i], i, label, derive, deadline);
    }
    co_return;
  }

  awaitable<void> do_expect(const step& st, steady_clock::time_point deadline) {
    conn_state& c = conn_for(st);
    for (std::size_t i = 0; i < st.expect.size(); ++i) {
      std::string none;
      co_await respond(st, c, st.expect[i], i, none, false, deadline);
    }
    co_return;
  }

  awaitable<void> do_close(const step& st, steady_clock::time_point deadline) {
    conn_state& c = conn_for(st);
    expectation e;
    e.where = st.where;
    outcome o;
    o.where = st.where;
    o.status = s_.protocol == protocol_kind::pop3 ? "+OK" : "+";
    o.then_closed = true;
    e.any_of.push_back(o);
    std::string quit_bytes = "QUIT\r\n", quit = "QUIT";
    bool sent = co_await send(st, c, quit_bytes, deadline, quit);
    if (!sent) {
      observation seen;
      seen.end = response_end::closed;
      result_.responses.push_back({step_, 0, "QUIT", false, st.where, seen});
      judge(st, e, 0, "QUIT", seen, c);
    } else {
      co_await respond(st, c, e, 0, quit, false, deadline);
    }
    c.conn->close();
    conns_.erase(st.connection);
    co_return;
  }

  awaitable<void> do_drop(const step& st, steady_clock::time_point deadline) {
    conn_state& c = conn_for(st);
    event(st.connection, "closing the connection without QUIT");
    bool closed = co_await c.conn->drop(deadline);
    if (!closed) event(st.connection, "the server had not closed its side by the deadline");
    conns_.erase(st.connection);
    co_return;
  }

  awaitable<void> do_sleep(const step& st) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(st.sleep);
    co_await timer.async_wait(asio::use_awaitable);
    co_return;
  }

  const scenario& s_;
  play_settings settings_;
  play_result result_;
  variable_map vars_;
  std::map<std::string, conn_state> conns_;
  std::size_t step_ = 0;
  std::size_t plan_sub_ = 0;
  steady_clock::time_point start_;
  std::size_t transcript_octets_ = 0;
  std::size_t late_writes_ = 0;
  bool truncation_noted_ = false;
  uid_tokens uids_for_expect_;
  uid_tokens ref_uids_for_expect_;
};

}  // namespace

awaitable<play_result> play_scenario(const scenario& s, play_settings settings) {
  player p(s, std::move(settings));
  co_return co_await p.run();
}

}  // namespace popspec::harness
