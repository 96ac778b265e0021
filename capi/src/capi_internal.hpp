// Internals shared by the C ABI's translation units: the handle structs
// behind the opaque typedefs, the exception guard every extern "C" body sits
// in, and the conversions from the C options structs to the C++ ones.
#pragma once

#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "dealstat.h"
#include "dealstat/core/arrow.hpp"
#include "dealstat/core/error.hpp"
#include "dealstat/core/table.hpp"
#include "dealstat/data/dataset.hpp"
#include "dealstat/data/dataset_builder.hpp"
#include "dealstat/data/event_index.hpp"
#include "dealstat/reports/filter.hpp"

//! A dataset handle: shared ownership of the immutable dataset and the problems of a lenient load.
struct dealstat_dataset_s {
  dealstat::DatasetPtr dataset;               //!< never null
  dealstat::Problems problems;                //!< records a lenient load left out
  std::vector<std::string> problem_texts;     //!< one-line forms, made at load time
};

//! A builder handle.
struct dealstat_builder_s {
  dealstat::DatasetBuilder builder;  //!< rows and columns added so far
};

//! An event index handle: the index and a reference to the dataset it was built from (kept alive by it).
struct dealstat_event_index_s {
  dealstat::DatasetPtr dataset;  //!< never null; the identity dealstat_events_list checks
  dealstat::EventIndex index;    //!< immutable once built
};

//! A result handle: a report's tables in Arrow layout (what accessors and exports point into).
struct dealstat_result_s {
  std::vector<std::shared_ptr<const dealstat::ArrowTable>> tables;  //!< in the report's order
};

namespace dealstat {
inline namespace v1 {
namespace capi {

//! Records an error as this thread's last error and returns its status.
dealstat_status set_error(dealstat_status status, const Problem& problem);
//! Records an error with a message only.
dealstat_status set_error(dealstat_status status, const std::string& message);
//! Maps the exception in flight to a status and records it; call only inside a catch block.
dealstat_status handle_exception() noexcept;

//! Throws Error-like failure for a NULL argument, naming it.
[[noreturn]] void null_argument(const char* function, const char* argument);
//! Checks an options struct's version: 1..current, else throws (unsupported_version) naming the struct.
void check_version(const char* what, std::int32_t version, std::int32_t current);

//! The C filter as the C++ one (NULL strings and empty lists mean no restriction).
DealFilter to_filter(const dealstat_filter& f);
//! Optional as-of from a C field (DEALSTAT_NO_TIME = none).
std::optional<Timestamp> to_as_of(std::int64_t s);
//! Wraps report tables in a new result handle.
dealstat_result make_result(std::vector<ResultTable> tables);
//! The dataset behind a handle; throws for NULL.
const Dataset& dataset_of(dealstat_dataset ds, const char* function);

//! An exception carrying a C status that has no ErrorCode (NULL argument, index out of range).
struct StatusError {
  dealstat_status status;  //!< the status to return
  std::string message;     //!< the message to record
};

}  // namespace capi
}  // namespace v1
}  // namespace dealstat

//! Opens the guard every extern "C" body that returns a dealstat_status sits in.
#define DEALSTAT_C_BEGIN try {
//! Closes it: success returns DEALSTAT_OK; every exception becomes a status and the thread's last error.
#define DEALSTAT_C_END                               \
  }                                                  \
  catch (...) {                                      \
    return ::dealstat::capi::handle_exception();     \
  }                                                  \
  return DEALSTAT_OK;
