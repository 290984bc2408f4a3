#pragma once
// The capability list the reference POP3 server sends in answer to CAPA (RFC 2449 §5-6).
#include <string>
#include <vector>

#include "popspec/pop3/session.hpp"

namespace popspec::pop3 {

// The CAPA lines (without CRLF, in order) for `options`, the same in AUTHORIZATION and
// TRANSACTION (RFC 2449 §5: capabilities of AUTHORIZATION are announced in both states):
//   TOP, UIDL, USER, RESP-CODES, PIPELINING, EXPIRE NEVER,
//   IMPLEMENTATION <options.implementation>-<popspec_version>
// Only what the session really does is announced: no SASL (no AUTH command), no LOGIN-DELAY (no
// delay enforced), EXPIRE NEVER (nothing is ever deleted except by DELE + QUIT). APOP has no
// capability; the greeting's timestamp announces it (RFC 2449 §6). Empty for profile rfc1225,
// which has no CAPA command. Each line is at most 510 octets, so with CRLF it fits 512
// (RFC 2449 §5); octets of the implementation text outside %x21-7E become '_'.
std::vector<std::string> capabilities(const session_options& options);

}  // namespace popspec::pop3
