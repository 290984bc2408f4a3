#include "popspec/util/faults.hpp"

#include <array>

namespace popspec {
namespace {

using sv = std::string_view;

// Requirement IDs each fault violates (see ../shared/requirements.md).
constexpr std::array<sv, 4> v_no_dot_stuffing{"POP3-1939-MULTI.2", "POP3-1225-MULTI.2",
                                              "POP3-1939-RETR.2", "POP3-2449-GRAM.3"};
constexpr std::array<sv, 4> v_lf_sizes{"POP3-1939-FMT.2", "POP3-1939-FMT.4", "POP3-1225-FMT.2",
                                       "POP3-1939-LIST.6"};
constexpr std::array<sv, 3> v_dele_renumbers{"POP3-1939-AUTH.11", "POP3-1939-DELE.3",
                                             "POP3-1225-DELE.3"};
constexpr std::array<sv, 2> v_commit_on_drop{"POP3-1939-UPD.2", "POP3-1225-UPD.2"};
constexpr std::array<sv, 2> v_any_password{"POP3-1939-PASS.3", "POP3-1225-AUTH.6"};
constexpr std::array<sv, 2> v_missing_terminator{"POP3-1939-MULTI.1", "POP3-1225-MULTI.1"};
// RFC 1225 names exactly two indicators, "+OK" and "-ERR" (GEN.5); RFC 1939 adds that they are
// upper case (GEN.13).
constexpr std::array<sv, 2> v_lowercase_status{"POP3-1939-GEN.13", "POP3-1225-GEN.5"};
constexpr std::array<sv, 2> v_dele_twice_ok{"POP3-1939-DELE.3", "POP3-1225-DELE.3"};
constexpr std::array<sv, 2> v_rset_keeps{"POP3-1939-RSET.2", "POP3-1225-RSET.2"};
constexpr std::array<sv, 2> v_retr_deleted_ok{"POP3-1939-RETR.3", "POP3-1225-RETR.3"};
constexpr std::array<sv, 2> v_stat_counts_deleted{"POP3-1939-STAT.5", "POP3-1225-STAT.5"};
constexpr std::array<sv, 2> v_no_lock{"POP3-1939-AUTH.4", "POP3-1225-AUTH.7"};
constexpr std::array<sv, 1> v_uidl_unstable{"POP3-1939-UIDL.8"};
constexpr std::array<sv, 1> v_uidl_duplicate{"POP3-1939-UIDL.7"};
constexpr std::array<sv, 2> v_top_ignores_count{"POP3-1939-TOP.3", "POP3-1225-TOP.2"};
constexpr std::array<sv, 2> v_unknown_command_ok{"POP3-1939-ERR.1", "POP3-1225-GEN.7"};
constexpr std::array<sv, 3> v_commands_before_auth{"POP3-1939-ERR.2", "POP3-1939-STAT.1",
                                                   "POP3-1225-STAT.1"};
constexpr std::array<sv, 1> v_keywords_case{"POP3-1939-GEN.3"};
constexpr std::array<sv, 1> v_apop_any_digest{"POP3-1939-APOP.9"};
constexpr std::array<sv, 1> v_last_not_reset{"POP3-1225-RSET.3"};
constexpr std::array<sv, 5> v_list_includes_deleted{"POP3-1939-LIST.9", "POP3-1225-LIST.7",
                                                    "POP3-1939-LIST.2", "POP3-1939-DELE.3",
                                                    "POP3-1225-LIST.8"};
constexpr std::array<sv, 2> v_greeting_err{"POP3-1939-AUTH.1", "POP3-1225-AUTH.2"};
constexpr std::array<sv, 2> v_pipelining_drops{"POP3-2449-PIPE.1", "POP3-2449-PIPE.2"};
constexpr std::array<sv, 2> v_capa_no_terminator{"POP3-2449-CAPA.9", "POP3-2449-GRAM.6"};
constexpr std::array<sv, 2> v_pop2_wrong_length{"POP2-937-LEN.2", "POP2-937-RETR.2"};
constexpr std::array<sv, 1> v_pop2_ackd_renumbers{"POP2-937-ACKD.4"};
constexpr std::array<sv, 2> v_pop2_nack_advances{"POP2-937-NACK.2", "POP2-937-NACK.3"};
// The decision table's QUIT row has action 1 (error and close) in NEXT: QUIT.4, not QUIT.3.
constexpr std::array<sv, 1> v_pop2_quit_in_next{"POP2-937-QUIT.4"};
constexpr std::array<sv, 1> v_pop2_fold_no_commit{"POP2-937-FOLD.5"};
constexpr std::array<sv, 1> v_pop2_bad_helo{"POP2-937-HELO.4"};
constexpr std::array<sv, 2> v_pop2_retr_zero{"POP2-937-RETR.3", "POP2-937-LEN.4"};
constexpr std::array<sv, 2> v_pop2_dot_stuffing{"POP2-937-RETR.2", "POP2-937-QUOTE.4"};

const std::array<fault_info, static_cast<unsigned>(fault::count_)> table{{
    {fault::no_dot_stuffing, "no-dot-stuffing", "pop3",
     "Data lines beginning with '.' are sent without the extra '.'.", v_no_dot_stuffing},
    {fault::lf_sizes, "lf-sizes", "pop3",
     "LIST and STAT sizes count each line ending as one octet (LF) instead of two (CRLF).",
     v_lf_sizes},
    {fault::dele_renumbers, "dele-renumbers", "pop3",
     "DELE removes the message from the numbering at once, shifting later messages down.",
     v_dele_renumbers},
    {fault::commit_on_drop, "commit-on-drop", "pop3",
     "A connection dropped without QUIT commits the messages marked with DELE.", v_commit_on_drop},
    {fault::any_password, "any-password", "pop3", "PASS accepts any password for a known user.",
     v_any_password},
    {fault::missing_terminator, "missing-terminator", "pop3",
     "Multi-line responses end without the final \".\" line.", v_missing_terminator},
    {fault::lowercase_status, "lowercase-status", "pop3",
     "Status indicators are sent as \"+ok\" and \"-err\".", v_lowercase_status},
    {fault::dele_twice_ok, "dele-twice-ok", "pop3",
     "DELE of a message already marked deleted answers +OK.", v_dele_twice_ok},
    {fault::rset_keeps_deletions, "rset-keeps-deletions", "pop3",
     "RSET answers +OK but leaves the deletion marks in place.", v_rset_keeps},
    {fault::retr_deleted_ok, "retr-deleted-ok", "pop3",
     "RETR of a message marked deleted sends it.", v_retr_deleted_ok},
    {fault::stat_counts_deleted, "stat-counts-deleted", "pop3",
     "STAT still counts messages marked deleted.", v_stat_counts_deleted},
    {fault::no_lock, "no-lock", "pop3",
     "No exclusive lock: a second session may open a maildrop already in use.", v_no_lock},
    {fault::uidl_unstable, "uidl-unstable", "pop3",
     "Unique-ids change from one session to the next.", v_uidl_unstable},
    {fault::uidl_duplicate, "uidl-duplicate", "pop3",
     "Two different messages are given the same unique-id.", v_uidl_duplicate},
    {fault::top_ignores_count, "top-ignores-count", "pop3",
     "TOP sends the whole message whatever line count was asked for.", v_top_ignores_count},
    {fault::unknown_command_ok, "unknown-command-ok", "pop3", "Unknown commands are answered +OK.",
     v_unknown_command_ok},
    {fault::commands_before_auth, "commands-before-auth", "pop3",
     "STAT and LIST are answered +OK in the AUTHORIZATION state.", v_commands_before_auth},
    {fault::keywords_case_sensitive, "keywords-case-sensitive", "pop3",
     "Command keywords are matched case-sensitively, so lower-case keywords are refused.",
     v_keywords_case},
    {fault::apop_any_digest, "apop-any-digest", "pop3", "APOP accepts any digest for a known user.",
     v_apop_any_digest},
    {fault::last_not_reset, "last-not-reset", "pop3",
     "(rfc1225 profile) RSET does not restore LAST to its value at session start.",
     v_last_not_reset},
    {fault::list_includes_deleted, "list-includes-deleted", "pop3",
     "LIST still lists messages marked deleted.", v_list_includes_deleted},
    {fault::greeting_err, "greeting-err", "pop3", "The greeting is a -ERR line.", v_greeting_err},
    {fault::pipelining_drops, "pipelining-drops", "pop3",
     "Of several commands arriving in one read, only the first is answered.", v_pipelining_drops},
    {fault::capa_no_terminator, "capa-no-terminator", "pop3",
     "CAPA's capability list is not ended with a \".\" line.", v_capa_no_terminator},
    {fault::pop2_wrong_length, "pop2-wrong-length", "pop2",
     "=ccc counts each line ending as one octet, so RETR sends more than announced.",
     v_pop2_wrong_length},
    {fault::pop2_ackd_renumbers, "pop2-ackd-renumbers", "pop2",
     "ACKD removes the message from the numbering at once.", v_pop2_ackd_renumbers},
    {fault::pop2_nack_advances, "pop2-nack-advances", "pop2",
     "NACK moves the current message forward, as ACKS does.", v_pop2_nack_advances},
    {fault::pop2_quit_in_next, "pop2-quit-in-next", "pop2",
     "QUIT is accepted in NEXT, between RETR and its acknowledgement.", v_pop2_quit_in_next},
    {fault::pop2_fold_no_commit, "pop2-fold-no-commit", "pop2",
     "FOLD does not carry out the ACKD deletions of the mailbox it leaves.", v_pop2_fold_no_commit},
    {fault::pop2_bad_helo_stays_open, "pop2-bad-helo-stays-open", "pop2",
     "A failed HELO is answered '-' but the connection stays open.", v_pop2_bad_helo},
    {fault::pop2_retr_zero_sends, "pop2-retr-zero-sends", "pop2",
     "RETR of a zero-length or missing message answers '-' instead of closing.", v_pop2_retr_zero},
    {fault::pop2_dot_stuffing, "pop2-dot-stuffing", "pop2",
     "RETR data is dot-stuffed and terminated with \".\" as in POP3.", v_pop2_dot_stuffing},
}};

}  // namespace

std::span<const fault_info> all_faults() {
  return table;
}

std::optional<fault> fault_from_name(std::string_view name) {
  for (const auto& f : table)
    if (f.name == name) return f.id;
  return std::nullopt;
}

const fault_info& describe(fault f) {
  return table[static_cast<unsigned>(f)];
}

}  // namespace popspec
