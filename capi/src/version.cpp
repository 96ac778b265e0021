// The C ABI's run-time version: what the loaded library is, whatever header
// the caller was compiled with.
#include "capi_internal.hpp"
#include "dealstat/core/version.hpp"

static_assert(DEALSTAT_VERSION_NUMBER ==
                  DEALSTAT_VERSION_MAJOR * 10000 + DEALSTAT_VERSION_MINOR * 100 + DEALSTAT_VERSION_PATCH,
              "dealstat.h and version.hpp disagree on the version formula");

extern "C" {

uint32_t dealstat_version_number(void) { return DEALSTAT_VERSION_NUMBER; }

const char* dealstat_version_string(void) { return dealstat::version_string(); }

}  // extern "C"
