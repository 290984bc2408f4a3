#pragma once
// Capability discovery: what a target supports (to mark scenarios "unsupported" instead of
// failing them) and whether its maildrop holds the standard fixture. RFC 2449 CAPA first; where
// CAPA is absent, optional commands are probed (RFC 2449 §5: "-ERR to CAPA: fall back to
// probing"). Discovery never deletes anything: it ends with QUIT before any DELE.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "popspec/harness/scenario.hpp"

namespace popspec::harness {

struct endpoint_config {
  std::string host;
  std::uint16_t port = 0;
  std::string user, pass, user2, pass2;
};

struct target_capabilities {
  bool reachable = false;
  std::string connect_error;        // why the connection failed ("Connection refused")
  std::string greeting;             // the greeting line as received
  bool has_capa = false;            // CAPA answered +OK
  std::set<std::string> supported;  // names usable in a scenario's "needs" (upper case)
  bool logged_in = false;           // ${user} could log in
  std::string login_problem;        // why not
  std::size_t messages = 0;         // in ${user}'s maildrop
  bool standard_fixture = false;    // ${user}'s maildrop matches the standard fixture
  std::string fixture_problem;      // why not
  std::string method;               // "capa", "probe": how capabilities were found
  // Discovery commands that got no answer within the deadline ("CAPA got no answer within
  // 2000 ms"). What they would have shown is missing from `supported`, so a slow target's
  // scenarios would read "unsupported"; the runner names these next to that verdict.
  std::vector<std::string> unanswered;
};

// Discovers the capabilities of a POP3 or POP2 server.
boost::asio::awaitable<target_capabilities> discover_capabilities(
    endpoint_config endpoint, protocol_kind protocol, std::chrono::milliseconds timeout);

}  // namespace popspec::harness
