// EventIndex: newest-first order by a stable radix sort on `at`, then the
// posting lists by counting sort over ranks (so each list comes out sorted).
#include "dealstat/data/event_index.hpp"

#include <algorithm>
#include <numeric>
#include <thread>

#include "detail/id_map.hpp"

namespace dealstat {
inline namespace v1 {

namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// Rows sorted by `at` ascending, ties by row ascending: a stable LSD radix sort on the 32-bit time
// (validated timestamps are 0..2100-01-01, below 2^32) of keys (at << 32 | row), in 16-bit digits.
std::vector<std::uint64_t> sort_by_time(const std::vector<std::int64_t>& at) {
  const std::size_t n = at.size();
  std::vector<std::uint64_t> a(n), b(n);
  for (std::size_t i = 0; i < n; ++i) a[i] = (static_cast<std::uint64_t>(at[i]) << 32) | i;
  for (int shift = 32; shift < 64; shift += 16) {
    std::vector<std::uint64_t> count(65537, 0);
    for (auto k : a) ++count[((k >> shift) & 0xFFFF) + 1];
    if (count[((a.empty() ? 0 : a[0]) >> shift & 0xFFFF) + 1] == n) continue;  // one digit: nothing to do
    for (std::size_t d = 1; d < count.size(); ++d) count[d] += count[d - 1];
    for (auto k : a) b[count[(k >> shift) & 0xFFFF]++] = k;
    a.swap(b);
  }
  return a;
}

// Counting sort of ranks 0..n-1 into lists by key[rank] (keys < slots): CSR offsets and ranks.
void bucket_ranks(const std::vector<std::uint32_t>& key, std::size_t slots, std::vector<std::uint64_t>& offset,
                  std::vector<std::uint32_t>& ranks) {
  offset.assign(slots + 1, 0);
  for (auto k : key) ++offset[k + 1];
  std::partial_sum(offset.begin(), offset.end(), offset.begin());
  ranks.resize(key.size());
  std::vector<std::uint64_t> pos(offset.begin(), offset.end() - 1);
  for (std::size_t r = 0; r < key.size(); ++r) ranks[pos[key[r]]++] = static_cast<std::uint32_t>(r);
}

}  // namespace

EventIndex EventIndex::build(const Dataset& ds, unsigned threads) {
  const EventTable& ev = ds.events();
  const std::size_t n = ev.size();
  EventIndex ix;
  {
    std::vector<std::uint64_t> sorted = sort_by_time(ev.at);
    ix.order_.resize(n);
    ix.at_.resize(n);
    for (std::size_t r = 0; r < n; ++r) {
      const std::uint64_t k = sorted[n - 1 - r];
      ix.order_[r] = static_cast<std::uint32_t>(k & 0xFFFFFFFFu);
      ix.at_[r] = static_cast<std::int64_t>(k >> 32);
    }
  }
  const auto& order = ix.order_;

  auto types_and_users = [&] {
    std::vector<std::uint32_t> key(n);
    for (std::size_t r = 0; r < n; ++r) key[r] = ev.type[order[r]];
    bucket_ranks(key, ds.strings().size(), ix.type_offset_, ix.type_ranks_);
    const std::size_t users = ds.users().size();
    for (std::size_t r = 0; r < n; ++r) {
      const std::uint32_t u = ev.by_user[order[r]];
      key[r] = u == kNone ? static_cast<std::uint32_t>(users) : u;
    }
    bucket_ranks(key, users + 1, ix.user_offset_, ix.user_ranks_);
    for (std::size_t r = 0; r < n; ++r) key[r] = ev.entity_type[order[r]];
    bucket_ranks(key, ds.strings().size(), ix.etype_offset_, ix.etype_ranks_);
  };

  auto entities = [&] {
    // Dense list numbers in order of first appearance, one id map per entity type code.
    std::vector<std::int32_t> slot(ds.strings().size(), -1);
    std::vector<detail::IdMap> maps;
    std::vector<std::uint32_t> list_code;
    std::vector<std::int64_t> list_id;
    std::vector<std::uint32_t> key(n);
    for (std::size_t r = 0; r < n; ++r) {
      const std::size_t row = order[r];
      const StrCode c = ev.entity_type[row];
      if (slot[c] < 0) {
        slot[c] = static_cast<std::int32_t>(maps.size());
        maps.emplace_back();
      }
      auto& m = maps[static_cast<std::size_t>(slot[c])];
      const auto next = static_cast<std::uint32_t>(list_code.size());
      const std::uint32_t had = m.insert(ev.entity_id[row], next);
      if (had == detail::IdMap::kMissing) {
        list_code.push_back(c);
        list_id.push_back(ev.entity_id[row]);
        key[r] = next;
      } else {
        key[r] = had;
      }
    }
    bucket_ranks(key, list_code.size(), ix.entity_offset_, ix.entity_ranks_);
    std::vector<std::uint32_t> by_key(list_code.size());
    std::iota(by_key.begin(), by_key.end(), 0u);
    std::sort(by_key.begin(), by_key.end(), [&](std::uint32_t a, std::uint32_t b) {
      return std::tie(list_code[a], list_id[a]) < std::tie(list_code[b], list_id[b]);
    });
    ix.entity_code_.resize(by_key.size());
    ix.entity_id_.resize(by_key.size());
    for (std::size_t k = 0; k < by_key.size(); ++k) {
      ix.entity_code_[k] = list_code[by_key[k]];
      ix.entity_id_[k] = list_id[by_key[k]];
    }
    ix.entity_list_ = std::move(by_key);
  };

  auto links = [&](const std::vector<std::int64_t>& of, std::vector<std::int64_t>& key, std::vector<std::int64_t>& deal) {
    const auto& d = ds.deals();
    std::vector<std::pair<std::int64_t, std::int64_t>> pairs;
    for (std::size_t i = 0; i < d.size(); ++i)
      if (of[i] != kNoId) pairs.emplace_back(of[i], d.id[i]);
    std::sort(pairs.begin(), pairs.end());
    for (const auto& [k, v] : pairs) {
      key.push_back(k);
      deal.push_back(v);
    }
  };
  links(ds.deals().contact_id, ix.contact_key_, ix.contact_deal_);
  links(ds.deals().company_id, ix.company_key_, ix.company_deal_);

  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  if ((threads == 0 ? hw : threads) > 1 && n >= 65536) {
    std::thread t(entities);
    try {
      types_and_users();
    } catch (...) {
      t.join();
      throw;
    }
    t.join();
  } else {
    types_and_users();
    entities();
  }
  return ix;
}

std::span<const std::uint32_t> EventIndex::by_type(StrCode type) const {
  if (static_cast<std::size_t>(type) + 1 >= type_offset_.size()) return {};
  return {type_ranks_.data() + type_offset_[type], type_offset_[type + 1] - type_offset_[type]};
}

std::span<const std::uint32_t> EventIndex::by_user(std::uint32_t user) const {
  if (user_offset_.empty()) return {};
  const std::size_t slot = user == kNone ? user_offset_.size() - 2 : user;
  if (slot + 1 >= user_offset_.size()) return {};
  return {user_ranks_.data() + user_offset_[slot], user_offset_[slot + 1] - user_offset_[slot]};
}

std::span<const std::uint32_t> EventIndex::by_entity_type(StrCode entity_type) const {
  if (static_cast<std::size_t>(entity_type) + 1 >= etype_offset_.size()) return {};
  return {etype_ranks_.data() + etype_offset_[entity_type], etype_offset_[entity_type + 1] - etype_offset_[entity_type]};
}

namespace {
std::span<const std::int64_t> equal_run(const std::vector<std::int64_t>& key, const std::vector<std::int64_t>& val,
                                        std::int64_t k) {
  auto [b, e] = std::equal_range(key.begin(), key.end(), k);
  return {val.data() + (b - key.begin()), static_cast<std::size_t>(e - b)};
}
}  // namespace

std::span<const std::int64_t> EventIndex::deals_of_contact(std::int64_t contact_id) const {
  return equal_run(contact_key_, contact_deal_, contact_id);
}

std::span<const std::int64_t> EventIndex::deals_of_company(std::int64_t company_id) const {
  return equal_run(company_key_, company_deal_, company_id);
}

std::span<const std::uint32_t> EventIndex::by_entity(StrCode entity_type, std::int64_t entity_id) const {
  std::size_t lo = 0, hi = entity_code_.size();
  while (lo < hi) {  // first key >= (entity_type, entity_id)
    const std::size_t mid = (lo + hi) / 2;
    if (std::tie(entity_code_[mid], entity_id_[mid]) < std::tie(entity_type, entity_id))
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == entity_code_.size() || entity_code_[lo] != entity_type || entity_id_[lo] != entity_id) return {};
  const std::uint32_t l = entity_list_[lo];
  return {entity_ranks_.data() + entity_offset_[l], entity_offset_[l + 1] - entity_offset_[l]};
}

std::size_t EventIndex::first_rank_after(std::int64_t at, std::uint32_t row) const {
  // Ranks are ordered by (at desc, row desc); find the first with (at', row') < (at, row).
  std::size_t lo = 0, hi = order_.size();
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    const bool after = at_[mid] < at || (at_[mid] == at && order_[mid] < row);
    if (after)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

std::size_t EventIndex::first_rank_before_time(std::int64_t t) const {
  auto it = std::partition_point(at_.begin(), at_.end(), [t](std::int64_t a) { return a >= t; });
  return static_cast<std::size_t>(it - at_.begin());
}

}  // namespace v1
}  // namespace dealstat
