#include "popspec/server/listen_address.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace popspec::server {
namespace {

bool is_numeric_address(const std::string& host) {
  unsigned char buf[sizeof(in6_addr)];
  return ::inet_pton(AF_INET, host.c_str(), buf) == 1 ||
         ::inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

bool parse_port(std::string_view text, std::uint16_t& port) {
  if (text.empty() || text.size() > 5) return false;
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value > 65535) return false;
  port = static_cast<std::uint16_t>(value);
  return true;
}

}  // namespace

bool parse_listen_address(std::string_view text, listen_address& out, std::string& error) {
  const std::string quoted = "'" + std::string(text) + "'";
  std::string_view host;
  std::string_view port_text = text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      error = "invalid address " + quoted + ": expected [IPv6]:PORT";
      return false;
    }
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else if (const auto colon = text.rfind(':'); colon != std::string_view::npos) {
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      error = "invalid address " + quoted + ": write IPv6 addresses as [ADDR]:PORT";
      return false;
    }
  }
  std::uint16_t port = 0;
  if (!parse_port(port_text, port)) {
    error = "invalid address " + quoted + ": the port must be a number from 0 to 65535";
    return false;
  }
  listen_address parsed;
  parsed.port = port;
  if (!host.empty()) {
    parsed.host = std::string(host);
    if (!is_numeric_address(parsed.host)) {
      error = "invalid address " + quoted + ": '" + parsed.host +
              "' is not a numeric IP address (e.g. 127.0.0.1)";
      return false;
    }
  }
  out = std::move(parsed);
  return true;
}

bool is_valid_hostname(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-';
    if (!ok) return false;
  }
  const auto edge = [](char c) { return c == '.' || c == '-'; };
  return !edge(name.front()) && !edge(name.back());
}

}  // namespace popspec::server
