#include "popspec/pop2/state_name.hpp"

namespace popspec::pop2 {

std::string_view to_string(state s) {
  switch (s) {
    case state::lstn:
      return "LSTN";
    case state::auth:
      return "AUTH";
    case state::mbox:
      return "MBOX";
    case state::item:
      return "ITEM";
    case state::next:
      return "NEXT";
    case state::done:
      return "DONE";
  }
  return "?";
}

}  // namespace popspec::pop2
