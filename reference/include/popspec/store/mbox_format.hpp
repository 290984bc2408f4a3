#pragma once
// The mbox file format, with no I/O: splitting a file into messages and (un)escaping "From "
// lines. Both variants are the common ones (see the mbox(5) page of qmail/mutt):
//   mboxo:  a body line "From ..." is stored as ">From ..."; reading turns ">From " back into
//           "From ", so a body line that really began with ">From " cannot be told apart.
//   mboxrd: any line matching ^>*From  gets one more '>' when stored; reading strips one '>'
//           from ^>+From , so every body line round-trips.
// A message is stored as a separator line "From <sender> <date>" (not part of the message),
// the escaped message lines, and one blank line (not part of the message either).
#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace popspec::store {

enum class mbox_variant { mboxrd, mboxo };

// Where one message lies in an mbox file (offsets into the file text).
struct mbox_extent {
  std::size_t begin = 0;       // start of the "From " separator line
  std::size_t body_begin = 0;  // first octet after the separator line
  std::size_t body_end = 0;    // end of the message text (before the blank line that ends it)
  std::size_t end = 0;         // start of the next separator line, or the end of the file
};

// Splits `file` into messages. Any line that begins with "From " is a separator (escaped body
// lines begin with '>'); one empty line (LF or CRLF) just before a separator or the end of the
// file belongs to the framing. An empty file has no messages. Fails with
// std::errc::illegal_byte_sequence if the file is non-empty and does not begin with "From ".
std::error_code split_mbox(std::string_view file, std::vector<mbox_extent>& out);

// The stored body (between body_begin and body_end) with the escaping of `variant` undone. Line
// endings are kept as stored; apply to_wire_form() afterwards.
std::string unescape_mbox_body(std::string_view stored_body, mbox_variant variant);

// One complete mbox entry for `message` (any line endings): separator line
// "From <envelope_sender> <asctime_date>\n", the message with LF line endings and mboxrd escaping
// (which reads back identically as mboxo when no line begins with ">From "), a final newline if
// the message lacked one, and the blank line.
std::string make_mbox_entry(std::string_view message, std::string_view envelope_sender,
                            std::string_view asctime_date);

}  // namespace popspec::store
