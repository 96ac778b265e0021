// Interned strings.
#include "dealstat/data/string_pool.hpp"

namespace dealstat {
inline namespace v1 {

StringPool::StringPool() : offsets_{0, 0} { index_.emplace(std::string(), 0); }

StrCode StringPool::intern(std::string_view s) {
  if (s.empty()) return 0;
  auto it = index_.find(s);
  if (it != index_.end()) return it->second;
  auto code = static_cast<StrCode>(size());
  bytes_.append(s);
  offsets_.push_back(static_cast<std::uint32_t>(bytes_.size()));
  index_.emplace(std::string(s), code);
  return code;
}

std::int64_t StringPool::find(std::string_view s) const {
  auto it = index_.find(s);
  return it == index_.end() ? -1 : static_cast<std::int64_t>(it->second);
}

}  // namespace v1
}  // namespace dealstat
