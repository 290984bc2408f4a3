#pragma once
// Parsing of `popspec serve --pop3/--pop2` arguments and of --hostname, with no I/O.
#include <string>
#include <string_view>

#include "popspec/server/server.hpp"

namespace popspec::server {

// Accepts "ADDR:PORT", ":PORT", "PORT" and "[IPv6]:PORT". ADDR must be a numeric address; it
// defaults to 127.0.0.1 when absent, so a non-loopback address is bound only when spelled out.
// PORT is 0..65535 (0 picks a free port). On failure returns false and sets `error`.
bool parse_listen_address(std::string_view text, listen_address& out, std::string& error);

// True when `name` can go into a greeting and an APOP msg-id unchanged: 1..253 octets of
// [A-Za-z0-9.-], not starting or ending with '.' or '-'.
bool is_valid_hostname(std::string_view name);

}  // namespace popspec::server
