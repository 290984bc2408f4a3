#include "popspec/harness/capabilities.hpp"

#include <boost/asio/this_coro.hpp>

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

}  // namespace

asio::awaitable<target_capabilities> discover_capabilities(endpoint_config endpoint,
                                                           protocol_kind protocol,
                                                           std::chrono::milliseconds timeout) {
  target_capabilities caps;
  connection conn(co_await asio::this_coro::executor);
  auto deadline = [&] { return steady_clock::now() + timeout; };
  std::error_code connect_error = co_await conn.connect(endpoint.host, endpoint.port, deadline());
  if (auto ec = connect_error) {
    caps.connect_error = ec.message();
    co_return caps;
  }
  caps.reachable = true;
  auto command = [&](std::string line, bool multiline) -> asio::awaitable<observation> {
    std::string bytes = line + "\r\n";
    std::error_code write_error = co_await conn.write(bytes, deadline());
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
      seen = co_await conn.read_pop3(plan, deadline());
    else
      seen = co_await conn.read_pop2(plan, deadline());
    co_return seen;
  };

  if (protocol == protocol_kind::pop2) {
    caps.method = "probe";
    auto greeting = co_await conn.read_pop2({}, deadline());
    caps.greeting = greeting.status_line;
    if (greeting.end != response_end::complete || greeting.status_line.rfind('+', 0) != 0) {
      caps.login_problem = "no positive greeting (" + std::string(to_string(greeting.end)) + ")";
      co_await conn.drop(steady_clock::now() + std::chrono::milliseconds(200));
      co_return caps;
    }
    std::string helo_line = "HELO " + pop2_quote(endpoint.user) + " " + pop2_quote(endpoint.pass);
    auto helo = co_await command(helo_line, false);
    if (helo.end != response_end::complete || helo.status_line.rfind('#', 0) != 0) {
      caps.login_problem = "HELO answered \"" + helo.status_line + "\"";
      conn.close();
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
    co_await conn.drop(deadline());
    co_return caps;
  }

  auto greeting = co_await conn.read_pop3({}, deadline());
  caps.greeting = greeting.status_line;
  if (!positive_pop3(greeting)) {
    // No usable greeting: nothing more can be learnt without waiting out more deadlines.
    caps.login_problem = "no positive greeting (" + std::string(to_string(greeting.end)) + ")";
    co_await conn.drop(steady_clock::now() + std::chrono::milliseconds(200));
    co_return caps;
  }
  std::string timestamp;
  if (auto lt = caps.greeting.find('<'); lt != std::string::npos) {
    if (auto gt = caps.greeting.find('>', lt); gt != std::string::npos) {
      timestamp = caps.greeting.substr(lt, gt - lt + 1);
      caps.supported.insert("APOP");  // RFC 2449 §6: APOP is announced by the timestamp
    }
  }
  auto capa = co_await command("CAPA", true);
  if (positive_pop3(capa)) {
    caps.has_capa = true;
    caps.method = "capa";
    caps.supported.insert("CAPA");
    for_each_data_line(capa.data, [&](std::string_view line) {
      std::string tag = upper(std::string(line.substr(0, line.find(' '))));
      if (!tag.empty()) caps.supported.insert(tag);
      return true;
    });
  } else {
    caps.method = "probe";
  }
  // Log in: USER/PASS, else APOP.
  std::string user_line = "USER " + endpoint.user;
  auto user = co_await command(user_line, false);
  if (positive_pop3(user)) {
    std::string pass_line = "PASS " + endpoint.pass;
    auto pass = co_await command(pass_line, false);
    if (positive_pop3(pass)) {
      caps.logged_in = true;
      if (!caps.has_capa) caps.supported.insert("USER");
    } else {
      caps.login_problem = "PASS answered \"" + pass.status_line + "\"";
    }
  } else {
    caps.login_problem = "USER answered \"" + user.status_line + "\"";
  }
  if (!caps.logged_in && !timestamp.empty()) {
    std::string apop_line =
        "APOP " + endpoint.user + " " + util::md5_hex(timestamp + endpoint.pass);
    auto apop = co_await command(apop_line, false);
    if (positive_pop3(apop)) {
      caps.logged_in = true;
      caps.login_problem.clear();
    } else {
      caps.login_problem += "; APOP answered \"" + apop.status_line + "\"";
    }
  }
  if (caps.logged_in) {
    auto stat = co_await command("STAT", false);
    if (positive_pop3(stat)) {
      unsigned long long count = 0, size = 0;
      if (std::sscanf(stat.status_line.c_str(), "+OK %llu %llu", &count, &size) == 2) {
        caps.messages = count;
        const auto& fixture = store::standard_messages();
        caps.standard_fixture = count == fixture.size() && size == fixture_octets();
        if (!caps.standard_fixture)
          caps.fixture_problem = "STAT says " + std::to_string(count) + " messages, " +
                                 std::to_string(size) + " octets; the standard fixture has " +
                                 std::to_string(fixture.size()) + " messages, " +
                                 std::to_string(fixture_octets()) + " octets";
      }
    }
    if (!caps.has_capa) {
      if (caps.messages > 0) {
        observation top = co_await command("TOP 1 0", true);
        if (positive_pop3(top)) caps.supported.insert("TOP");
      }
      observation uidl = co_await command("UIDL", true);
      if (positive_pop3(uidl)) caps.supported.insert("UIDL");
    }
    // LAST (RFC 1225) is never announced by CAPA: always probe it.
    observation last = co_await command("LAST", false);
    if (positive_pop3(last)) caps.supported.insert("LAST");
  }
  // QUIT without any DELE: nothing can be removed.
  co_await command("QUIT", false);
  co_await conn.drop(deadline());
  co_return caps;
}

}  // namespace popspec::harness
