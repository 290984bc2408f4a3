// The reference POP3 session: framing events in, replies out. Readings of the RFCs where they
// leave room (each is the strictest one):
// - PASS is valid only *immediately* after a successful USER (RFC 1939 PASS.2): any other line
//   in between, even CAPA or a refused one, uses up the USER.
// - Extended response codes ([IN-USE], [SYS/TEMP], [SYS/PERM]) only under rfc1939, which
//   announces RESP-CODES; rfc1225 has no CAPA to announce them with (RFC 2449 CODE.5).
// - rfc1225 answers USER for an unknown name with -ERR (RFC 1225 USER); rfc1939 answers +OK
//   (RFC 1939 USER.4) so USER does not reveal which names exist.
// - Numbers are decimal digits only; a number too large to hold names no message.
// - RSET forgets the retrievals LAST counted, so QUIT records only the later ones (RFC 1225).
// - After QUIT, autologout or a drop nothing more is answered.
#include "popspec/pop3/session.hpp"

#include <array>
#include <atomic>
#include <utility>

#include "popspec/codec/pop3_response.hpp"
#include "session_impl.hpp"

namespace popspec::pop3 {
namespace {

// Numbers sessions within the process, so the uidl_unstable fault can make every session's
// unique-ids different.
std::atomic<std::uint64_t> session_counter{0};

// Commands up to 255 octets with CRLF (RFC 2449 LEN.1), and arguments as long as fit in them:
// RFC 2449 §4 lifts RFC 1939's 40-character argument limit. PASS takes the rest of the line
// (RFC 1939 PASS.4), so a password may hold spaces.
const codec::command_limits server_limits{max_command_line, max_command_line, true};

constexpr std::array<std::string_view, 10> common_keywords{"USER", "PASS", "QUIT", "STAT", "LIST",
                                                           "RETR", "DELE", "NOOP", "RSET", "TOP"};
constexpr std::array<std::string_view, 2> rfc1225_keywords{"LAST", "RPOP"};
constexpr std::array<std::string_view, 3> rfc1939_keywords{"APOP", "UIDL", "CAPA"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& set, std::string_view keyword) {
  for (const auto k : set)
    if (k == keyword) return true;
  return false;
}

// The keyword as the client typed it has a lower-case letter (keywords_case_sensitive fault).
bool keyword_has_lower_case(std::string_view line) {
  for (const char c : line.substr(0, line.find(' '))) {
    if (c >= 'a' && c <= 'z') return true;
  }
  return false;
}

std::string_view syntax_error_text(std::error_code ec) {
  if (ec.category() != codec::codec_category()) return "syntax error";
  switch (static_cast<codec::codec_errc>(ec.value())) {
    case codec::codec_errc::empty_command:
      return "empty command";
    case codec::codec_errc::keyword_length:
      return "unknown command";
    case codec::codec_errc::invalid_character:
      return "command contains a character that is not printable ASCII";
    case codec::codec_errc::empty_argument:
      return "syntax error: keyword and arguments are separated by single spaces";
    case codec::codec_errc::argument_too_long:
      return "argument too long";
    case codec::codec_errc::command_too_long:
      return "line too long";
    default:
      return "syntax error";
  }
}

}  // namespace

session::impl::impl(session_options opts, store::store& st, const store::user_db& db)
    : options(std::move(opts)), maildrops(st), users(db), serial(++session_counter) {
  apop_offered = options.prof == profile::rfc1939 && usable_apop_timestamp(options.apop_timestamp);
}

void session::impl::status(std::string& out, bool ok, std::string_view text) const {
  const std::size_t start = out.size();
  codec::append_status(out, ok, text);
  if (has(fault::lowercase_status)) {
    const std::size_t length = ok ? 3 : 4;  // "+OK" / "-ERR"
    for (std::size_t i = start + 1; i < start + length; ++i)
      out[i] = static_cast<char>(out[i] - 'A' + 'a');
  }
}

std::string session::impl::coded(std::string_view code, std::string_view text) const {
  if (options.prof != profile::rfc1939) return std::string(text);
  std::string result = "[";
  result += code;
  result += "] ";
  result += text;
  return result;
}

void session::impl::terminate(std::string& out) const {
  if (!has(fault::missing_terminator)) codec::append_terminator(out);
}

void session::impl::append_data(std::string& out, std::string_view wire) const {
  if (!has(fault::no_dot_stuffing)) {
    codec::append_dot_stuffed(out, wire);
    return;
  }
  out.append(wire);
  if (!wire.empty() && !wire.ends_with("\r\n")) out.append("\r\n");
}

bool session::impl::known_keyword(std::string_view keyword) const {
  if (contains(common_keywords, keyword)) return true;
  return options.prof == profile::rfc1225 ? contains(rfc1225_keywords, keyword)
                                          : contains(rfc1939_keywords, keyword);
}

bool session::impl::on_command(const codec::command& cmd, std::string_view raw_line,
                               std::optional<std::string> user_before, std::string& out) {
  const std::string& k = cmd.keyword;
  if (has(fault::keywords_case_sensitive) && keyword_has_lower_case(raw_line)) {
    err(out, "unknown command");
    return true;
  }
  if (!known_keyword(k)) {
    if (has(fault::unknown_command_ok))
      ok(out, "command accepted");
    else
      err(out, "unknown command");
    return true;
  }
  // QUIT and CAPA have no state restriction (RFC 1939 §4, §6; RFC 2449 §5).
  if (k == "QUIT") return cmd_quit(cmd, out);
  if (k == "CAPA") {
    cmd_capa(cmd, out);
    return true;
  }

  if (current == state::authorization) {
    const bool after_user = user_before.has_value();
    if (k == "USER") {
      cmd_user(cmd, after_user, out);
    } else if (k == "PASS") {
      cmd_pass(cmd, std::move(user_before), out);
    } else if (k == "APOP") {
      cmd_apop(cmd, after_user, out);
    } else if (k == "RPOP") {
      cmd_rpop(out);
    } else if (has(fault::commands_before_auth) && (k == "STAT" || k == "LIST")) {
      cmd_before_auth(cmd, out);
    } else {
      err(out, "command not valid before authentication");  // RFC 1939 ERR.2
    }
    return true;
  }

  // TRANSACTION
  if (k == "STAT") {
    cmd_stat(cmd, out);
  } else if (k == "LIST") {
    cmd_list(cmd, out);
  } else if (k == "RETR") {
    cmd_retr(cmd, out);
  } else if (k == "TOP") {
    cmd_top(cmd, out);
  } else if (k == "DELE") {
    cmd_dele(cmd, out);
  } else if (k == "NOOP") {
    cmd_noop(cmd, out);
  } else if (k == "RSET") {
    cmd_rset(cmd, out);
  } else if (k == "UIDL") {
    cmd_uidl(cmd, out);
  } else if (k == "LAST") {
    cmd_last(cmd, out);
  } else {
    // USER, PASS, APOP, RPOP: authorization commands (RFC 1939 USER.2, PASS.2, APOP.2).
    err(out, "already authenticated");
  }
  return true;
}

session::session(session_options options, store::store& store, const store::user_db& users)
    : impl_(std::make_unique<impl>(std::move(options), store, users)) {}

session::~session() = default;

std::string session::greeting() {
  std::string text = "popspec POP3 server ready";
  if (impl_->apop_offered) {
    text += ' ';
    text += impl_->options.apop_timestamp;
  }
  std::string out;
  impl_->status(out, !impl_->has(fault::greeting_err), text);
  return out;
}

bool session::on_line(const codec::line_event& line, std::string& out) {
  auto& s = *impl_;
  // After QUIT (or a drop) the connection is closing: nothing more is answered.
  if (s.current != state::authorization && s.current != state::transaction) return false;
  // PASS must come immediately after a successful USER (RFC 1939 PASS.2): any other line, even
  // one that fails, uses up the accepted name.
  std::optional<std::string> user_before = std::exchange(s.accepted_user, std::nullopt);

  switch (line.kind) {
    case codec::line_kind::bare_lf:
      s.err(out, "command must end with CRLF");
      return true;
    case codec::line_kind::too_long:
      s.err(out, "line too long");
      return true;
    case codec::line_kind::line:
      break;
  }

  codec::command cmd;
  if (const std::error_code ec = codec::parse_command(line.text, cmd, server_limits)) {
    if (ec == codec::codec_errc::keyword_length && s.has(fault::unknown_command_ok))
      s.ok(out, "command accepted");
    else
      s.err(out, syntax_error_text(ec));
    return true;
  }
  return s.on_command(cmd, line.text, std::move(user_before), out);
}

void session::on_autologout() {
  impl_->drop(false);
}

void session::on_disconnect() {
  impl_->drop(impl_->has(fault::commit_on_drop));
}

state session::current_state() const {
  return impl_->current;
}

profile session::current_profile() const {
  return impl_->options.prof;
}

const std::vector<std::size_t>& session::committed_deletions() const {
  return impl_->committed;
}

}  // namespace popspec::pop3
