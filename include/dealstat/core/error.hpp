// The one error type. Every failure in dealstat, from a bad CSV cell to an
// unknown option, is an Error carrying a code and, for data problems, a
// Problem that names the source file, the row, the field and the value.
// Lenient loads collect Problems instead of throwing.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "dealstat/core/export.hpp"

namespace dealstat {
inline namespace v1 {

//! What went wrong, as a stable number (the C ABI reuses these values).
enum class ErrorCode : std::int32_t {
  invalid_data = 1,       //!< input data breaks a rule (bad value, unknown id, ...)
  invalid_option = 2,     //!< an option has a bad value (unknown pipeline, empty period, ...)
  io = 3,                 //!< a file could not be opened or read
  parse = 4,              //!< input could not be parsed (malformed CSV/JSON)
  unsupported_version = 5,  //!< serialized state from an incompatible version
  internal = 6,           //!< a bug in dealstat
};

//! One problem with the input: where it is and what is wrong.
struct DEALSTAT_API Problem {
  std::string source;    //!< file name (or "columns:deals" for in-memory input)
  std::int64_t row = 0;  //!< 1-based line number in the file (header is line 1); 0 when not row-bound
  std::string field;     //!< column / JSON path / option name
  std::string value;     //!< the offending value as written
  std::string message;   //!< what is wrong, in words

  //! "file:row:field: message (value "v")" -- the one-line form the CLI prints.
  std::string to_string() const;
};

//! The exception dealstat throws.
class DEALSTAT_API Error : public std::runtime_error {
 public:
  //! An error with a code and a located problem.
  Error(ErrorCode code, Problem problem);
  //! An error with a code and a message (no file position).
  Error(ErrorCode code, const std::string& message);
  //! Error for a bad option: names the option and its value.
  static Error bad_option(const std::string& option, const std::string& value, const std::string& message);

  //! The error's code.
  ErrorCode code() const noexcept { return code_; }
  //! Where and what (source may be empty for errors not tied to input).
  const Problem& problem() const noexcept { return problem_; }

 private:
  ErrorCode code_;
  Problem problem_;
};

//! How a load treats bad records.
enum class ValidationPolicy : std::uint8_t {
  strict = 0,   //!< the first problem throws an Error
  lenient = 1,  //!< bad records are left out and listed as Problems
};

//! Problems collected by a lenient load, in the order found.
using Problems = std::vector<Problem>;

}  // namespace v1
}  // namespace dealstat
