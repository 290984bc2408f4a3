#pragma once
// Fault injection for the reference server: a TESTING AID ONLY (`popspec serve --fault NAME`).
// Each fault is one realistic, single deviation from the RFCs, so the test suite can prove that the
// scenarios citing the violated requirements fail while unrelated areas stay green.
#include <bitset>
#include <optional>
#include <span>
#include <string_view>

namespace popspec {

enum class fault : unsigned {
  // POP3
  no_dot_stuffing,          // data lines beginning with '.' are sent unstuffed
  lf_sizes,                 // LIST/STAT sizes count LF line endings (1 octet) instead of CRLF
  dele_renumbers,           // DELE removes the message from the numbering at once
  commit_on_drop,           // a dropped connection commits the DELE marks
  any_password,             // PASS accepts any password for a known user
  missing_terminator,       // multi-line responses lack the final "." line
  lowercase_status,         // "+ok" / "-err" instead of "+OK" / "-ERR"
  dele_twice_ok,            // DELE of an already deleted message answers +OK
  rset_keeps_deletions,     // RSET answers +OK but leaves deletion marks in place
  retr_deleted_ok,          // RETR of a deleted message sends it
  stat_counts_deleted,      // STAT includes messages marked deleted
  no_lock,                  // a second session may open a maildrop already in use
  uidl_unstable,            // unique-ids change from one session to the next
  uidl_duplicate,           // two different messages share a unique-id
  top_ignores_count,        // TOP sends the whole message whatever n is
  unknown_command_ok,       // unknown commands are answered +OK
  commands_before_auth,     // STAT/LIST answered +OK in AUTHORIZATION
  keywords_case_sensitive,  // lower-case keywords are refused
  apop_any_digest,          // APOP accepts any digest for a known user
  last_not_reset,           // (rfc1225) RSET does not restore LAST
  list_includes_deleted,    // LIST shows messages marked deleted
  greeting_err,             // the greeting is -ERR
  pipelining_drops,         // only the first of several commands in one read is answered
  capa_no_terminator,       // CAPA's multi-line answer has no "." line
  // POP2
  pop2_wrong_length,         // =ccc counts LF line endings
  pop2_ackd_renumbers,       // ACKD renumbers the remaining messages at once
  pop2_nack_advances,        // NACK moves to the next message like ACKS
  pop2_quit_in_next,         // QUIT accepted in NEXT (after RETR, before the acknowledgement)
  pop2_fold_no_commit,       // FOLD does not carry out ACKD deletions of the mailbox it leaves
  pop2_bad_helo_stays_open,  // a failed HELO does not close the connection
  pop2_retr_zero_sends,      // RETR of a zero-length/missing message answers instead of closing
  pop2_dot_stuffing,         // RETR data is dot-stuffed and terminated as in POP3
  count_,
};

struct fault_info {
  fault id;
  std::string_view name;         // the --fault spelling, e.g. "no-dot-stuffing"
  std::string_view protocol;     // "pop3" or "pop2"
  std::string_view description;  // one sentence
  // Requirement IDs of ../shared/requirements.md this deviation violates: the scenarios citing
  // them must fail against a server with this fault.
  std::span<const std::string_view> violates;
};

std::span<const fault_info> all_faults();
std::optional<fault> fault_from_name(std::string_view name);
const fault_info& describe(fault f);

class fault_set {
 public:
  bool has(fault f) const { return bits_.test(static_cast<unsigned>(f)); }
  void add(fault f) { bits_.set(static_cast<unsigned>(f)); }
  bool empty() const { return bits_.none(); }

 private:
  std::bitset<static_cast<unsigned>(fault::count_)> bits_;
};

}  // namespace popspec
