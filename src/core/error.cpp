// The one error type and its one-line form.
#include "dealstat/core/error.hpp"

namespace dealstat {
inline namespace v1 {

std::string Problem::to_string() const {
  std::string out;
  if (!source.empty()) {
    out += source;
    out += ':';
    if (row > 0) {
      out += std::to_string(row);
      out += ':';
    }
  }
  if (!field.empty()) {
    out += field;
    out += ": ";
  } else if (!out.empty()) {
    out += ' ';
  }
  out += message;
  if (!value.empty()) {
    out += " (value \"";
    out += value;
    out += "\")";
  }
  return out;
}

Error::Error(ErrorCode code, Problem problem)
    : std::runtime_error(problem.to_string()), code_(code), problem_(std::move(problem)) {}

Error::Error(ErrorCode code, const std::string& message) : Error(code, Problem{"", 0, "", "", message}) {}

Error Error::bad_option(const std::string& option, const std::string& value, const std::string& message) {
  return Error(ErrorCode::invalid_option, Problem{"", 0, option, value, message});
}

}  // namespace v1
}  // namespace dealstat
