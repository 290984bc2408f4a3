#pragma once
// What the line-aware mutator may splice into POP3 and POP2 transcripts: every keyword the
// protocols (and their common extensions) define, and complete command lines that get a session
// somewhere interesting, including working credentials for the fuzz world's accounts and the APOP
// digest for its fixed timestamp.
#include "support/line_mutator.hpp"

namespace popspec::fuzz {

const line_vocabulary& pop3_vocabulary();
const line_vocabulary& pop2_vocabulary();

}  // namespace popspec::fuzz
