#pragma once
// Size limits of the reference POP3 server, shared by the session and whoever frames its input.
#include <cstddef>

namespace popspec::pop3 {

// Longest command line accepted, CRLF included (RFC 2449 §4 LEN.1: a server supporting CAPA
// accepts 255 octets). The server builds its codec::line_framer with this value; the session
// also refuses longer lines itself, whatever framer fed it.
inline constexpr std::size_t max_command_line = 255;

// Longest response line the session writes, CRLF included (RFC 1939 §3, RFC 2449 §4): the
// status line of every response, and every CAPA line.
inline constexpr std::size_t max_response_line = 512;

}  // namespace popspec::pop3
