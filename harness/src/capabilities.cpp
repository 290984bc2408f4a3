#include "popspec/harness/capabilities.hpp"

// g++ 12 reports a false -Wmismatched-new-delete for Asio's awaitable frames, which allocate
// and free through the same awaitable_frame_base operators (GCC bug 109224).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include <boost/asio/this_coro.hpp>
#include <cstdio>
#include <memory>
#include <vector>

#include "popspec/harness/matcher.hpp"
#include "popspec/harness/transport.hpp"
#include "popspec/store/fixture.hpp"
#include "popspec/util/md5.hpp"

namespace popspec::harness {

namespace asio = boost::asio;

namespace {

std::string upper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

bool positive_pop3(const observation& o) {
  return o.end == response_end::complete && o.status_line.rfind("+OK", 0) == 0;
}

// Discovery learns what a server has, it does not judge it: a status line that starts "+OK" in
// any case is positive, however the rest of the response turned out (data cut short by the
// deadline or a close, a malformed list). The scenarios then judge the defect instead of
// being marked unsupported or skipped.
bool answered_positively(const observation& o) {
  if (o.status_line.size() < 3) return false;
  switch (o.end) {
    case response_end::complete:
    case response_end::timeout_midway:
    case response_end::closed_midway:
    case response_end::malformed:
    case response_end::too_large:
      break;
    default:
      return false;
  }
  std::string head = o.status_line.substr(0, 3);
  return head == "+OK" || head == "+ok" || head == "+Ok" || head == "+oK";
}

// The server is gone: a command could not be written or got nothing before the close.
bool connection_lost(const observation& o) {
  return o.end == response_end::closed || o.end == response_end::send_failed;
}

std::string pop2_quote(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::uint64_t fixture_octets() {
  std::uint64_t total = 0;
  for (const auto& m : store::standard_messages()) total += m.wire.size();
  return total;
}

// Messages whose content identifies the standard fixture: small ones with no line starting
// with "." (so a server that gets dot-stuffing wrong still shows the same text), the first and
// the last of them.
std::vector<std::size_t> content_probes() {
  std::vector<std::size_t> plain;
  const auto& fixture = store::standard_messages();
  for (std::size_t i = 0; i < fixture.size(); ++i) {
    const std::string& wire = fixture[i].wire;
    bool dot = !wire.empty() && wire[0] == '.';
    dot = dot || wire.find("\n.") != std::string::npos;
    if (!dot && wire.size() <= 4096) plain.push_back(i + 1);
  }
  if (plain.size() > 2) plain.erase(plain.begin() + 1, plain.end() - 1);
  return plain;
}

// Decides whether the maildrop holds the standard fixture from the message count and the content
// of a message or two (RETR), not from sizes: a server that reports wrong sizes must fail the
// size scenarios, not have them skipped. Only when the content cannot be read (RETR never
// ends, say) do the STAT sizes decide instead.
template <typename Command>
asio::awaitable<void> check_fixture(target_capabilities& caps, std::uint64_t count,
                                    std::uint64_t size, Command& command) {
  const auto& fixture = store::standard_messages();
  if (count != fixture.size()) {
    caps.fixture_problem = "STAT says " + std::to_string(count) +
                           " messages; the standard fixture has " + std::to_string(fixture.size());
    co_return;
  }
  std::string unreadable;
  for (std::size_t n : content_probes()) {
    std::string line = "RETR " + std::to_string(n);
    observation retr = co_await command(line, true);
    if (retr.end != response_end::complete || !retr.multiline) {
      unreadable = line + " gave no whole message (" + std::string(to_string(retr.end)) + ")";
      break;
    }
    if (wire_lines(retr.data) != wire_lines(fixture[n - 1].wire)) {
      caps.fixture_problem = "message " + std::to_string(n) +
                             " (RETR) differs from the standard fixture's message " +
                             std::to_string(n);
      co_return;
    }
  }
  if (unreadable.empty()) {
    caps.standard_fixture = true;
    co_return;
  }
  caps.standard_fixture = size == fixture_octets();
  if (!caps.standard_fixture)
    caps.fixture_problem = unreadable + ", and STAT says " + std::to_string(size) +
                           " octets; the standard fixture has " + std::to_string(fixture_octets());
}

}  // namespace

asio::awaitable<target_capabilities> discover_capabilities(endpoint_config endpoint,
                                                           protocol_kind protocol,
                                                           std::chrono::milliseconds timeout) {
  target_capabilities caps;
  auto executor = co_await asio::this_coro::executor;
  auto conn = std::make_unique<connection>(executor);
  auto deadline = [&] { return steady_clock::now() + timeout; };
  std::error_code connect_error = co_await conn->connect(endpoint.host, endpoint.port, deadline());
  if (auto ec = connect_error) {
    caps.connect_error = ec.message();
    co_return caps;
  }
  caps.reachable = true;
  auto command = [&](std::string line, bool multiline) -> asio::awaitable<observation> {
    std::string bytes = line + "\r\n";
    std::error_code write_error = co_await conn->write(bytes, deadline());
    if (write_error) {
      observation failed;
      failed.end = response_end::send_failed;
      co_return failed;
    }
    read_plan plan;
    plan.multiline_if_ok = multiline;
    // (No co_await inside ?: or conditions: g++ 12 mishandles temporaries there.)
    observation seen;
    if (protocol == protocol_kind::pop3)
      seen = co_await conn->read_pop3(plan, deadline());
    else
      seen = co_await conn->read_pop2(plan, deadline());
    if (seen.end == response_end::timeout)  // the keyword only: a PASS line holds the password
      caps.unanswered.push_back(line.substr(0, line.find(' ')) + " got no answer within " +
                                std::to_string(timeout.count()) + " ms");
    co_return seen;
  };

  if (protocol == protocol_kind::pop2) {
    caps.method = "probe";
    auto greeting = co_await conn->read_pop2({}, deadline());
    caps.greeting = greeting.status_line;
    if (greeting.end != response_end::complete || greeting.status_line.rfind('+', 0) != 0) {
      caps.login_problem = "no positive greeting (" + std::string(to_string(greeting.end)) + ")";
      co_await conn->drop(steady_clock::now() + std::chrono::milliseconds(200));
      co_return caps;
    }
    std::string helo_line = "HELO " + pop2_quote(endpoint.user) + " " + pop2_quote(endpoint.pass);
    auto helo = co_await command(helo_line, false);
    if (helo.end != response_end::complete || helo.status_line.rfind('#', 0) != 0) {
      caps.login_problem = "HELO answered \"" + helo.status_line + "\"";
      conn->close();
      co_return caps;
    }
    caps.logged_in = true;
    caps.messages = std::strtoull(helo.status_line.c_str() + 1, nullptr, 10);
    const auto& fixture = store::standard_messages();
    caps.standard_fixture = caps.messages == fixture.size();
    for (std::size_t i = 0; caps.standard_fixture && i < fixture.size(); ++i) {
      std::string read_line = "READ " + std::to_string(i + 1);
      auto read = co_await command(read_line, false);
      if (read.status_line != "=" + std::to_string(fixture[i].wire.size()) &&
          read.status_line.rfind("=" + std::to_string(fixture[i].wire.size()) + " ", 0) != 0) {
        caps.standard_fixture = false;
        caps.fixture_problem = "message " + std::to_string(i + 1) + " has length \"" +
                               read.status_line + "\", the fixture's is " +
                               std::to_string(fixture[i].wire.size());
      }
    }
    if (!caps.standard_fixture && caps.fixture_problem.empty())
      caps.fixture_problem = "the maildrop holds " + std::to_string(caps.messages) +
                             " messages, the fixture " + std::to_string(fixture.size());
    std::string fold_line = "FOLD " + std::string(store::standard_folder_name);
    auto fold = co_await command(fold_line, false);
    if (fold.end == response_end::complete && fold.status_line.rfind('#', 0) == 0)
      caps.supported.insert("FOLD");
    if (fold.end == response_end::complete && fold.status_line.rfind('#', 0) == 0)
      co_await command("QUIT", false);
    co_await conn->drop(deadline());
    co_return caps;
  }

  // The greeting of the current connection; false when there is no usable one.
  std::string timestamp;
  auto greet = [&]() -> asio::awaitable<bool> {
    auto greeting = co_await conn->read_pop3({}, deadline());
    caps.greeting = greeting.status_line;
    if (!answered_positively(greeting) || greeting.end != response_end::complete) {
      caps.login_problem = "no positive greeting (" + std::string(to_string(greeting.end)) + ")";
      co_return false;
    }
    timestamp.clear();
    if (auto lt = caps.greeting.find('<'); lt != std::string::npos) {
      if (auto gt = caps.greeting.find('>', lt); gt != std::string::npos) {
        timestamp = caps.greeting.substr(lt, gt - lt + 1);
        caps.supported.insert("APOP");  // RFC 2449 §6: APOP is announced by the timestamp
      }
    }
    co_return true;
  };
  // A server may close after a -ERR (to CAPA, say): start again on a new connection.
  auto reconnect = [&]() -> asio::awaitable<bool> {
    conn->close();
    conn = std::make_unique<connection>(executor);
    std::error_code ec = co_await conn->connect(endpoint.host, endpoint.port, deadline());
    if (ec) {
      caps.login_problem = "reconnecting failed: " + ec.message();
      co_return false;
    }
    bool greeted = co_await greet();
    co_return greeted;
  };

  bool greeted = co_await greet();
  if (!greeted) {
    // No usable greeting: nothing more can be learnt without waiting out more deadlines.
    co_await conn->drop(steady_clock::now() + std::chrono::milliseconds(200));
    co_return caps;
  }
  // RFC 2449 §5: a +OK status line means the server has CAPA, even when the list after it is
  // malformed or never terminated; the CAPA scenarios then run and fail instead of being
  // marked unsupported. A list that did not arrive whole is read as far as it got, and the
  // optional commands are probed too.
  auto capa = co_await command("CAPA", true);
  bool capa_list_whole = false;
  if (answered_positively(capa)) {
    caps.has_capa = true;
    caps.method = "capa";
    caps.supported.insert("CAPA");
    capa_list_whole = capa.end == response_end::complete && capa.multiline;
    for_each_data_line(capa.data, [&](std::string_view line) {
      std::string tag = upper(std::string(line.substr(0, line.find(' '))));
      if (!tag.empty()) caps.supported.insert(tag);
      return true;
    });
    if (!capa_list_whole) caps.method = "capa+probe";
  } else {
    caps.method = "probe";
  }
  bool probe = !capa_list_whole;
  // Log in: USER/PASS, else APOP.
  std::string user_line = "USER " + endpoint.user;
  auto user = co_await command(user_line, false);
  if (connection_lost(user)) {
    bool again = co_await reconnect();
    if (!again) {
      conn->close();
      co_return caps;
    }
    user = co_await command(user_line, false);
  }
  if (answered_positively(user)) {
    std::string pass_line = "PASS " + endpoint.pass;
    auto pass = co_await command(pass_line, false);
    if (answered_positively(pass)) {
      caps.logged_in = true;
      if (probe) caps.supported.insert("USER");
    } else {
      caps.login_problem = "PASS answered \"" + pass.status_line + "\"";
      if (connection_lost(pass) && !timestamp.empty()) {
        bool again = co_await reconnect();
        if (!again) {
          conn->close();
          co_return caps;
        }
      }
    }
  } else {
    caps.login_problem = "USER answered \"" + user.status_line + "\"";
  }
  if (!caps.logged_in && !timestamp.empty()) {
    if (conn->peer_closed()) {
      bool again = co_await reconnect();
      if (!again) {
        conn->close();
        co_return caps;
      }
    }
    std::string apop_line =
        "APOP " + endpoint.user + " " + util::md5_hex(timestamp + endpoint.pass);
    auto apop = co_await command(apop_line, false);
    if (answered_positively(apop)) {
      caps.logged_in = true;
      caps.login_problem.clear();
    } else {
      caps.login_problem += "; APOP answered \"" + apop.status_line + "\"";
    }
  }
  if (caps.logged_in) {
    auto stat = co_await command("STAT", false);
    unsigned long long count = 0, size = 0;
    bool stat_read = answered_positively(stat) &&
                     std::sscanf(stat.status_line.c_str() + 3, " %llu %llu", &count, &size) == 2;
    if (stat_read) {
      caps.messages = count;
      co_await check_fixture(caps, count, size, command);
    }
    if (probe) {
      if (caps.messages > 0) {
        observation top = co_await command("TOP 1 0", true);
        if (answered_positively(top)) caps.supported.insert("TOP");
      }
      observation uidl = co_await command("UIDL", true);
      if (answered_positively(uidl)) caps.supported.insert("UIDL");
    }
    // LAST (RFC 1225) is never announced by CAPA: always probe it.
    observation last = co_await command("LAST", false);
    if (positive_pop3(last)) caps.supported.insert("LAST");
  }
  // QUIT without any DELE: nothing can be removed.
  co_await command("QUIT", false);
  co_await conn->drop(deadline());
  co_return caps;
}

}  // namespace popspec::harness
