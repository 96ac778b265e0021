// dealstat version at run time.
#include "dealstat/core/version.hpp"

#define DEALSTAT_STR2(x) #x
#define DEALSTAT_STR(x) DEALSTAT_STR2(x)

namespace dealstat {
inline namespace v1 {
const char* version_string() noexcept {
  return DEALSTAT_STR(DEALSTAT_VERSION_MAJOR) "." DEALSTAT_STR(DEALSTAT_VERSION_MINOR) "." DEALSTAT_STR(
      DEALSTAT_VERSION_PATCH);
}
}  // namespace v1
}  // namespace dealstat
