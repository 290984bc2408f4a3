#include "popspec/reports/errc.hpp"

#include <string>

namespace popspec::reports {
namespace {
class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "popspec.reports"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::not_json:
        return "not a JSON document";
      case errc::invalid_results:
        return "not a valid popspec results document";
      case errc::unsupported_version:
        return "unsupported results schema version";
      case errc::inconsistent_summary:
        return "summary counts disagree with the scenarios";
      case errc::cannot_read:
        return "cannot read results file";
      case errc::cannot_write:
        return "cannot write report file";
      case errc::one_run_only:
        return "this report format takes exactly one run";
    }
    return "unknown popspec.reports error";
  }
};
}  // namespace

const std::error_category& reports_category() noexcept {
  static const category instance;
  return instance;
}

std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), reports_category()};
}

}  // namespace popspec::reports
