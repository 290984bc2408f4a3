#include "sessions/vocabulary.hpp"

#include <array>
#include <string>
#include <vector>

#include "popspec/store/fixture.hpp"
#include "popspec/util/md5.hpp"
#include "sessions/session_world.hpp"

namespace popspec::fuzz {
namespace {

// RFC 1939 and RFC 1225 commands, RFC 2449 CAPA, and extensions a server may meet (AUTH, STLS,
// UTF8, LANG, XTND), so "unknown command" paths get exercised too.
constexpr std::array<std::string_view, 20> pop3_keywords{
    "USER", "PASS", "APOP", "QUIT", "STAT", "LIST", "RETR", "DELE", "NOOP", "RSET",
    "TOP",  "UIDL", "CAPA", "LAST", "RPOP", "AUTH", "STLS", "UTF8", "LANG", "XTND"};

constexpr std::array<std::string_view, 8> pop2_keywords{"HELO", "FOLD", "READ", "RETR",
                                                        "ACKS", "ACKD", "NACK", "QUIT"};

struct owned_vocabulary {
  std::vector<std::string> storage;
  std::vector<std::string_view> lines;
  line_vocabulary vocabulary;

  owned_vocabulary(std::span<const std::string_view> keywords, std::vector<std::string> all)
      : storage(std::move(all)) {
    for (const auto& s : storage) lines.emplace_back(s);
    vocabulary = {keywords, lines};
  }
};

std::string cat(std::string_view a, std::string_view b) {
  return std::string(a) + std::string(b);
}

}  // namespace

const line_vocabulary& pop3_vocabulary() {
  static const owned_vocabulary v(
      pop3_keywords, {cat("USER ", store::default_user),
                      cat("PASS ", store::default_password),
                      cat("USER ", store::default_user2),
                      cat("PASS ", store::default_password2),
                      cat("APOP ", store::default_user) + " " +
                          util::md5_hex(cat(fuzz_apop_timestamp, store::default_password)),
                      "STAT",
                      "LIST",
                      "LIST 1",
                      "LIST 2",
                      "RETR 1",
                      "RETR 2",
                      "RETR 7",
                      "TOP 1 0",
                      "TOP 7 3",
                      "DELE 1",
                      "DELE 2",
                      "RSET",
                      "NOOP",
                      "UIDL",
                      "UIDL 1",
                      "LAST",
                      "CAPA",
                      "QUIT"});
  return v.vocabulary;
}

const line_vocabulary& pop2_vocabulary() {
  static const owned_vocabulary v(
      pop2_keywords,
      {cat("HELO ", store::default_user) + " " + std::string(store::default_password),
       cat("HELO ", store::default_user2) + " " + std::string(store::default_password2),
       cat("FOLD ", store::standard_folder_name), "FOLD nosuchfolder", "READ", "READ 1", "READ 2",
       "READ 0", "RETR", "ACKS", "ACKD", "NACK", "QUIT"});
  return v.vocabulary;
}

}  // namespace popspec::fuzz
