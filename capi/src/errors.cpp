// The C ABI's errors: the thread-local last error (kept here, in one
// translation unit, so every caller sees the same one) and the mapping of
// every exception to a status code.
#include <cstring>
#include <exception>

#include "capi_internal.hpp"

namespace dealstat {
inline namespace v1 {
namespace capi {
namespace {

// This thread's last error.
struct LastError {
  dealstat_status status = DEALSTAT_OK;
  Problem problem;
  std::string text;
};

LastError& last() {
  thread_local LastError e;
  return e;
}

}  // namespace

dealstat_status set_error(dealstat_status status, const Problem& problem) {
  LastError& e = last();
  try {
    e.status = status;
    e.problem = problem;
    e.text = problem.to_string();
  } catch (...) {  // out of memory while recording: keep the status, drop the text
    e.problem = Problem{};
    e.text.clear();
  }
  return status;
}

dealstat_status set_error(dealstat_status status, const std::string& message) {
  Problem p;
  p.message = message;
  return set_error(status, p);
}

dealstat_status handle_exception() noexcept {
  try {
    throw;
  } catch (const Error& err) {
    return set_error(static_cast<dealstat_status>(err.code()), err.problem());
  } catch (const StatusError& err) {
    return set_error(err.status, err.message);
  } catch (const std::bad_alloc&) {
    return set_error(DEALSTAT_ERROR_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& err) {
    return set_error(DEALSTAT_ERROR_INTERNAL, std::string("internal error: ") + err.what());
  } catch (...) {
    return set_error(DEALSTAT_ERROR_INTERNAL, "internal error: unknown exception");
  }
}

void null_argument(const char* function, const char* argument) {
  throw StatusError{DEALSTAT_ERROR_NULL_ARGUMENT, std::string(function) + ": " + argument + " is NULL"};
}

void check_version(const char* what, std::int32_t version, std::int32_t current) {
  if (version < 1 || version > current) {
    throw Error(ErrorCode::unsupported_version,
                Problem{"options", 0, std::string(what) + ".version", std::to_string(version),
                        "unknown options version (this library knows 1.." + std::to_string(current) +
                            "); initialise the struct with its _INIT macro"});
  }
}

}  // namespace capi
}  // namespace v1
}  // namespace dealstat

using dealstat::capi::last;

extern "C" {

const char* dealstat_status_name(dealstat_status status) {
  switch (status) {
    case DEALSTAT_OK: return "DEALSTAT_OK";
    case DEALSTAT_ERROR_INVALID_DATA: return "DEALSTAT_ERROR_INVALID_DATA";
    case DEALSTAT_ERROR_INVALID_OPTION: return "DEALSTAT_ERROR_INVALID_OPTION";
    case DEALSTAT_ERROR_IO: return "DEALSTAT_ERROR_IO";
    case DEALSTAT_ERROR_PARSE: return "DEALSTAT_ERROR_PARSE";
    case DEALSTAT_ERROR_UNSUPPORTED_VERSION: return "DEALSTAT_ERROR_UNSUPPORTED_VERSION";
    case DEALSTAT_ERROR_INTERNAL: return "DEALSTAT_ERROR_INTERNAL";
    case DEALSTAT_ERROR_OUT_OF_MEMORY: return "DEALSTAT_ERROR_OUT_OF_MEMORY";
    case DEALSTAT_ERROR_NULL_ARGUMENT: return "DEALSTAT_ERROR_NULL_ARGUMENT";
    case DEALSTAT_ERROR_OUT_OF_RANGE: return "DEALSTAT_ERROR_OUT_OF_RANGE";
  }
  return "DEALSTAT_UNKNOWN";
}

dealstat_status dealstat_last_error_code(void) { return last().status; }
const char* dealstat_last_error_message(void) { return last().text.c_str(); }
const char* dealstat_last_error_source(void) { return last().problem.source.c_str(); }
int64_t dealstat_last_error_row(void) { return last().problem.row; }
const char* dealstat_last_error_field(void) { return last().problem.field.c_str(); }
const char* dealstat_last_error_value(void) { return last().problem.value.c_str(); }

void dealstat_clear_last_error(void) {
  auto& e = last();
  e.status = DEALSTAT_OK;
  e.problem = dealstat::Problem{};
  e.text.clear();
}

}  // extern "C"
