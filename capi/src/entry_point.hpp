// Internal: the steps shared by every C entry point that turns a dataset and
// a C options struct into a new handle (a report's result, a partial report):
// check and clear `out`, resolve the dataset, convert the options, act (an
// entry point that takes a second handle, such as an event index, checks it in
// its act step with check_same_dataset). The errors name the entry point, so
// each keeps its own messages.
#pragma once

#include "capi_internal.hpp"

namespace dealstat {
inline namespace v1 {
namespace capi {

//! *out = act(dataset, convert(options)), after checking that out is not NULL (then clearing it) and
//! resolving the dataset handle; errors name `function`.
template <class Out, class COptions, class Convert, class Act>
void make_handle(const char* function, dealstat_dataset dataset, const COptions* options, Out** out, Convert&& convert,
                 Act&& act) {
  if (out == nullptr) null_argument(function, "out");
  *out = nullptr;
  const Dataset& d = dataset_of(dataset, function);
  *out = act(d, convert(options));
}

//! Checks that a second handle named `option` (e.g. "index") was made from the `dataset` handle
//! (`made_from`: the dataset it holds); otherwise Error(invalid_option) naming it, with `value`.
inline void check_same_dataset(dealstat_dataset dataset, const DatasetPtr& made_from, const char* option,
                               const std::string& value) {
  if (made_from != dataset->dataset)
    throw Error::bad_option(option, value, std::string("the ") + option + " was made from another dataset handle");
}

//! A report entry point: *out = a new result holding report(dataset, convert(options)).to_tables().
template <class COptions, class Convert, class Report>
void run_report(const char* function, dealstat_dataset dataset, const COptions* options, dealstat_result* out,
                Convert&& convert, Report&& report) {
  make_handle(function, dataset, options, out, convert,
              [&](const Dataset& d, const auto& o) { return make_result(report(d, o).to_tables()); });
}

}  // namespace capi
}  // namespace v1
}  // namespace dealstat
