#include "popspec/store/fixture.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "popspec/store/mbox_format.hpp"
#include "popspec/store/store.hpp"
#include "popspec/util/md5.hpp"
#include "posix_file.hpp"

namespace popspec::store {

namespace {

constexpr std::string_view crlf = "\r\n";

// RFC 822 headers, in a fixed order; `n` makes Date and Message-ID unique per message.
std::string headers(int n, std::string_view name, std::string_view folder = {}) {
  const std::string tag =
      folder.empty() ? std::string(name) : std::string(folder) + "-" + std::string(name);
  char date[64];
  std::snprintf(date, sizeof date, "Mon, 1 Jan 2024 00:%02d:%02d +0000", n / 60, n % 60);
  std::string h;
  h.append("From: popspec fixture <fixture@popspec.invalid>").append(crlf);
  h.append("To: ").append(default_user).append(" <").append(default_user);
  h.append("@popspec.invalid>").append(crlf);
  h.append("Subject: popspec fixture ").append(std::to_string(n)).append(": ").append(tag);
  h.append(crlf);
  h.append("Date: ").append(date).append(crlf);
  h.append("Message-ID: <").append(std::to_string(n)).append(".").append(tag);
  h.append("@popspec.invalid>").append(crlf);
  h.append(crlf);  // the blank line between header and body
  return h;
}

std::string lines(std::initializer_list<std::string_view> body) {
  std::string out;
  for (auto line : body) out.append(line).append(crlf);
  return out;
}

// Line i of the large message: exactly 72 octets, numbered, with a rotating alphabet so that a
// line shifted or dropped anywhere changes the message.
std::string large_line(int i) {
  static constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "%05d ", i);
  std::string line = prefix;
  for (std::size_t k = 0; line.size() < 72; ++k)
    line.push_back(alphabet[(static_cast<std::size_t>(i) + k) % alphabet.size()]);
  return line;
}

std::vector<fixture_message> build_standard() {
  std::vector<fixture_message> m;
  m.push_back({"short", "A short plain message: three body lines.",
               headers(1, "short") + lines({"Hello from popspec.", "This is the short message.",
                                            "It has three body lines."})});
  m.push_back(
      {"dot-lines",
       "Body lines beginning with '.', '..', lone '.' lines, and a lone '.' as the last line: "
       "POP3 must dot-stuff them, POP2 must not.",
       headers(2, "dot-lines") +
           lines({"Lines below begin with dots.", ".one leading dot", "..two leading dots", ".",
                  "after a lone dot", "... three dots", ". dot space", "."})});
  {
    std::string wire = headers(3, "large");
    // 102,400 octets give or take one line: the header plus 72-column lines with CRLF.
    const std::size_t count = (102400 - wire.size() + 37) / 74;
    for (std::size_t i = 1; i <= count; ++i)
      wire.append(large_line(static_cast<int>(i))).append(crlf);
    m.push_back({"large", "About 100 KB of numbered 72-column lines: multi-read transfers.",
                 std::move(wire)});
  }
  m.push_back({"empty-body", "Headers and the blank separator line, no body at all.",
               headers(4, "empty-body")});
  {
    std::string long_line;
    while (long_line.size() < 2000) long_line.append("0123456789");
    m.push_back(
        {"long-line",
         "One 2000-octet body line, longer than the 998 octets RFC 5322 allows, between two "
         "normal lines: it must arrive unbroken.",
         headers(5, "long-line") +
             lines({"The next line is 2000 octets long.", long_line, "End of message."})});
  }
  m.push_back({"from-lines",
               "Body lines beginning with \"From \" (one after a blank line): mbox escaping must "
               "round-trip them unchanged.",
               headers(6, "from-lines") +
                   lines({"From the start of the body.", "", "From 1 Jan 2024, after a blank line.",
                          "From: not a header, just body", " From with a leading space", "From"})});
  {
    std::string wire = headers(7, "ten-lines");
    for (int i = 1; i <= 10; ++i)
      wire.append("Line ").append(std::to_string(i)).append(" of 10.").append(crlf);
    m.push_back({"ten-lines", "Exactly ten numbered body lines, for TOP.", std::move(wire)});
  }
  return m;
}

std::vector<fixture_message> build_folder() {
  std::vector<fixture_message> m;
  m.push_back({"archived-1", "A short archived message (POP2 folder \"archive\").",
               headers(1, "archived-1", standard_folder_name) +
                   lines({"First archived message.", "Read it with FOLD archive."})});
  m.push_back(
      {"archived-2", "A second short archived message.",
       headers(2, "archived-2", standard_folder_name) + lines({"Second archived message."})});
  return m;
}

// Store form on disk: LF line endings, as MTAs write files (the store converts back to CRLF).
std::string to_lf(std::string_view wire) {
  std::string out;
  out.reserve(wire.size());
  for (std::size_t i = 0; i < wire.size(); ++i)
    if (!(wire[i] == '\r' && i + 1 < wire.size() && wire[i + 1] == '\n')) out.push_back(wire[i]);
  return out;
}

bool path_exists(const std::filesystem::path& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0;
}

std::error_code make_dir(const std::filesystem::path& p) {
  if (::mkdir(p.c_str(), 0700) != 0) return detail::last_error();
  return {};
}

std::error_code write_new_file(const std::filesystem::path& p, std::string_view data) {
  detail::unique_fd fd(::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd) return detail::last_error();
  if (auto ec = detail::write_all(fd.get(), data)) return ec;
  if (::fsync(fd.get()) != 0) return detail::last_error();
  return {};
}

// A Maildir (cur/ new/ tmp/) holding `messages` in new/, delivered the Maildir way: written in
// tmp/ and renamed into new/. File names sort in message order.
std::error_code write_maildir(const std::filesystem::path& dir,
                              const std::vector<fixture_message>& messages, bool subfolder) {
  if (auto ec = make_dir(dir)) return ec;
  for (const char* sub : {"cur", "new", "tmp"})
    if (auto ec = make_dir(dir / sub)) return ec;
  // Maildir++ marks a subfolder with an empty "maildirfolder" file (Courier, Dovecot).
  if (subfolder)
    if (auto ec = write_new_file(dir / "maildirfolder", "")) return ec;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const std::string name =
        std::to_string(1704067200 + i + 1) + ".M" + std::to_string(i + 1) + "P1.popspec";
    if (auto ec = write_new_file(dir / "tmp" / name, to_lf(messages[i].wire))) return ec;
    if (::rename((dir / "tmp" / name).c_str(), (dir / "new" / name).c_str()) != 0)
      return detail::last_error();
  }
  for (const char* sub : {"new", "tmp"})
    if (auto ec = detail::fsync_directory(dir / sub)) return ec;
  return detail::fsync_directory(dir.parent_path());
}

std::error_code write_mbox(const std::filesystem::path& file,
                           const std::vector<fixture_message>& messages) {
  std::string text;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    char date[64];
    std::snprintf(date, sizeof date, "Mon Jan  1 00:%02zu:%02zu 2024", (i + 1) / 60, (i + 1) % 60);
    text.append(make_mbox_entry(messages[i].wire, "fixture@popspec.invalid", date));
  }
  if (auto ec = write_new_file(file, text)) return ec;
  return detail::fsync_directory(file.parent_path());
}

}  // namespace

const std::vector<fixture_message>& standard_messages() {
  static const std::vector<fixture_message> messages = build_standard();
  return messages;
}

const std::vector<fixture_message>& standard_folder_messages() {
  static const std::vector<fixture_message> messages = build_folder();
  return messages;
}

std::string fixture_table_markdown() {
  std::string out =
      "| # | Name | Octets (wire) | Lines | MD5 of the wire form | Purpose |\n"
      "|---|---|---|---|---|---|\n";
  const auto rows = [&out](const std::vector<fixture_message>& messages, std::string_view folder) {
    for (std::size_t i = 0; i < messages.size(); ++i) {
      const auto& m = messages[i];
      std::size_t line_count = 0;
      for (std::size_t p = m.wire.find("\r\n"); p != std::string::npos;
           p = m.wire.find("\r\n", p + 2))
        ++line_count;
      out.append("| ")
          .append(folder.empty() ? "" : std::string(folder) + " ")
          .append(std::to_string(i + 1))
          .append(" | ")
          .append(m.name)
          .append(" | ")
          .append(std::to_string(m.wire.size()))
          .append(" | ")
          .append(std::to_string(line_count))
          .append(" | `")
          .append(util::md5_hex(m.wire))
          .append("` | ")
          .append(m.description)
          .append(" |\n");
    }
  };
  rows(standard_messages(), {});
  rows(standard_folder_messages(), standard_folder_name);
  return out;
}

std::error_code write_fixture(const std::filesystem::path& root, std::string_view user,
                              maildrop_format format, std::string& error_message) {
  if (!is_safe_name(user)) {
    error_message = "user name \"" + std::string(user) +
                    "\" is not safe as a file name (1-64 of [A-Za-z0-9._+-@], no leading '.')";
    return std::make_error_code(std::errc::invalid_argument);
  }
  const std::string u(user);
  const std::filesystem::path maildir = root / u;
  const std::filesystem::path mbox = root / (u + ".mbox");
  const std::filesystem::path folders = root / (u + ".folders");
  // Either existing form would shadow or mix with what we write (a Maildir beats an mbox).
  for (const auto& target : {maildir, mbox, folders})
    if (path_exists(target)) {
      error_message = target.string() + " already exists; refusing to overwrite a maildrop";
      return std::make_error_code(std::errc::file_exists);
    }
  std::error_code ec;
  std::filesystem::create_directories(root, ec);
  if (ec) {
    error_message = "cannot create " + root.string() + ": " + ec.message();
    return ec;
  }

  if (format == maildrop_format::maildir) {
    ec = write_maildir(maildir, standard_messages(), false);
    if (!ec)
      ec = write_maildir(maildir / ("." + std::string(standard_folder_name)),
                         standard_folder_messages(), true);
    if (ec) {
      error_message = "cannot write the Maildir " + maildir.string() + ": " + ec.message();
      std::error_code ignored;
      std::filesystem::remove_all(maildir, ignored);
    }
    return ec;
  }
  ec = write_mbox(mbox, standard_messages());
  if (!ec) ec = make_dir(folders);
  if (!ec)
    ec = write_mbox(folders / (std::string(standard_folder_name) + ".mbox"),
                    standard_folder_messages());
  if (ec) {
    error_message = "cannot write the mbox " + mbox.string() + ": " + ec.message();
    std::error_code ignored;
    std::filesystem::remove(mbox, ignored);
    std::filesystem::remove_all(folders, ignored);
  }
  return ec;
}

}  // namespace popspec::store
